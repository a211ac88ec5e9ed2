// `pnpm --filter @attn/eval exec tsx src/transcribe-wer.ts --data DIR [--model attn/whisper-espeak] [--limit N]
// [--lead-silence SECONDS]`: WER and word-boundary error of transcribe() on held-out speech with gold word times —
// the numbers of the attn/whisper-espeak model card, re-measured through the TypeScript pipeline. --lead-silence
// puts that much silence before each utterance (the gold times move with it): how a model copes with a window that
// opens on a pause. DIR holds manifest.jsonl in speech-manifest.ts's format.
import { parseArgs } from 'node:util';
import {
  audioFromSamples,
  decodeWav,
  disposeSpeechModels,
  downmix,
  transcribe,
  type SpeechInput,
} from '@attn/audio';
import { readSpeechManifest, shiftWords } from './speech-manifest.js';
import { quantile, wordBoundaryErrors } from './word-boundary-error.js';
import { wordErrorRate } from './word-error-rate.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    model: { type: 'string', default: 'attn/whisper-espeak' },
    limit: { type: 'string' },
    'lead-silence': { type: 'string', default: '0' },
  },
});
if (values.data === undefined) {
  console.error(
    'usage: tsx src/transcribe-wer.ts --data DIR [--model attn/whisper-espeak] [--limit N] [--lead-silence SECONDS]',
  );
  process.exit(2);
}
const data = values.data;
const utterances = readSpeechManifest(
  data,
  values.limit === undefined ? undefined : Number(values.limit),
);

const leadSilence = Number(values['lead-silence']);
if (!(leadSilence >= 0)) {
  console.error('transcribe-wer: --lead-silence takes seconds ≥ 0');
  process.exit(2);
}
/** The utterance's WAV path, or its samples (channels averaged) after `leadSilence` seconds of silence. */
function input(wav: string): SpeechInput {
  if (leadSilence === 0) return wav;
  const { samples, sampleRate } = decodeWav(wav);
  const mono = downmix(samples);
  const padded = new Float32Array(Math.round(leadSilence * sampleRate) + mono.length);
  padded.set(mono, padded.length - mono.length);
  return audioFromSamples(padded, sampleRate);
}

const hypotheses: string[] = [];
const startErrors: number[] = [];
const endErrors: number[] = [];
let audioSeconds = 0;
const started = performance.now();
for (const utterance of utterances) {
  const result = await transcribe(input(utterance.wav), {
    model: values.model,
    attention: false,
  });
  hypotheses.push(result.text);
  audioSeconds += result.durationSeconds;
  const errors = wordBoundaryErrors(shiftWords(utterance.words, leadSilence), result.words);
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
  `model ${values.model}; ${utterances.length} utterances from ${data} (${audioSeconds.toFixed(1)} s of audio` +
    `${leadSilence > 0 ? `, each after ${leadSilence} s of silence` : ''})`,
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
