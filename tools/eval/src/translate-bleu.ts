// `pnpm --filter @attn/eval exec tsx src/translate-bleu.ts [--model attn/mt-en-de] [--limit N]`:
// BLEU of translate() on the Multi30k test sets, greedy and beam 4 — the numbers of the model card,
// re-measured through the TypeScript pipeline.
import { parseArgs } from 'node:util';
import { disposeTextModels, translate } from '@attn/nlp';
import { bleuSignature, corpusBleu } from './bleu.js';
import { readDataLines } from './shared-data.js';

const { values } = parseArgs({
  options: { model: { type: 'string', default: 'attn/mt-en-de' }, limit: { type: 'string' } },
});
const limit = values.limit === undefined ? undefined : Number(values.limit);

for (const testSet of ['test_2016_flickr', 'test_2017_flickr']) {
  const sources = readDataLines(`multi30k/task1/${testSet}.en.gz`).slice(0, limit);
  const references = readDataLines(`multi30k/task1/${testSet}.de.gz`).slice(0, limit);
  for (const numBeams of [1, 4]) {
    const started = performance.now();
    const translations = await translate(sources, {
      model: values.model,
      numBeams,
      attention: false,
      batchSize: 32,
    });
    const seconds = (performance.now() - started) / 1000;
    const bleu = corpusBleu(
      translations.map((translation) => translation.text),
      references,
    );
    console.log(
      `${testSet} ${numBeams === 1 ? 'greedy' : `beam ${numBeams}`}: BLEU ${bleu.score.toFixed(2)} ` +
        `(${bleu.precisions.map((p) => p.toFixed(1)).join('/')}, BP ${bleu.brevityPenalty.toFixed(3)}, ` +
        `${sources.length} sentences in ${seconds.toFixed(1)} s) ${bleuSignature}`,
    );
  }
}
await disposeTextModels();
