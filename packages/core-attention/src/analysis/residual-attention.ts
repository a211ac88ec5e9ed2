// The per-layer attention graph of Abnar & Zuidema 2020 (https://arxiv.org/abs/2005.00928), shared by
// rollout and flow: heads combined, the residual connection added as identity, rows renormalised.
//
// Legend: A [L, T, T] heads combined; Ã_l = (1 − r)·A_l + r·I, each row divided by its sum; r the residual weight.
import { describeValue, invalidArgument } from '../errors/index.js';
import type { AttentionMaps } from './attention-maps.js';
import { aggregateHeads, type Reduction } from './aggregate.js';

/** Options shared by attention rollout and attention flow. */
export interface ResidualAttentionOptions {
  /** r in Ã = (1 − r)·A + r·I: the weight of the residual (skip) connection. Default 0.5, as in the paper. */
  residualWeight?: number;
  /** How heads combine within a layer before the residual is added. Default 'mean', as in the paper. */
  headReduction?: Reduction;
}

/**
 * Ã for every covered layer, in covered (ascending) order, as float64 [L, T, T].
 * A row of A that is all zeros (a masked query) becomes the identity row when r > 0 and stays zero when r = 0.
 *
 * @example
 * ```ts
 * // one layer, two tokens, A = [[0, 1], [0.5, 0.5]], r = 0.5: Ã = [[0.5, 0.5], [0.25, 0.75]] (rows already sum to 1)
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [0], heads: [0], queryLabels: ['a', 'b'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([0, 1, 0.5, 0.5]),
 * });
 * residualAttention('attentionRollout', maps, {}).data;
 * // Float64Array [0.5, 0.5, 0.25, 0.75]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the maps are not square self-attention, `residualWeight` is outside [0, 1],
 * or a weight is negative or NaN.
 */
export function residualAttention(
  fn: string,
  maps: AttentionMaps,
  options: ResidualAttentionOptions,
): { data: Float64Array; layers: number; tokens: number } {
  const { residualWeight: r = 0.5, headReduction = 'mean' } = options;
  const [, , queries, keys] = maps.dims;
  if (maps.kind !== 'self' || queries !== keys) {
    throw invalidArgument(
      fn,
      'maps',
      'square self-attention maps (queries = keys)',
      `${maps.kind} maps ${describeValue([...maps.dims])}`,
      {
        likelyCause:
          'rollout and flow follow one sequence through the layers; cross-attention has no such path',
      },
    );
  }
  if (!(r >= 0 && r <= 1))
    throw invalidArgument(fn, 'residualWeight', 'a number in [0, 1]', describeValue(r));
  const A = aggregateHeads(maps, headReduction).data; // [L, T, T]
  const T = queries;
  const L = A.length / (T * T);
  const data = new Float64Array(A.length);
  for (let row = 0; row < L * T; row++) {
    const t = row % T;
    const start = row * T;
    let Z = 0;
    for (let k = 0; k < T; k++) {
      const a = A[start + k] as number;
      if (!(a >= 0))
        throw invalidArgument(fn, 'maps.data', 'non-negative attention weights', describeValue(a));
      const value = (1 - r) * a + (k === t ? r : 0);
      data[start + k] = value;
      Z += value;
    }
    if (Z > 0) for (let k = 0; k < T; k++) data[start + k] = (data[start + k] as number) / Z;
  }
  return { data, layers: L, tokens: T };
}
