// `pnpm --filter @attn/bench exec tsx src/translate.ts [--model DIR] [--sentences 200] [--runs 3] [--isolated]`:
// attn's translate() against transformers.js's translation pipeline on the same model folder, in one run — batched
// throughput on Multi30k test sentences, single-sentence latency, and attn's cost of returning attention. Raw
// onnxruntime is the floor.
// transformers.js runs twice: as it comes (onnxruntime's default session options) and with attn's session options,
// to tell what the options give from what attn's code gives. --isolated times each variant in processes of its own
// (harness/isolated.ts), so that no session's operator threads compete with the one being timed.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { disposeTextModels, translate } from '@attn/nlp';
import { modelsRoot } from '@attn/models';
import { readDataLines } from '@attn/eval/shared-data';
import { loadTokenizer, openModelFolder, sessionOptions } from '@attn/core-attention/runtime';
import { formatTable, isIsolatedChild, measureVariants } from './harness/index.js';
import { rawGreedyTranslator } from './raw-onnxruntime-greedy.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'mt-en-de') },
    sentences: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    isolated: { type: 'boolean', default: false },
  },
});
const folder = resolve(values.model);
const count = Number(values.sentences);
const runs = Number(values.runs);
const sentences = readDataLines('multi30k/task1/test_2016_flickr.en.gz').slice(0, count);

env.allowRemoteModels = false;
const peer = await pipeline('translation', folder, { dtype: 'fp32' });
const tunedPeer = await pipeline('translation', folder, {
  dtype: 'fp32',
  session_options: sessionOptions(),
});
const peerTranslate = (texts: string[], translator = peer): Promise<unknown> =>
  translator(texts, { max_new_tokens: 64, num_beams: 1 } as never);
const ours = (texts: string[], attention: boolean): Promise<unknown> =>
  translate(texts, { model: folder, numBeams: 1, maxNewTokens: 64, attention });

const modelFolder = await openModelFolder(folder);
const tokenizer = await loadTokenizer(modelFolder);
const config = modelFolder.config as Record<string, number>;
const raw = await rawGreedyTranslator(folder, {
  decoderStart: config['decoder_start_token_id']!,
  eos: config['eos_token_id']!,
  pad: config['pad_token_id']!,
});
const rawTranslate = async (texts: string[]): Promise<string[]> => {
  const translations: string[] = [];
  for (let start = 0; start < texts.length; start += 64) {
    const ids = await raw(
      texts.slice(start, start + 64).map((text) => tokenizer.encode(text).ids),
      64,
    );
    for (const row of ids) translations.push(tokenizer.decode(row, { skipSpecialTokens: true }));
  }
  return translations;
};

// the floor translates as attn does, checked once (not again in the children of --isolated)
const agreeing = async (): Promise<number> => {
  const rawTexts = await rawTranslate(sentences);
  const ourTexts = await translate(sentences, { model: folder, numBeams: 1, maxNewTokens: 64 });
  return ourTexts.filter((result, index) => result.text.trim() === rawTexts[index]?.trim()).length;
};
if (!isIsolatedChild())
  console.log(
    `model ${folder}; ${count} sentences of test_2016_flickr; greedy, at most 64 new tokens; median of ${runs} interleaved runs` +
      (values.isolated ? ', each variant in processes of its own' : ', all in one process') +
      `\n  the raw loop's translations equal attn's: ${await agreeing()} of ${count}`,
  );
// Variants alternate round by round, so load from other jobs falls on all of them alike.
const batched = await measureVariants(
  'batched',
  [
    { name: 'attn (attention on)', task: () => ours(sentences, true), unitsPerRun: count },
    { name: 'attn (attention off)', task: () => ours(sentences, false), unitsPerRun: count },
    { name: 'transformers.js', task: () => peerTranslate(sentences), unitsPerRun: count },
    {
      name: "transformers.js, attn's session options",
      task: () => peerTranslate(sentences, tunedPeer),
      unitsPerRun: count,
    },
    { name: 'raw onnxruntime (floor)', task: () => rawTranslate(sentences), unitsPerRun: count },
  ],
  { warmup: 1, runs, isolated: values.isolated },
);
console.log(
  formatTable('batched translation', batched, { baseline: 'transformers.js', unit: 'sentences' }),
);

const single = sentences[0] as string;
const latency = await measureVariants(
  'latency',
  [
    { name: 'attn (attention on)', task: () => ours([single], true) },
    { name: 'attn (attention off)', task: () => ours([single], false) },
    { name: 'transformers.js', task: () => peerTranslate([single]) },
    {
      name: "transformers.js, attn's session options",
      task: () => peerTranslate([single], tunedPeer),
    },
    { name: 'raw onnxruntime (floor)', task: () => rawTranslate([single]) },
  ],
  { warmup: 5, runs: 60, isolated: values.isolated },
);
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
