// `pnpm --filter @attn/eval exec tsx src/answer-faithfulness.ts --data FILE [--model attn/qa-captions] [--k 3]
// [--trials 20] [--limit N] [--deletion mask|remove]
// [--evidence model|last-layer|mean|rollout|all|heads|layer:L[,head:H]]`: the deletion test of answer()'s evidence
// over a held-out QA set (qa-set.ts), for answer()'s default source ('model': the model's attn_answer_evidence, else
// the last layer), one named source, each named one in turn ('all'), or every single head of every layer in turn
// ('heads': to choose a head on validation data, as attn/qa-captions' was). Per
// question: answer() with attention, then answerDeletionTest — the k context tokens its start and end tokens
// attended to most (in the evidence source; the answer's own tokens are never deleted) are
// replaced by [MASK] (or removed, for tokenizers without a mask token), vs k random context tokens in `trials`
// seeded draws; the drop is the fall in the original span's probability p_start · p_end in the re-run window.
// Reports mean drops with their spread across questions; faithful evidence shows top-k drops above random ones.
import { parseArgs } from 'node:util';
import {
  answer,
  answerDeletionTest,
  disposeTextModels,
  evidenceSources,
  type EvidenceSource,
} from '@attn/nlp';
import { readQaSet } from './qa-set.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'attn/qa-captions' },
    data: { type: 'string' },
    limit: { type: 'string' },
    k: { type: 'string', default: '3' },
    trials: { type: 'string', default: '20' },
    deletion: { type: 'string' },
    evidence: { type: 'string', default: 'model' },
  },
});
if (values.data === undefined) {
  console.error(
    'answer-faithfulness: pass --data FILE, JSON lines {"question", "context", "answers": [{"text", "start"}]} (the QA recipe writes it)',
  );
  process.exit(2);
}
const items = readQaSet(values.data).slice(
  0,
  values.limit === undefined ? undefined : Number(values.limit),
);
const k = Number(values.k);
const trials = Number(values.trials);
const deletion = values.deletion as 'mask' | 'remove' | undefined;

/**
 * The evidence sources `--evidence` names: model (undefined: answer()'s default), all, heads, a named source,
 * layer:L or layer:L,head:H; [] otherwise.
 */
async function parseEvidence(text: string): Promise<readonly (EvidenceSource | undefined)[]> {
  if (text === 'model') return [undefined];
  if (text === 'all') return evidenceSources;
  if (text === 'heads') return everyHead();
  const named = evidenceSources.find((source) => source === text);
  if (named !== undefined) return [named];
  const match = /^layer:(\d+)(?:,head:(\d+))?$/.exec(text);
  if (match === null) return [];
  const layer = Number(match[1]);
  return [match[2] === undefined ? { layer } : { layer, head: Number(match[2]) }];
}
/** Every head of every tapped layer of the model, read off one answer's attention. */
async function everyHead(): Promise<EvidenceSource[]> {
  const { attention } = await answer(items[0]!, { model: values.model });
  return attention!.layers.flatMap((layer) =>
    attention!.heads.map((head): EvidenceSource => ({ layer, head })),
  );
}
const sources = await parseEvidence(values.evidence!);
if (sources.length === 0) {
  console.error(
    `answer-faithfulness: --evidence takes model, ${evidenceSources.join(', ')}, all, heads, layer:L or layer:L,head:H`,
  );
  process.exit(2);
}

const mean = (list: number[]): number =>
  list.reduce((sum, value) => sum + value, 0) / Math.max(list.length, 1);
const std = (list: number[]): number =>
  Math.sqrt(mean(list.map((value) => (value - mean(list)) ** 2)));
const format = (value: number): string => value.toFixed(4);

for (const source of sources) await report(source);
await disposeTextModels();

/** Runs the deletion test with one evidence source (undefined: the model's) over every question; prints its summary. */
async function report(source: EvidenceSource | undefined): Promise<void> {
  const top: number[] = [];
  const random: number[] = [];
  const pValues: number[] = [];
  let skipped = 0;
  let mode = '';
  const started = performance.now();
  for (const [index, item] of items.entries()) {
    const result = await answerDeletionTest(item, {
      model: values.model,
      k,
      trials,
      seed: index,
      ...(source === undefined ? {} : { evidenceFrom: source }),
      ...(deletion === undefined ? {} : { deletion }),
    });
    if (result === undefined) {
      skipped++;
      continue;
    }
    mode = result.deletion;
    top.push(result.topDrop);
    random.push(result.randomMean);
    pValues.push(result.randomAtLeastTop);
  }
  const seconds = (performance.now() - started) / 1000;
  const differences = top.map((drop, i) => drop - (random[i] as number));
  const standardError = std(differences) / Math.sqrt(Math.max(differences.length, 1));
  const label = (evidence: EvidenceSource | undefined): string =>
    typeof evidence === 'object' ? JSON.stringify(evidence) : String(evidence);
  const shown =
    source === undefined
      ? `the model's default (${label((await answer(items[0]!, { model: values.model })).evidenceFrom)})`
      : label(source);
  console.log(
    `${values.data}: evidence ${shown}, ${top.length} questions tested (${skipped} skipped: no span or fewer than ${k} context tokens outside it), ` +
      `k ${k}, ${trials} random draws each, deletion by ${mode || deletion || 'mask'}, model ${values.model}, ${seconds.toFixed(1)} s`,
  );
  console.log(`  top-k drop    mean ${format(mean(top))}  std ${format(std(top))}`);
  console.log(`  random drop   mean ${format(mean(random))}  std ${format(std(random))}`);
  console.log(
    `  top − random  mean ${format(mean(differences))}  std ${format(std(differences))}  ` +
      `95% CI [${format(mean(differences) - 1.96 * standardError)}, ${format(mean(differences) + 1.96 * standardError)}]`,
  );
  console.log(
    `  questions where top-k beats the random mean: ${((100 * differences.filter((d) => d > 0).length) / Math.max(differences.length, 1)).toFixed(1)}%; ` +
      `mean share of random draws dropping at least as much: ${format(mean(pValues))}`,
  );
}
