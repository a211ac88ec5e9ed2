// `pnpm --filter @attn/bench exec tsx src/parity.ts`: greedy ids of every generation fixture from attn, transformers.js
// and PyTorch (reference.json) side by side; exits 1 when any differ. parity.test.ts asserts the same in CI.
import { attnGreedy } from './attn-greedy.js';
import { fixtureReferences, fixturesFolder, transformersGreedy } from './transformers-greedy.js';

const references = await fixtureReferences();
let failures = 0;
for (const [name, run] of Object.entries(transformersGreedy)) {
  const reference = references[name]!;
  const peer = await run(`${fixturesFolder}${name}`, reference);
  const ours =
    attnGreedy[name] === undefined
      ? undefined
      : await attnGreedy[name](`${fixturesFolder}${name}`, reference);
  const same = (ids: number[] | undefined): string =>
    ids === undefined
      ? 'not run'
      : JSON.stringify(ids) === JSON.stringify(reference.greedy_ids)
        ? 'same'
        : 'DIFFERENT';
  if (same(peer.generated) !== 'same' || (ours !== undefined && same(ours) !== 'same'))
    failures += 1;
  console.log(
    `${name.padEnd(13)} PyTorch [${reference.greedy_ids.join(', ')}]  transformers.js ${same(peer.generated)}  attn ${same(ours)}`,
  );
}
process.exitCode = failures === 0 ? 0 : 1;
