// Whisper's log-mel spectrogram (openai/whisper audio.py log_mel_spectrogram; Hugging Face
// WhisperFeatureExtractor): periodic Hann window, centred STFT with reflect padding, power, mel filters,
// log10 floored at 1e-10, clamped to 8 below the maximum, then (x + 4) / 4.
//   x [n] samples (after padding or trimming to chunkSamples), N = nFft, H = hopLength
//   frames F = ⌊n / H⌋ (the STFT's 1 + ⌊n / H⌋ frames less the last, as Whisper drops it)
//   power [N/2 + 1] per frame, filters [nMels, N/2 + 1], output [nMels, F]
import { createTensor, describeValue, invalidArgument, type Tensor } from '@attn/core-attention';
import { expectFiniteSamples } from '../io/decoded-audio.js';
import { createFftPlan, fft } from './fft.js';
import { melFilterbank } from './mel-filterbank.js';

/** The feature extractor's settings; defaults are Whisper's (preprocessor_config.json). */
export interface WhisperLogMelOptions {
  /** Mel bins: 80, or 128 for large-v3 (`feature_size`). Default 80. */
  nMels?: number;
  /** STFT window and FFT length (`n_fft`). Default 400. */
  nFft?: number;
  /** Samples between frames (`hop_length`). Default 160. */
  hopLength?: number;
  /** Sample rate of `samples` (`sampling_rate`). Default 16000. */
  sampleRate?: number;
  /** Zero-pad or trim the samples to this length first (`n_samples`: 480,000 for 30 s). Default: as given. */
  chunkSamples?: number;
}

/**
 * Whisper's encoder input for mono 16 kHz samples: a [nMels, frames] float32 tensor.
 *
 * @example
 * ```ts
 * const features = whisperLogMel(new Float32Array(16000), { chunkSamples: 80000 }); // 1 s of silence in a 5 s chunk
 * features.dims; // [80, 500]
 * features.data[0]; // -1.5: log10(1e-10) = -10, (−10 + 4) / 4
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `samples` is not a Float32Array, an option is not a positive
 * integer, or the samples (after chunkSamples) are too few for one frame with nFft / 2 reflect padding.
 * @throws {AttnError} INPUT_FORMAT when a sample is NaN or infinite.
 */
export function whisperLogMel(
  samples: Float32Array,
  options: WhisperLogMelOptions = {},
): Tensor<'float32'> {
  const fn = 'whisperLogMel';
  const { nMels = 80, nFft = 400, hopLength = 160, sampleRate = 16000, chunkSamples } = options;
  if (!(samples instanceof Float32Array))
    throw invalidArgument(fn, 'samples', 'a Float32Array', describeValue(samples));
  for (const [name, value] of Object.entries({
    nMels,
    nFft,
    hopLength,
    sampleRate,
    chunkSamples,
  })) {
    if (value === undefined && name === 'chunkSamples') continue;
    if (!(Number.isSafeInteger(value) && (value as number) > 0))
      throw invalidArgument(fn, `options.${name}`, 'a positive integer', describeValue(value));
  }
  expectFiniteSamples(fn, samples, 0);
  const x = chunkSamples === undefined ? samples : padOrTrim(samples, chunkSamples);
  const n = x.length;
  const pad = Math.floor(nFft / 2);
  const frames = Math.floor((n + 2 * pad - nFft) / hopLength); // 1 + ⌊…⌋ STFT frames, less the last
  if (n <= pad || frames < 1) {
    const needed = Math.max(pad + 1, nFft - 2 * pad + hopLength);
    throw invalidArgument(
      fn,
      'samples',
      `at least ${needed} samples for one frame, reflect padding by nFft / 2 included (or options.chunkSamples to pad to)`,
      describeValue(samples),
    );
  }
  const filters = melFilterbank(nMels, nFft, sampleRate);
  const bins = Math.floor(nFft / 2) + 1;
  const filterSpans = nonZeroSpans(filters.data, nMels, bins);
  const window = new Float64Array(nFft);
  for (let t = 0; t < nFft; t++) window[t] = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / nFft); // periodic Hann

  const plan = createFftPlan(nFft);
  const frameReal = new Float64Array(nFft);
  const frameImaginary = new Float64Array(nFft);
  const spectrumReal = new Float64Array(nFft);
  const spectrumImaginary = new Float64Array(nFft);
  const powerEven = new Float64Array(bins);
  const powerOdd = new Float64Array(bins);
  const output = createTensor('float32', [nMels, frames]);
  const logMel = output.data;
  let maximum = -Infinity;
  const melInto = (power: Float64Array, f: number): void => {
    for (let i = 0; i < nMels; i++) {
      let energy = 0;
      const end = filterSpans[2 * i + 1] as number;
      for (let k = filterSpans[2 * i] as number; k < end; k++)
        energy += (filters.data[i * bins + k] as number) * (power[k] as number);
      const value = Math.log10(Math.max(energy, 1e-10));
      logMel[i * frames + f] = value;
      if (value > maximum) maximum = value;
    }
  };
  // Two real frames per complex FFT: z = even + i·odd, so Z[k] = E[k] + i·O[k] with E, O Hermitian.
  for (let f = 0; f < frames; f += 2) {
    // 1) window frames f and f + 1, centred on samples f·H and (f + 1)·H, reflecting at both ends
    //    ([a b c] pads to [c b | a b c | b a]); a missing last odd frame is zeros
    windowFrame(x, f, hopLength, pad, window, frameReal);
    if (f + 1 < frames) windowFrame(x, f + 1, hopLength, pad, window, frameImaginary);
    else frameImaginary.fill(0);
    fft(plan, frameReal, frameImaginary, spectrumReal, spectrumImaginary);
    // 2) power: with Z[k] = a + ib and Z[N − k] = c + id, |E[k]|² = ((a + c)² + (b − d)²) / 4 and
    //    |O[k]|² = ((a − c)² + (b + d)²) / 4. Cancellation leaves at most ~1e-16 of the other frame's
    //    power, 160 dB down: always under the clamp of step 4, which is 80 dB below the loudest bin.
    for (let k = 0; k < bins; k++) {
      const mirror = k === 0 ? 0 : nFft - k;
      const a = spectrumReal[k] as number;
      const b = spectrumImaginary[k] as number;
      const c = spectrumReal[mirror] as number;
      const d = spectrumImaginary[mirror] as number;
      powerEven[k] = ((a + c) ** 2 + (b - d) ** 2) / 4;
      powerOdd[k] = ((a - c) ** 2 + (b + d) ** 2) / 4;
    }
    // 3) mel filters, log10 with the 1e-10 floor
    melInto(powerEven, f);
    if (f + 1 < frames) melInto(powerOdd, f + 1);
  }
  // 4) dynamic range 8 (80 dB) below the loudest bin, then scale to about [-1, 1]
  const floor = maximum - 8;
  for (let i = 0; i < logMel.length; i++)
    logMel[i] = (Math.max(logMel[i] as number, floor) + 4) / 4;
  return output;
}

/** Frame f of x, centred on sample f·H, reflected at the ends, times the window. */
function windowFrame(
  x: Float32Array,
  f: number,
  hopLength: number,
  pad: number,
  window: Float64Array,
  frame: Float64Array,
): void {
  const n = x.length;
  for (let t = 0; t < window.length; t++) {
    let s = f * hopLength - pad + t;
    if (s < 0) s = -s;
    else if (s >= n) s = 2 * (n - 1) - s;
    frame[t] = (x[s] as number) * (window[t] as number);
  }
}

/** Zero-pads at the end or trims to `length` samples, as Whisper's pad_or_trim. */
function padOrTrim(samples: Float32Array, length: number): Float32Array {
  if (samples.length >= length) return samples.subarray(0, length);
  const padded = new Float32Array(length);
  padded.set(samples);
  return padded;
}

/** [start, end) of the non-zero weights of each filter row, so the product skips the zeros. */
function nonZeroSpans(filters: Float32Array, rows: number, columns: number): Int32Array {
  const spans = new Int32Array(2 * rows);
  for (let i = 0; i < rows; i++) {
    let start = 0;
    let end = columns;
    while (start < end && filters[i * columns + start] === 0) start++;
    while (end > start && filters[i * columns + end - 1] === 0) end--;
    spans[2 * i] = start;
    spans[2 * i + 1] = end;
  }
  return spans;
}
