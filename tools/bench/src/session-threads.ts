// `pnpm --filter @attn/bench exec tsx src/session-threads.ts [--model DIR] [--runs 30] [--isolated]`: what
// onnxruntime's operator-thread settings do to greedy translation on this machine — the raw onnxruntime loop (no
// attn code) on one model folder with attn's session options (one thread per core, spinning while a run lasts and
// stopped after it: session.force_spinning_stop), the same with threads that sleep when out of work, with threads
// that keep spinning after a run (onnxruntime's default), and with one thread; one sentence, and a batch of 64,
// interleaved, all four in one process. --isolated times each setting in processes of its own
// (harness/isolated.ts), so that one session's spinning threads do not take a core from the session timed after it.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { InferenceSession } from 'onnxruntime-node';
import { modelsRoot } from '@attn/models';
import { readDataLines } from '@attn/eval/shared-data';
import { loadTokenizer, openModelFolder } from '@attn/core-attention/runtime';
import { formatTable, measureVariants } from './harness/index.js';
import { rawGreedyTranslator } from './raw-onnxruntime-greedy.js';
import { sleepingThreads, spinningAfterRuns } from './thread-settings.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'mt-en-de') },
    runs: { type: 'string', default: '30' },
    isolated: { type: 'boolean', default: false },
  },
});
const folder = resolve(values.model);
const runs = Number(values.runs);
const modelFolder = await openModelFolder(folder);
const tokenizer = await loadTokenizer(modelFolder);
const config = modelFolder.config as Record<string, number>;
const ids = readDataLines('multi30k/task1/test_2016_flickr.en.gz')
  .slice(0, 64)
  .map((sentence) => tokenizer.encode(sentence).ids);

const settings: [string, InferenceSession.SessionOptions][] = [
  [`attn's: ${availableParallelism()} threads, spinning within a run`, {}],
  [`${availableParallelism()} threads, sleeping`, sleepingThreads],
  ['spinning after runs too', spinningAfterRuns],
  ['1 thread', { intraOpNumThreads: 1 }],
];
const translators = await Promise.all(
  settings.map(async ([name, overrides]) => ({
    name,
    run: await rawGreedyTranslator(
      folder,
      {
        decoderStart: config['decoder_start_token_id']!,
        eos: config['eos_token_id']!,
        pad: config['pad_token_id']!,
      },
      overrides,
    ),
  })),
);

console.log(
  `model ${folder}; raw onnxruntime greedy loop, at most 64 new tokens; median of ${runs} interleaved runs` +
    (values.isolated ? ', each setting in processes of its own' : ', all in one process'),
);
for (const [title, batch] of [
  ['one sentence', ids.slice(0, 1)],
  ['a batch of 64 sentences', ids],
] as const) {
  const variants = translators.map(({ name, run }) => ({
    name,
    task: () => run(batch, 64),
    unitsPerRun: batch.length,
  }));
  const measured = await measureVariants(title, variants, {
    warmup: 3,
    runs,
    isolated: values.isolated,
  });
  console.log(formatTable(title, measured, { baseline: settings[0]![0], unit: 'sentences' }));
}
