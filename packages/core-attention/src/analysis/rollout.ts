// Attention rollout (Abnar & Zuidema 2020, https://arxiv.org/abs/2005.00928): how much each output
// position of the last covered layer draws on each input token, by multiplying the per-layer attention
// graphs from the first layer to the last.
//
// Legend: Ã_l [T, T] residual-mixed attention of layer l (see residual-attention.ts); R = Ã_L · … · Ã_2 · Ã_1.
import { describeValue, invalidArgument } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';
import type { AttentionMaps } from './attention-maps.js';
import { residualAttention, type ResidualAttentionOptions } from './residual-attention.js';

export interface RolloutOptions extends ResidualAttentionOptions {
  /**
   * Only these rows of R, as [queries.length, T] — e.g. [0] for a vision transformer's [CLS] row. Each row is a
   * vector carried down through the layers (L·T² operations instead of the full product's L·T³).
   */
  queries?: readonly number[];
}

/**
 * The rollout R [T (output positions), T (input tokens)] — or, with `queries`, only those rows: row i says how much position i of the last
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
 * attentionRollout(maps, { queries: [0] }).data; // Float32Array [0.75, 0.25]: row 0 alone
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the maps are not square self-attention, `residualWeight` is outside [0, 1],
 * `headReduction` is malformed, a weight is negative or NaN, or `queries` holds something other than token indices.
 */
export function attentionRollout(
  maps: AttentionMaps,
  options: RolloutOptions = {},
): Tensor<'float32'> {
  const {
    data: mixed,
    layers: L,
    tokens: T,
  } = residualAttention('attentionRollout', maps, options);
  if (options.queries !== undefined) return rolloutRows(mixed, L, T, options.queries);
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

/** Rows `queries` of R: e_q · Ã_L · … · Ã_1, one vector–matrix product per layer, from the last layer down. */
function rolloutRows(
  mixed: Float64Array,
  L: number,
  T: number,
  queries: readonly number[],
): Tensor<'float32'> {
  if (
    !Array.isArray(queries) ||
    !queries.every((query) => Number.isInteger(query) && query >= 0 && query < T)
  ) {
    throw invalidArgument(
      'attentionRollout',
      'options.queries',
      `an array of token indices in [0, ${T})`,
      describeValue(queries),
    );
  }
  const rows = new Float32Array(queries.length * T);
  let vector = new Float64Array(T);
  let next = new Float64Array(T);
  queries.forEach((query, row) => {
    vector.set(mixed.subarray((L - 1) * T * T + query * T, (L - 1) * T * T + (query + 1) * T));
    for (let l = L - 2; l >= 0; l--) {
      // next = vector · Ã_l
      next.fill(0);
      const layer = l * T * T;
      for (let k = 0; k < T; k++) {
        const weight = vector[k] as number;
        if (weight === 0) continue;
        for (let j = 0; j < T; j++)
          next[j] = (next[j] as number) + weight * (mixed[layer + k * T + j] as number);
      }
      [vector, next] = [next, vector];
    }
    rows.set(vector, row * T);
  });
  return createTensor('float32', [queries.length, T], rows);
}
