// `pnpm --filter @attn/bench exec tsx src/translate.ts [--model DIR] [--sentences 200]`: attn's translate() against
// transformers.js's translation pipeline on the same model folder, in one process — batched throughput on Multi30k
// test sentences, single-sentence latency, and attn's cost of returning attention. Raw onnxruntime is the floor.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { disposeTextModels, translate } from '@attn/nlp';
import { modelsRoot } from '@attn/models';
import { readDataLines } from '@attn/eval/shared-data';
import { loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import { formatTable, measure } from './harness/index.js';
import { rawGreedyTranslator } from './raw-onnxruntime-greedy.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'mt-en-de') },
    sentences: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
  },
});
const folder = resolve(values.model);
const count = Number(values.sentences);
const runs = Number(values.runs);
const sentences = readDataLines('multi30k/task1/test_2016_flickr.en.gz').slice(0, count);

env.allowRemoteModels = false;
const peer = await pipeline('translation', folder, { dtype: 'fp32' });
const peerTranslate = (texts: string[]): Promise<unknown> =>
  peer(texts, { max_new_tokens: 64, num_beams: 1 } as never);
const ours = (texts: string[], attention: boolean): Promise<unknown> =>
  translate(texts, { model: folder, numBeams: 1, maxNewTokens: 64, attention, batchSize: 32 });

const modelFolder = await openModelFolder(folder);
const tokenizer = await loadTokenizer(modelFolder);
const config = modelFolder.config as Record<string, number>;
const raw = await rawGreedyTranslator(folder, {
  decoderStart: config['decoder_start_token_id']!,
  eos: config['eos_token_id']!,
  pad: config['pad_token_id']!,
});
const rawTranslate = async (texts: string[]): Promise<unknown> => {
  for (let start = 0; start < texts.length; start += 32) {
    const ids = await raw(
      texts.slice(start, start + 32).map((text) => tokenizer.encode(text).ids),
      64,
    );
    ids.forEach((row) => tokenizer.decode(row));
  }
  return undefined;
};

console.log(
  `model ${folder}; ${count} sentences of test_2016_flickr; greedy, at most 64 new tokens; median of ${runs} runs`,
);
const batched = [
  await measure('attn (attention on)', () => ours(sentences, true), {
    warmup: 1,
    runs,
    unitsPerRun: count,
  }),
  await measure('attn (attention off)', () => ours(sentences, false), {
    warmup: 1,
    runs,
    unitsPerRun: count,
  }),
  await measure('transformers.js', () => peerTranslate(sentences), {
    warmup: 1,
    runs,
    unitsPerRun: count,
  }),
  await measure('raw onnxruntime (floor)', () => rawTranslate(sentences), {
    warmup: 1,
    runs,
    unitsPerRun: count,
  }),
];
console.log(
  formatTable('batched translation', batched, { baseline: 'transformers.js', unit: 'sentences' }),
);

const single = sentences[0] as string;
const latency = [
  await measure('attn (attention on)', () => ours([single], true), { warmup: 2, runs: 20 }),
  await measure('attn (attention off)', () => ours([single], false), { warmup: 2, runs: 20 }),
  await measure('transformers.js', () => peerTranslate([single]), { warmup: 2, runs: 20 }),
  await measure('raw onnxruntime (floor)', () => rawTranslate([single]), { warmup: 2, runs: 20 }),
];
console.log(
  formatTable('single-sentence latency', latency, {
    baseline: 'transformers.js',
    unit: 'sentences',
  }),
);
const [on, off] = batched as [(typeof batched)[0], (typeof batched)[0]];
console.log(
  `attention on vs off (batched): ${(((on.medianMs - off.medianMs) / off.medianMs) * 100).toFixed(1)}% overhead`,
);
await disposeTextModels();
