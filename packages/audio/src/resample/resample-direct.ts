// The readable slow path of resample(): every output evaluates the windowed sinc at its own time offsets,
// with no phase table. Tests hold the polyphase path equal to it.
import { kaiserSinc, resamplingFilter } from './kaiser-sinc.js';
import { validateResampleArguments } from './resample.js';

/**
 * y[j] = Σ_i x[i] · h(t_j − i) / Σ_i h(t_j − i), t_j = j · fromRate / toRate, over every i the kernel
 * reaches (x taken as 0 outside the signal); the same result as {@link resample}, computed directly.
 *
 * @example
 * ```ts
 * resampleDirect(new Float32Array(480).fill(1), 48000, 16000)[80]; // 1 (DC passes; far from both ends)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT as {@link resample}.
 */
export function resampleDirect(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
): Float32Array {
  validateResampleArguments('resampleDirect', samples, fromRate, toRate);
  if (fromRate === toRate) return samples.slice();
  const filter = resamplingFilter(fromRate, toRate);
  const output = new Float32Array(Math.round((samples.length * toRate) / fromRate));
  for (let j = 0; j < output.length; j++) {
    const t = (j * fromRate) / toRate;
    let weightSum = 0;
    let sum = 0;
    for (let i = Math.floor(t - filter.halfWidth); i <= Math.ceil(t + filter.halfWidth); i++) {
      const weight = kaiserSinc(t - i, filter);
      weightSum += weight;
      if (i >= 0 && i < samples.length) sum += weight * (samples[i] as number);
    }
    output[j] = sum / weightSum;
  }
  return output;
}
