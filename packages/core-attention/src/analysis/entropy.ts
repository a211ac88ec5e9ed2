// Per-head attention entropy: H(p) = −Σ_k p_k ln p_k in nats for each query row, averaged over the
// rows that are not masked. Uniform rows over S keys give ln S; one-hot rows give 0.
//
// Legend: weights [L, H, T, S] (layers, heads, queries, keys); p one row divided by its sum Z.
import { describeValue, invalidArgument } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';
import type { AttentionMaps } from './attention-maps.js';

/**
 * Mean row entropy of each head, in nats: [L, H] as a float64 tensor.
 *
 * Each row is divided by its sum first, so rows that drifted from 1 (float32 rounding, word pooling)
 * are treated as distributions. Rows that sum to 0 (fully masked queries) are left out of the mean;
 * a head whose every row is masked gets NaN. 0 · ln 0 counts as 0.
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [0], heads: [0, 1], queryLabels: ['a', 'b'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([0.5, 0.5, 0.5, 0.5, 1, 0, 0, 0]), // head 1's second row is masked
 * });
 * headEntropy(maps).data; // Float64Array [0.6931471805599453, 0] (ln 2, and 0 for one-hot)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a weight is negative or NaN.
 */
export function headEntropy(maps: AttentionMaps): Tensor<'float64'> {
  const [L, H, T, S] = maps.dims;
  const weights = maps.data;
  const entropy = new Float64Array(L * H);
  for (let head = 0; head < L * H; head++) {
    let sum = 0;
    let rows = 0;
    for (let t = 0; t < T; t++) {
      const row = (head * T + t) * S;
      const Z = rowSum('headEntropy', weights, row, S);
      if (Z === 0) continue;
      let h = 0;
      for (let k = 0; k < S; k++) {
        const p = (weights[row + k] as number) / Z;
        if (p > 0) h -= p * Math.log(p);
      }
      sum += h;
      rows++;
    }
    entropy[head] = rows === 0 ? Number.NaN : sum / rows;
  }
  return createTensor('float64', [L, H], entropy);
}

/**
 * Sum of `length` weights from `start`, checking that none is negative or NaN.
 *
 * @example
 * ```ts
 * rowSum('f', new Float32Array([0.25, 0.75]), 0, 2); // 1
 * ```
 * @throws {AttnError} INVALID_ARGUMENT at the first negative or NaN weight.
 */
export function rowSum(fn: string, weights: Float32Array, start: number, length: number): number {
  let Z = 0;
  for (let k = start; k < start + length; k++) {
    const w = weights[k] as number;
    if (!(w >= 0)) {
      throw invalidArgument(
        fn,
        `maps.data[${k}]`,
        'a non-negative attention weight',
        describeValue(w),
        {
          likelyCause:
            'the maps hold scores or normalised values rather than softmax probabilities',
        },
      );
    }
    Z += w;
  }
  return Z;
}
