// A picture of a transcription: the log-mel spectrogram on top, a band marking each word's span, and the alignment
// heads' cross-attention (token × frame, mean over the heads, each row scaled to its own range) below, with white
// lines at every word boundary through both — where the model listened while it wrote each token.
import { describeValue, heatmapRaster, invalidArgument } from '@attn/core-attention';
import { whisperLogMel } from '../features/whisper-log-mel.js';
import { openSpeechAudio, type SpeechInput } from './speech-audio.js';
import type { Transcription } from './transcribe.js';
import { writePng } from './write-png.js';

export interface TranscriptionPngOptions {
  /** Picture width in pixels. Default 1000. */
  width?: number;
  /** Spectrogram height in pixels. Default 160. */
  spectrogramHeight?: number;
  /** Pixels per token row of the attention. Default 12. */
  rowHeight?: number;
}

const bandHeight = 10;

/**
 * Draws `result` (a transcription of `audio` that fits one chunk, with its attention) as a PNG at `path`, written
 * atomically. Height = spectrogramHeight + 10 + rowHeight × attention rows.
 *
 * @example
 * ```ts
 * const result = await transcribe('hello.wav');
 * await renderTranscriptionPng(result, 'hello.wav', 'out/hello.png'); // 1000 × (160 + 10 + 12 × 4) pixels
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `result` has no attention (audio longer than one chunk, or
 * `attention: false`), an option is not a positive integer, or `path` cannot be written; decodeWav's errors for
 * the audio.
 */
export async function renderTranscriptionPng(
  result: Transcription,
  audio: SpeechInput,
  path: string,
  options: TranscriptionPngOptions = {},
): Promise<void> {
  const fn = 'renderTranscriptionPng';
  const maps = result?.attention;
  if (maps === undefined)
    throw invalidArgument(fn, 'result', 'a transcription with attention', 'attention undefined', {
      likelyCause: 'the audio is longer than one chunk, or transcribe() ran with attention: false',
      fix: 'transcribe an excerpt of one chunk with attention on',
    });
  const { width = 1000, spectrogramHeight = 160, rowHeight = 12 } = options;
  for (const [name, value] of Object.entries({ width, spectrogramHeight, rowHeight }))
    if (!(Number.isInteger(value) && value > 0))
      throw invalidArgument(fn, `options.${name}`, 'a positive integer', describeValue(value));
  if (typeof path !== 'string' || path === '')
    throw invalidArgument(fn, 'path', 'a non-empty file path', describeValue(path));

  const [, heads, rows, frames] = maps.dims;
  const seconds = frames * result.secondsPerFrame;
  const samplesShown = Math.round(seconds * 16000);
  const speech = openSpeechAudio(fn, audio, 16000);
  let samples: Float32Array;
  try {
    samples = speech.read(0, samplesShown);
  } finally {
    speech.close();
  }
  const mel = whisperLogMel(samples, { chunkSamples: samplesShown }); // [80, 2·frames]
  const [mels, melFrames] = mel.dims as [number, number];
  const flipped = new Float32Array(mel.data.length); // low frequencies at the bottom
  for (let m = 0; m < mels; m++)
    flipped.set(mel.data.subarray(m * melFrames, (m + 1) * melFrames), (mels - 1 - m) * melFrames);
  const spectrogram = heatmapRaster(flipped, mels, melFrames, {
    width,
    height: spectrogramHeight,
    colormap: 'magma',
  });

  // mean over the alignment heads the maps hold ([layer, head, row, frame])
  const mean = new Float32Array(rows * frames);
  const used = result.alignmentHeads.filter(
    ([layer, head]) => maps.layers.includes(layer) && maps.heads.includes(head),
  );
  for (const [layer, head] of used) {
    const from = (maps.layers.indexOf(layer) * heads + maps.heads.indexOf(head)) * rows * frames;
    for (let i = 0; i < rows * frames; i++)
      mean[i] = (mean[i] as number) + (maps.data[from + i] as number) / used.length;
  }
  const attentionHeight = rowHeight * rows;
  const attention = heatmapRaster(mean, rows, frames, {
    width,
    height: attentionHeight,
    normalization: 'per-row',
  });

  const height = spectrogramHeight + bandHeight + attentionHeight;
  const canvas = new Uint8ClampedArray(width * height * 4);
  canvas.set(spectrogram.data, 0);
  canvas.set(attention.data, width * (spectrogramHeight + bandHeight) * 4);
  const x = (time: number): number =>
    Math.min(width - 1, Math.max(0, Math.round((time / seconds) * width)));
  result.words.forEach((word, index) => {
    // the band: alternate light and mid grey spans, so neighbouring words stay apart
    const shade = index % 2 === 0 ? 230 : 150;
    for (let y = spectrogramHeight + 2; y < spectrogramHeight + bandHeight - 2; y++)
      for (let column = x(word.start); column <= x(word.end); column++)
        paint(canvas, width, column, y, shade, 1);
    for (const time of [word.start, word.end])
      for (let y = 0; y < height; y++) paint(canvas, width, x(time), y, 255, 0.6);
  });
  for (let i = 0; i < width * height; i++) canvas[i * 4 + 3] = 255;
  await writePng(path, { width, height, data: canvas });
}

/** Blends grey `value` into pixel (column, y) with weight `alpha`. */
function paint(
  canvas: Uint8ClampedArray,
  width: number,
  column: number,
  y: number,
  value: number,
  alpha: number,
): void {
  const at = (y * width + column) * 4;
  for (let c = 0; c < 3; c++)
    canvas[at + c] = (1 - alpha) * (canvas[at + c] as number) + alpha * value;
}
