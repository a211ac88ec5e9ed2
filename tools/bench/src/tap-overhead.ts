// `pnpm --filter @attn/bench exec tsx src/tap-overhead.ts [--model DIR] [--sentences 64]`: what tapping attention
// costs — greedy generation on one model folder with no taps, one cross-attention layer tapped, and every layer
// (cross + decoder self) tapped, in one process. Goal: one layer within 15% of untapped.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { modelsRoot } from '@attn/models';
import {
  EncoderDecoderModel,
  loadTokenizer,
  openModelFolder,
  SessionCache,
  type TapRequest,
} from '@attn/core-attention/runtime';
import { readDataLines } from '@attn/eval/shared-data';
import { formatTable, measure } from './harness/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'mt-en-de') },
    sentences: { type: 'string', default: '64' },
    runs: { type: 'string', default: '5' },
  },
});
const folder = await openModelFolder(resolve(values.model));
const tokenizer = await loadTokenizer(folder);
const count = Number(values.sentences);
const sourceIds = readDataLines('multi30k/task1/test_2016_flickr.en.gz')
  .slice(0, count)
  .map((sentence) => tokenizer.encode(sentence).ids);

const variants: [string, TapRequest][] = [
  ['no taps', {}],
  ['cross layer 0', { cross: [0] }],
  ['all cross + decoder self', { cross: 'all', decoder_self: 'all' }],
];
const sessions = new SessionCache();
const measurements = [];
for (const [name, attention] of variants) {
  const model = await EncoderDecoderModel.load(folder, { sessions, attention });
  measurements.push(
    await measure(name, () => model.generate(sourceIds, { numBeams: 1, maxNewTokens: 64 }), {
      warmup: 1,
      runs: Number(values.runs),
      unitsPerRun: count,
    }),
  );
}
console.log(`model ${values.model}; ${count} sentences in one batch, greedy`);
console.log(
  formatTable('attention taps', measurements, { baseline: 'no taps', unit: 'sentences' }),
);
const [untapped, oneLayer] = measurements as [(typeof measurements)[0], (typeof measurements)[0]];
console.log(
  `one tapped layer: ${(((oneLayer.medianMs - untapped.medianMs) / untapped.medianMs) * 100).toFixed(1)}% overhead (goal ≤ 15%)`,
);
await sessions.dispose();
