// Whisper's per-head normalisation of alignment-head cross-attention before the median filter and DTW
// (openai/whisper timing.py, transformers' _extract_token_timestamps): each frame's column is standardised
// across the text tokens, (w − mean) / std with the population std (torch.std_mean(dim=−2, unbiased=False)).
//
// Legend: weights [..., T, F] (any leading axes, e.g. heads; T text tokens, F time frames).
import { invalidArgument } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectFloatTensor } from './float-tensor.js';

/**
 * For every leading index and every frame f, replaces weights[..., :, f] by (w − mean) / std over the T tokens.
 * Note the axis: Whisper normalises over tokens (dim −2), not over frames. A column with std 0 (for example a
 * single token) becomes zeros where Whisper would divide by zero.
 *
 * @example
 * ```ts
 * // 2 tokens × 2 frames: frame 0 has (0.2, 0.6): mean 0.4, std 0.2 -> (−1, 1); frame 1 has (0.8, 0.4) -> (1, −1)
 * standardizeAlignmentHeads(createTensor('float64', [2, 2], new Float64Array([0.2, 0.8, 0.6, 0.4]))).data;
 * // Float64Array [−1, 1, 1, −1] (to float rounding)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `weights` is not a float tensor of rank ≥ 2.
 */
export function standardizeAlignmentHeads<T extends 'float32' | 'float64'>(
  weights: Tensor<T>,
): Tensor<T> {
  const fn = 'standardizeAlignmentHeads';
  expectFloatTensor(fn, 'weights', weights as Tensor<'float32'> | Tensor<'float64'>);
  const rank = weights.dims.length;
  if (rank < 2)
    throw invalidArgument(
      fn,
      'weights',
      'a tensor of rank ≥ 2 ([..., tokens, frames])',
      `rank ${rank}`,
    );
  const T = weights.dims[rank - 2] as number;
  const F = weights.dims[rank - 1] as number;
  const w = weights.data as Float32Array | Float64Array;
  const output = createTensor(weights.type, weights.dims);
  const result = output.data as Float32Array | Float64Array;
  for (let matrix = 0; matrix < w.length; matrix += T * F) {
    for (let f = 0; f < F; f++) {
      let mean = 0;
      for (let t = 0; t < T; t++) mean += w[matrix + t * F + f] as number;
      mean /= T;
      let variance = 0;
      for (let t = 0; t < T; t++) variance += ((w[matrix + t * F + f] as number) - mean) ** 2;
      const std = Math.sqrt(variance / T);
      for (let t = 0; t < T; t++)
        result[matrix + t * F + f] =
          std === 0 ? 0 : ((w[matrix + t * F + f] as number) - mean) / std;
    }
  }
  return output;
}
