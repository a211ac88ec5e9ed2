// `pnpm --filter @attn/eval exec tsx src/answer-squad.ts --data FILE [--model attn/qa-captions] [--limit N]
// [--threshold 0]`: SQuAD exact match and F1 (squad-metrics.ts, the official normalisation) of answer() over a
// held-out QA set (qa-set.ts: JSON lines {question, context, answers: [{text, start}]}; empty answers =
// unanswerable). A "no answer" verdict predicts the empty string. Also reports how often the predicted span's
// character offsets equal a gold answer's.
import { parseArgs } from 'node:util';
import { answer, disposeTextModels } from '@attn/nlp';
import { readQaSet } from './qa-set.js';
import { exactMatch, f1Score } from './squad-metrics.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'attn/qa-captions' },
    data: { type: 'string' },
    limit: { type: 'string' },
    threshold: { type: 'string', default: '0' },
  },
});
if (values.data === undefined) {
  console.error(
    'answer-squad: pass --data FILE, JSON lines {"question", "context", "answers": [{"text", "start"}]} (the QA recipe writes it)',
  );
  process.exit(2);
}
const items = readQaSet(values.data).slice(
  0,
  values.limit === undefined ? undefined : Number(values.limit),
);
const threshold = Number(values.threshold);

const groups = {
  all: [] as number[][],
  answerable: [] as number[][],
  unanswerable: [] as number[][],
};
let offsetMatches = 0;
const started = performance.now();
for (const item of items) {
  const result = await answer(item, { model: values.model, threshold, attention: false });
  const prediction = result.noAnswer ? '' : result.answer;
  const golds = item.answers.map((gold) => gold.text);
  const scores = [exactMatch(prediction, golds), f1Score(prediction, golds)];
  groups.all.push(scores);
  groups[golds.length === 0 ? 'unanswerable' : 'answerable'].push(scores);
  if (
    !result.noAnswer &&
    item.answers.some(
      (gold) => gold.start === result.start && gold.start + gold.text.length === result.end,
    )
  )
    offsetMatches++;
}
const seconds = (performance.now() - started) / 1000;
const mean = (rows: number[][], column: number): string =>
  (
    (100 * rows.reduce((sum, row) => sum + (row[column] as number), 0)) /
    Math.max(rows.length, 1)
  ).toFixed(2);
console.log(
  `${values.data}: ${items.length} questions in ${seconds.toFixed(1)} s, model ${values.model}, threshold ${threshold}`,
);
for (const [name, rows] of Object.entries(groups)) {
  if (rows.length > 0)
    console.log(`  ${name.padEnd(13)} EM ${mean(rows, 0)}  F1 ${mean(rows, 1)}  (${rows.length})`);
}
console.log(
  `  span offsets equal to a gold answer's: ${((100 * offsetMatches) / Math.max(groups.answerable.length, 1)).toFixed(2)}% of answerable`,
);
await disposeTextModels();
