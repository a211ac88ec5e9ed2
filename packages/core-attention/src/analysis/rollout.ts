// Attention rollout (Abnar & Zuidema 2020, https://arxiv.org/abs/2005.00928): how much each output
// position of the last covered layer draws on each input token, by multiplying the per-layer attention
// graphs from the first layer to the last.
//
// Legend: Ã_l [T, T] residual-mixed attention of layer l (see residual-attention.ts); R = Ã_L · … · Ã_2 · Ã_1.
import { createTensor, type Tensor } from '../tensor/index.js';
import type { AttentionMaps } from './attention-maps.js';
import { residualAttention, type ResidualAttentionOptions } from './residual-attention.js';

/**
 * The rollout R [T (output positions), T (input tokens)]: row i says how much position i of the last
 * covered layer draws on each input token. Layers are multiplied in their (ascending) covered order, so
 * maps that skip layers give the rollout of the covered ones only. Rows of R sum to 1 when the rows of
 * the maps do.
 *
 * @example
 * ```ts
 * // A_1 = [[1, 0], [1, 0]], A_2 = [[0, 1], [0, 1]], r = 0.5
 * // Ã_1 = 0.5·A_1 + 0.5·I = [[1, 0], [0.5, 0.5]];  Ã_2 = [[0.5, 0.5], [0, 1]]
 * // R = Ã_2 · Ã_1 = [[0.5·1 + 0.5·0.5, 0.5·0 + 0.5·0.5], [0·1 + 1·0.5, 0·0 + 1·0.5]] = [[0.75, 0.25], [0.5, 0.5]]
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [0, 1], heads: [0], queryLabels: ['a', 'b'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]),
 * });
 * attentionRollout(maps).data; // Float32Array [0.75, 0.25, 0.5, 0.5]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the maps are not square self-attention, `residualWeight` is outside [0, 1],
 * `headReduction` is malformed, or a weight is negative or NaN.
 */
export function attentionRollout(
  maps: AttentionMaps,
  options: ResidualAttentionOptions = {},
): Tensor<'float32'> {
  const {
    data: mixed,
    layers: L,
    tokens: T,
  } = residualAttention('attentionRollout', maps, options);
  let R = mixed.slice(0, T * T); // Ã_1
  let product = new Float64Array(T * T);
  for (let l = 1; l < L; l++) {
    const layer = l * T * T;
    // product = Ã_l · R
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) {
        let sum = 0;
        for (let k = 0; k < T; k++)
          sum += (mixed[layer + i * T + k] as number) * (R[k * T + j] as number);
        product[i * T + j] = sum;
      }
    }
    [R, product] = [product, R];
  }
  return createTensor('float32', [T, T], Float32Array.from(R));
}
