// `pnpm --filter @attn/bench exec tsx src/transcribe.ts [--model DIR] [--folder WAVS] [--limit N] [--runs 3]
// [--max-new-tokens 64]`:
// real-time factor of attn's transcribe() against transformers.js's automatic-speech-recognition pipeline on the same
// model folder and WAV files, in one process. transformers.js gets its audio decoded by hand with wavefile, as its
// Node.js guide says (32-bit float, resampled to 16 kHz, channels merged); attn reads the WAV paths itself. Both
// decode greedily with the same token limit; audio of one chunk is one window in both (longer audio: attn cuts its
// windows at pauses, transformers.js steps by the chunk less two strides of a twelfth of it);
// attn always times its words, so it is compared with transformers.js with and without word timestamps.
// Without --folder, a synthetic 20 s WAV (a gliding tone with noise) is written to a temporary folder.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, pipeline } from '@huggingface/transformers';
import { disposeSpeechModels, transcribe } from '@attn/audio';
import { modelsRoot } from '@attn/models';
import wavefile from 'wavefile';
import { formatTable, measure } from './harness/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: resolve(modelsRoot, 'whisper-espeak') },
    folder: { type: 'string' },
    limit: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'max-new-tokens': { type: 'string', default: '64' },
  },
});
const model = resolve(values.model);
const runs = Number(values.runs);
const maxNewTokens = Number(values['max-new-tokens']);
const folder = values.folder === undefined ? syntheticFolder(20) : resolve(values.folder);
const paths = readdirSync(folder)
  .filter((name) => name.toLowerCase().endsWith('.wav'))
  .sort()
  .slice(0, values.limit === undefined ? undefined : Number(values.limit))
  .map((name) => join(folder, name));
const chunkSeconds = (
  JSON.parse(readFileSync(join(model, 'preprocessor_config.json'), 'utf8')) as {
    chunk_length: number;
  }
).chunk_length;
let audioSeconds = 0;
for (const path of paths) audioSeconds += decodeForTransformersJs(path).length / 16000;

env.allowRemoteModels = false;
const peer = await pipeline('automatic-speech-recognition', model, { dtype: 'fp32' });
// comparable windows: transformers.js strides by chunk − 2 × stride_length_s; attn's overlap (2 × that stride) bounds
// where it looks for a cut when a window holds no pause
const strideSeconds = Math.round((chunkSeconds * 16000) / 12) / 16000;
const peerTranscribe = async (wordTimestamps: boolean): Promise<string[]> => {
  const texts: string[] = [];
  for (const path of paths) {
    const output = await peer(decodeForTransformersJs(path), {
      language: 'en',
      task: 'transcribe',
      max_new_tokens: maxNewTokens,
      chunk_length_s: chunkSeconds,
      stride_length_s: strideSeconds,
      return_timestamps: wordTimestamps ? 'word' : false,
    } as never);
    texts.push((output as { text: string }).text);
  }
  return texts;
};
const ours = async (): Promise<string[]> => {
  const texts: string[] = [];
  for (const path of paths) {
    const result = await transcribe(path, {
      model,
      maxNewTokens,
      overlapSeconds: 2 * strideSeconds,
      attention: false,
    });
    texts.push(result.text);
  }
  return texts;
};

console.log(
  `model ${model} (${chunkSeconds} s chunks); ${paths.length} WAV files, ${audioSeconds.toFixed(1)} s of audio in ${folder}; ` +
    `greedy, at most ${maxNewTokens} new tokens per window; median of ${runs} runs`,
);
const options = { warmup: 1, runs, unitsPerRun: audioSeconds };
const results = [
  await measure('attn (word timestamps)', ours, options),
  await measure('transformers.js (word timestamps)', () => peerTranscribe(true), options),
  await measure('transformers.js (text only)', () => peerTranscribe(false), options),
];
console.log(
  formatTable('transcription speed (audio s/s = 1 / real-time factor)', results, {
    baseline: 'transformers.js (word timestamps)',
    unit: 'audio s',
  }),
);
const [ourTexts, peerTexts] = [await ours(), await peerTranscribe(false)];
console.log(
  `  first file's text: attn ${JSON.stringify(ourTexts[0]?.slice(0, 60))}, transformers.js (text only) ${JSON.stringify(peerTexts[0]?.trim().slice(0, 60))}`,
);
for (const result of results)
  console.log(
    `  ${result.name}: real-time factor ${(result.medianMs / 1000 / audioSeconds).toFixed(4)}`,
  );
await disposeSpeechModels();

/** A WAV file as transformers.js's Node.js guide decodes it: wavefile, 32-bit float, 16 kHz, channels merged. */
function decodeForTransformersJs(path: string): Float32Array {
  const wav = new wavefile.WaveFile(readFileSync(path));
  wav.toBitDepth('32f');
  wav.toSampleRate(16000);
  let samples = wav.getSamples() as unknown as Float64Array | Float64Array[];
  if (Array.isArray(samples)) {
    if (samples.length > 1) {
      const [left, right] = samples as [Float64Array, Float64Array];
      for (let i = 0; i < left.length; i++)
        left[i] = (Math.SQRT2 * ((left[i] as number) + (right[i] as number))) / 2;
    }
    samples = samples[0] as Float64Array;
  }
  return Float32Array.from(samples);
}

/** A folder with one synthetic WAV of `seconds` at 16 kHz: a gliding tone with noise, 16-bit mono. */
function syntheticFolder(seconds: number): string {
  const target = mkdtempSync(join(tmpdir(), 'attn-bench-transcribe-'));
  let state = 1;
  const noise = (): number =>
    ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const samples = Array.from({ length: seconds * 16000 }, (_, t) => {
    const time = t / 16000;
    const x = 0.3 * Math.sin(2 * Math.PI * (180 + 60 * Math.sin(3 * time)) * time) + 0.05 * noise();
    return Math.round(x * 32767);
  });
  const file = new wavefile.WaveFile();
  file.fromScratch(1, 16000, '16', samples);
  writeFileSync(join(target, 'synthetic.wav'), file.toBuffer());
  return target;
}
