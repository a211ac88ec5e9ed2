// `pnpm --filter @attn/eval exec tsx src/alignment-aer.ts [--model attn/mt-en-de]`: AER of the attention word
// alignment (alignTranslation) against the hand-aligned gold set in data/, for argmax and itermax, with and
// without the shift-by-one reading, over all layers and each layer alone.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { corpusAlignmentErrorRate, parsePharaohAlignment } from '@attn/core-attention';
import { alignTranslation, disposeTextModels, type WordAlignmentOptions } from '@attn/nlp';
import { readDataLines } from './shared-data.js';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'attn/mt-en-de' } } });
const goldPath = new URL('../data/multi30k-test2016-en-de.gold.tsv', import.meta.url);
const sources = readDataLines('multi30k/task1/test_2016_flickr.en.gz');
const targets = readDataLines('multi30k/task1/test_2016_flickr.de.gz');
const gold = readFileSync(goldPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => {
    const [lineNumber, , , links = ''] = line.split('\t');
    const parsed = parsePharaohAlignment(links);
    return { index: Number(lineNumber), ...parsed };
  });

async function evaluate(label: string, options: WordAlignmentOptions): Promise<void> {
  const sentences = [];
  for (const pair of gold) {
    const { alignment } = await alignTranslation(
      { source: sources[pair.index] as string, target: targets[pair.index] as string },
      { model: values.model, alignment: options },
    );
    sentences.push({ predicted: alignment, sure: pair.sure, possible: pair.possible });
  }
  const { alignmentErrorRate, precision, recall } = corpusAlignmentErrorRate(sentences);
  console.log(
    `${label.padEnd(36)} AER ${alignmentErrorRate.toFixed(3)}  precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}`,
  );
}

console.log(`${gold.length} hand-aligned pairs of test_2016_flickr, model ${values.model}`);
for (const method of ['argmax', 'itermax'] as const) {
  for (const shift of [false, true])
    await evaluate(`${method}${shift ? ', shift' : ''}, all layers`, { method, shift });
}
await disposeTextModels();
