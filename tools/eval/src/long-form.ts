// `pnpm --filter @attn/eval exec tsx src/long-form.ts --data DIR [--model attn/whisper-espeak] [--seconds 180]
// [--gap 0.4] [--overlap SECONDS] [--segments] [--cut-at-boundaries]`: long-form transcription. Held-out utterances (DIR/manifest.jsonl, speech-manifest.ts) are joined in
// manifest order, with `gap` seconds of silence between them, until the audio lasts `seconds`; transcribe() reads it
// in its overlapping windows. Checks that every word time lies inside the audio and that starts never go backwards
// (exit 1 otherwise), and compares the WER and word-boundary error of the whole with those of its parts transcribed
// one by one — a word lost or doubled at a window edge shows as a gap between the two. The gap is also given paired
// by utterance (the whole's errors charged to the utterance they fall in), with a 95% confidence interval from the
// spread of the per-utterance differences (normal approximation). --segments prints every
// segment's text under the gold words spoken in its time span, to see where a window edge cost words.
// --cut-at-boundaries reads the whole in windows cut where the utterances meet instead (as many whole utterances as
// fit in the model's chunk, each window transcribed on its own; an utterance longer than the chunk is read in
// transcribe()'s windows, and --overlap does not apply): what the model makes of windows that hold sentence
// ends and starts when the cuts are right, to tell a gap that comes from where windows are cut from one that comes
// from how the model reads them.
import { parseArgs } from 'node:util';
import {
  audioFromSamples,
  decodeWav,
  disposeSpeechModels,
  transcribe,
  type Transcription,
} from '@attn/audio';
import { openModelFolder } from '@attn/core-attention/runtime';
import { modelsRoot } from '@attn/models';
import { readSpeechManifest, shiftWords } from './speech-manifest.js';
import { quantile, wordBoundaryErrors, type TimedWord } from './word-boundary-error.js';
import { errorsPerReference, wordErrorRate, wordErrors } from './word-error-rate.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    model: { type: 'string', default: 'attn/whisper-espeak' },
    seconds: { type: 'string', default: '180' },
    gap: { type: 'string', default: '0.4' },
    overlap: { type: 'string' },
    segments: { type: 'boolean', default: false },
    'cut-at-boundaries': { type: 'boolean', default: false },
  },
});
if (values.data === undefined || (values['cut-at-boundaries'] && values.overlap !== undefined)) {
  console.error(
    'usage: tsx src/long-form.ts --data DIR [--model attn/whisper-espeak] [--seconds 180] [--gap 0.4] [--overlap SECONDS] [--segments] [--cut-at-boundaries]',
  );
  process.exit(2);
}
const sampleRate = 16_000;
const target = Number(values.seconds);
const gap = Math.round(Number(values.gap) * sampleRate);

// the parts, their samples and their gold words moved to their place in the whole
const parts: { text: string; samples: Float32Array; offset: number }[] = [];
const goldWords: TimedWord[] = [];
let length = 0;
for (const utterance of readSpeechManifest(values.data)) {
  if (length >= target * sampleRate) break;
  const audio = decodeWav(utterance.wav);
  if (audio.sampleRate !== sampleRate || audio.channels !== 1)
    throw new Error(`${utterance.wav}: expected 16 kHz mono, as the speech recipe writes`);
  const offset = length / sampleRate;
  parts.push({ text: utterance.text, samples: audio.samples[0]!, offset });
  goldWords.push(...shiftWords(utterance.words, offset));
  length += audio.samples[0]!.length + gap;
}
const whole = new Float32Array(length);
for (const part of parts) whole.set(part.samples, Math.round(part.offset * sampleRate));

const started = performance.now();
const result = values['cut-at-boundaries']
  ? await transcribeAtBoundaries()
  : await transcribe(audioFromSamples(whole, sampleRate), {
      model: values.model,
      attention: false,
      ...(values.overlap === undefined ? {} : { overlapSeconds: Number(values.overlap) }),
    });
const seconds = (performance.now() - started) / 1000;

/** The whole read in windows of whole utterances (as many as fit in the model's chunk), each transcribed alone. */
async function transcribeAtBoundaries(): Promise<
  Pick<Transcription, 'text' | 'words' | 'segments' | 'durationSeconds'>
> {
  const folder = await openModelFolder(values.model, { modelsRoot });
  const preprocessor = (await folder.readJson('preprocessor_config.json')) as Record<
    string,
    unknown
  >;
  const chunk = Number(preprocessor['chunk_length']) * sampleRate;
  if (!(chunk > 0))
    throw new Error(
      `${folder.source}/preprocessor_config.json: chunk_length is not a positive number`,
    );
  const ends = parts.map((part) => Math.round(part.offset * sampleRate) + part.samples.length);
  const read: Pick<Transcription, 'text' | 'words' | 'segments' | 'durationSeconds'> = {
    text: '',
    words: [],
    segments: [],
    durationSeconds: whole.length / sampleRate,
  };
  for (let first = 0; first < parts.length;) {
    const from = Math.round((parts[first] as (typeof parts)[number]).offset * sampleRate);
    let last = first;
    while (last + 1 < parts.length && (ends[last + 1] as number) - from <= chunk) last++;
    const window = await transcribe(
      audioFromSamples(whole.subarray(from, ends[last]), sampleRate),
      {
        model: values.model,
        attention: false,
      },
    );
    // in whole microseconds, so that one window's end and the next one's start compare equal where they meet
    const shifted = (seconds: number): number =>
      Math.round((seconds + from / sampleRate) * 1e6) / 1e6;
    read.text = `${read.text} ${window.text}`.trim();
    read.words.push(
      ...window.words.map((word) => ({
        ...word,
        start: shifted(word.start),
        end: shifted(word.end),
      })),
    );
    read.segments.push(
      ...window.segments.map((segment) => ({
        ...segment,
        start: shifted(segment.start),
        end: shifted(segment.end),
      })),
    );
    first = last + 1;
  }
  return read;
}

const problems: string[] = [];
result.words.forEach((word, index) => {
  if (!(word.start >= 0 && word.start <= word.end && word.end <= result.durationSeconds))
    problems.push(
      `word ${index} "${word.word}" [${word.start}, ${word.end}] is outside the audio or reversed`,
    );
  const previous = result.words[index - 1];
  if (previous !== undefined && word.start < previous.start)
    problems.push(
      `word ${index} "${word.word}" starts at ${word.start}, before word ${index - 1} (${previous.start})`,
    );
});

result.segments.forEach((segment, index) => {
  const previous = result.segments[index - 1];
  if (!(segment.start < segment.end && segment.end <= result.durationSeconds))
    problems.push(
      `segment ${index} [${segment.start}, ${segment.end}] is outside the audio or empty`,
    );
  if (previous !== undefined && segment.start < previous.end)
    problems.push(
      `segment ${index} starts at ${segment.start}, before segment ${index - 1} ends (${previous.end})`,
    );
});

const partHypotheses: string[] = [];
for (const part of parts)
  partHypotheses.push(
    (
      await transcribe(audioFromSamples(part.samples, sampleRate), {
        model: values.model,
        attention: false,
      })
    ).text,
  );
const references = parts.map((part) => part.text);
const wholeWer = wordErrorRate([references.join(' ')], [result.text]);
const partsWer = wordErrorRate(references, partHypotheses);
// paired by utterance: the whole's edits charged to the utterance they fall in, minus the part's own edits
const wholeErrors = errorsPerReference(references, result.text);
const differences = references.map((reference, index) => {
  const part = wordErrors(reference, partHypotheses[index] as string);
  return (wholeErrors[index] as number) - (part.substitutions + part.deletions + part.insertions);
});
const summed = differences.reduce((sum, d) => sum + d, 0);
const meanDifference = summed / differences.length;
const variance =
  differences.reduce((sum, d) => sum + (d - meanDifference) ** 2, 0) /
  Math.max(1, differences.length - 1);
// the WER difference is the sum of the n differences over the reference words; its standard error follows
const points = (errors: number): string =>
  `${errors >= 0 ? '+' : '−'}${Math.abs((100 * errors) / wholeWer.referenceWords).toFixed(2)}`;
const spread = 1.96 * Math.sqrt(differences.length * variance);
const boundaries = wordBoundaryErrors(goldWords, result.words);
const milliseconds = (list: number[], q: number): string =>
  list.length === 0 ? 'n/a' : `${(1000 * quantile(list, q)).toFixed(0)} ms`;
const percent = (value: number): string => `${(100 * value).toFixed(2)}%`;

console.log(
  `model ${values.model}; ${parts.length} utterances of ${values.data} joined with ${values.gap} s gaps: ` +
    `${result.durationSeconds.toFixed(1)} s of audio, ${result.segments.length} segments, ${result.words.length} timed words; ` +
    `${seconds.toFixed(1)} s (real-time factor ${(seconds / result.durationSeconds).toFixed(3)})`,
);
console.log(
  `WER of the whole ${percent(wholeWer.wer)} (${wholeWer.substitutions} S, ${wholeWer.deletions} D, ${wholeWer.insertions} I ` +
    `over ${wholeWer.referenceWords} words); of its parts one by one ${percent(partsWer.wer)}`,
);
console.log(
  `whole − parts, paired by utterance: ${points(summed)} points, 95% CI [${points(summed - spread)}, ${points(summed + spread)}] ` +
    `(${differences.filter((d) => d > 0).length} utterances worse in the whole, ${differences.filter((d) => d < 0).length} better, ` +
    `${differences.filter((d) => d === 0).length} the same)`,
);
console.log(
  `word boundaries of the whole over ${boundaries.startErrors.length} correctly recognised words: ` +
    `|Δstart| median ${milliseconds(boundaries.startErrors, 0.5)}, p90 ${milliseconds(boundaries.startErrors, 0.9)}; ` +
    `|Δend| median ${milliseconds(boundaries.endErrors, 0.5)}, p90 ${milliseconds(boundaries.endErrors, 0.9)}`,
);
console.log(
  problems.length === 0
    ? 'every word time inside the audio, starts never going backwards; segments in order, none overlapping'
    : `${problems.length} timing problems:\n  ${problems.slice(0, 20).join('\n  ')}`,
);
if (values.segments)
  for (const segment of result.segments) {
    const spoken = goldWords.filter(
      (word) =>
        (word.start + word.end) / 2 >= segment.start && (word.start + word.end) / 2 < segment.end,
    );
    console.log(
      `[${segment.start.toFixed(2)}, ${segment.end.toFixed(2)}] gold: ${spoken.map((word) => word.word).join(' ')}\n` +
        `${' '.repeat(16)}heard: ${segment.text}`,
    );
  }
await disposeSpeechModels();
if (problems.length > 0) process.exitCode = 1;
