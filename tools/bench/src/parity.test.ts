// Parity with transformers.js, the oracle: it loads each generation fixture and its greedy ids equal attn's.
import { describe, expect, it } from 'vitest';
import { attnGreedy } from './attn-greedy.js';
import { fixtureReferences, fixturesFolder, transformersGreedy } from './transformers-greedy.js';

const references = await fixtureReferences();

describe.each(Object.keys(attnGreedy))('%s', (name) => {
  it(
    'decodes greedily to the same ids in attn and transformers.js',
    { timeout: 60_000 },
    async () => {
      const reference = references[name]!;
      const peer = await transformersGreedy[name]!(`${fixturesFolder}${name}`, reference);
      const ours = await attnGreedy[name]!(`${fixturesFolder}${name}`, reference);
      expect(peer.inputIds).toEqual(reference.input_ids ?? reference.decoder_input_ids);
      expect(ours).toEqual(peer.generated);
      expect(ours).toEqual(reference.greedy_ids);
    },
  );
});
