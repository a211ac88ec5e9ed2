// Triangular mel filters on the Slaney mel scale with Slaney area normalisation, as
// librosa.filters.mel(sr, n_fft, n_mels, htk=False, norm='slaney') builds them and Whisper ships them
// (Slaney, Auditory Toolbox, 1998: linear below 1 kHz, logarithmic above).
import { createTensor, describeValue, invalidArgument, type Tensor } from '@attn/core-attention';

const hertzPerMel = 200 / 3; // linear part: 3 mels per 200 Hz
const logStartHertz = 1000;
const logStartMel = logStartHertz / hertzPerMel; // 15
const melsPerLogStep = 27 / Math.log(6.4); // 27 mels per factor 6.4 in frequency above 1 kHz

/** Hz to Slaney mels. */
function hertzToMel(hertz: number): number {
  return hertz < logStartHertz
    ? hertz / hertzPerMel
    : logStartMel + Math.log(hertz / logStartHertz) * melsPerLogStep;
}

/** Slaney mels to Hz. */
function melToHertz(mel: number): number {
  return mel < logStartMel
    ? mel * hertzPerMel
    : logStartHertz * Math.exp((mel - logStartMel) / melsPerLogStep);
}

/**
 * The [nMels, nFft / 2 + 1] filterbank over 0 Hz … sampleRate / 2: filter i rises from mel point i to
 * i + 1 and falls to i + 2 (nMels + 2 points evenly spaced in mels), scaled by 2 / (f_{i+2} − f_i) so
 * every filter has the same area.
 *
 * @example
 * ```ts
 * const filters = melFilterbank(80, 400, 16000); // Whisper's mel_80
 * filters.dims; // [80, 201]
 * filters.data[1]; // 0.024862595 (filter 0 at 40 Hz)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `nMels` or `nFft` is not a positive integer or
 * `sampleRate` is not positive.
 */
export function melFilterbank(nMels: number, nFft: number, sampleRate: number): Tensor<'float32'> {
  const fn = 'melFilterbank';
  if (!(Number.isInteger(nMels) && nMels > 0))
    throw invalidArgument(fn, 'nMels', 'a positive integer', describeValue(nMels));
  if (!(Number.isInteger(nFft) && nFft > 1))
    throw invalidArgument(fn, 'nFft', 'an integer ≥ 2', describeValue(nFft));
  if (!(Number.isFinite(sampleRate) && sampleRate > 0))
    throw invalidArgument(fn, 'sampleRate', 'a positive number of Hz', describeValue(sampleRate));
  const bins = Math.floor(nFft / 2) + 1;
  const topMel = hertzToMel(sampleRate / 2);
  const points = Array.from({ length: nMels + 2 }, (_, i) =>
    melToHertz((topMel * i) / (nMels + 1)),
  );
  const filters = createTensor('float32', [nMels, bins]);
  for (let i = 0; i < nMels; i++) {
    const [left, center, right] = [points[i], points[i + 1], points[i + 2]] as [
      number,
      number,
      number,
    ];
    const area = 2 / (right - left);
    for (let k = 0; k < bins; k++) {
      const hertz = (k * sampleRate) / nFft;
      const rising = (hertz - left) / (center - left);
      const falling = (right - hertz) / (right - center);
      filters.data[i * bins + k] = Math.max(0, Math.min(rising, falling)) * area;
    }
  }
  return filters;
}
