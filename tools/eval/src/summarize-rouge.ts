// `pnpm --filter @attn/eval exec tsx src/summarize-rouge.ts [--model attn/sum-captions] [--data FILE] [--limit N]
// [--beams 4]`: ROUGE-1/2/L F-measures (rouge.ts: rouge-score's default tokenisation, no stemming, best of the
// references, mean × 100) of summarize() — the numbers of the model card, re-measured through the TypeScript pipeline.
//
// --data: JSON lines {"source": string, "references": [string, …]} (a path, or one under the shared data folder;
// .gz allowed) — the test file the summarization recipe writes. Without it, the set is built from Multi30k task 2
// test_2016 (1,000 images, five independent English captions each): the source is captions 2–5 joined by spaces,
// the reference caption 1.
import { parseArgs } from 'node:util';
import { disposeTextModels, summarize } from '@attn/nlp';
import { readJsonLines } from './read-json-lines.js';
import { corpusRouge } from './rouge.js';
import { readDataLines } from './shared-data.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'attn/sum-captions' },
    data: { type: 'string' },
    limit: { type: 'string' },
    beams: { type: 'string', default: '4' },
  },
});
const limit = values.limit === undefined ? undefined : Number(values.limit);

interface SummaryItem {
  source: string;
  references: string[];
}

function checkItem(item: unknown): SummaryItem {
  const { source, references } = (item ?? {}) as Partial<SummaryItem>;
  if (typeof source !== 'string' || !Array.isArray(references) || references.length === 0)
    throw new Error('expected {"source": string, "references": [string, …]}');
  return { source, references };
}

function multi30kCaptions(): SummaryItem[] {
  const captions = [1, 2, 3, 4, 5].map((n) => readDataLines(`multi30k/task2/test_2016.${n}.en.gz`));
  return (captions[0] as string[]).map((reference, line) => ({
    source: captions
      .slice(1)
      .map((file) => file[line] as string)
      .join(' '),
    references: [reference],
  }));
}

const items = (
  values.data === undefined ? multi30kCaptions() : readJsonLines(values.data, checkItem)
).slice(0, limit);
const dataName = values.data ?? 'multi30k task2 test_2016 (captions 2-5 -> caption 1)';
for (const numBeams of [1, Number(values.beams)]) {
  const started = performance.now();
  const summaries: string[] = [];
  for (const item of items) {
    const result = await summarize(item.source, {
      model: values.model,
      numBeams,
      attention: false,
    });
    summaries.push(result.summary);
  }
  const seconds = (performance.now() - started) / 1000;
  const rouge = corpusRouge(
    summaries,
    items.map((item) => item.references),
  );
  console.log(
    `${dataName}, ${numBeams === 1 ? 'greedy' : `beam ${numBeams}`}: ROUGE-1 ${rouge.rouge1.toFixed(2)}  ` +
      `ROUGE-2 ${rouge.rouge2.toFixed(2)}  ROUGE-L ${rouge.rougeL.toFixed(2)}  (F-measure, ${items.length} texts in ` +
      `${seconds.toFixed(1)} s; rouge-score tokenisation, no stemming; model ${values.model})`,
  );
}
await disposeTextModels();
