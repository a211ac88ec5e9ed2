// `pnpm --filter @attn/eval exec tsx src/transcribe-wer.ts --data DIR [--model attn/whisper-espeak] [--limit N]`:
// WER and word-boundary error of transcribe() on held-out speech with gold word times — the numbers of the
// attn/whisper-espeak model card, re-measured through the TypeScript pipeline.
// DIR holds manifest.jsonl in speech-manifest.ts's format.
import { parseArgs } from 'node:util';
import { disposeSpeechModels, transcribe } from '@attn/audio';
import { readSpeechManifest } from './speech-manifest.js';
import { quantile, wordBoundaryErrors } from './word-boundary-error.js';
import { wordErrorRate } from './word-error-rate.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    model: { type: 'string', default: 'attn/whisper-espeak' },
    limit: { type: 'string' },
  },
});
if (values.data === undefined) {
  console.error(
    'usage: tsx src/transcribe-wer.ts --data DIR [--model attn/whisper-espeak] [--limit N]',
  );
  process.exit(2);
}
const data = values.data;
const utterances = readSpeechManifest(
  data,
  values.limit === undefined ? undefined : Number(values.limit),
);

const hypotheses: string[] = [];
const startErrors: number[] = [];
const endErrors: number[] = [];
let audioSeconds = 0;
const started = performance.now();
for (const utterance of utterances) {
  const result = await transcribe(utterance.wav, {
    model: values.model,
    attention: false,
  });
  hypotheses.push(result.text);
  audioSeconds += result.durationSeconds;
  const errors = wordBoundaryErrors(utterance.words, result.words);
  startErrors.push(...errors.startErrors);
  endErrors.push(...errors.endErrors);
}
const seconds = (performance.now() - started) / 1000;
const wer = wordErrorRate(
  utterances.map((utterance) => utterance.text),
  hypotheses,
);
const milliseconds = (list: number[], q: number): string =>
  list.length === 0 ? 'n/a' : `${(1000 * quantile(list, q)).toFixed(0)} ms`;
console.log(
  `model ${values.model}; ${utterances.length} utterances from ${data} (${audioSeconds.toFixed(1)} s of audio)`,
);
console.log(
  `WER ${(100 * wer.wer).toFixed(2)}% (${wer.substitutions} substitutions, ${wer.deletions} deletions, ` +
    `${wer.insertions} insertions over ${wer.referenceWords} words; lower-cased, punctuation stripped)`,
);
console.log(
  `word boundaries over ${startErrors.length} correctly recognised words: |Δstart| median ${milliseconds(startErrors, 0.5)}, ` +
    `p90 ${milliseconds(startErrors, 0.9)}; |Δend| median ${milliseconds(endErrors, 0.5)}, p90 ${milliseconds(endErrors, 0.9)}`,
);
console.log(`${seconds.toFixed(1)} s, real-time factor ${(seconds / audioSeconds).toFixed(3)}`);
await disposeSpeechModels();
