// How much a reply attended to each earlier turn: the decoder self-attention rows that produced the reply's
// tokens, averaged over layers and heads, their mass on the prompt summed per turn and normalised.
//
// Legend: W [Q, K] attention averaged over layers and heads; turn(k) the turn of prompt key k (null: not prompt).
import { aggregateAttention, type AttentionMaps } from '@attn/core-attention';

/**
 * Per turn, the share of the reply's attention to the prompt that fell on it: m_u = Σ_{q ≥ firstRow} Σ_{k: turn(k)=u}
 * W[q, k], divided by Σ_u m_u (all zeros when the reply put no mass on the prompt).
 *
 * @example
 * ```ts
 * // prompt keys: turn 0, turn 0, turn 1; one reply row (query 2) over keys [0.25, 0.25, 0.5]
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [0], heads: [0], queryLabels: ['a', 'b', 'c'], keyLabels: ['a', 'b', 'c'],
 *   data: new Float32Array([1, 0, 0, 0.5, 0.5, 0, 0.25, 0.25, 0.5]),
 * });
 * turnAttention(maps, [0, 0, 1], 2, 2); // Float64Array [0.5, 0.5]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `attention` has malformed reductions (see aggregateAttention).
 */
export function turnAttention(
  attention: AttentionMaps,
  keyTurns: readonly (number | null)[],
  firstRow: number,
  turns: number,
): Float64Array {
  const W = aggregateAttention(attention); // [Q, K]
  const [Q, K] = W.dims as [number, number];
  const mass = new Float64Array(turns);
  for (let q = firstRow; q < Q; q++) {
    for (let k = 0; k < K; k++) {
      const turn = keyTurns[k];
      if (turn === null || turn === undefined) continue;
      mass[turn] = (mass[turn] as number) + (W.data[q * K + k] as number);
    }
  }
  let total = 0;
  for (let turn = 0; turn < turns; turn++) total += mass[turn] as number;
  if (total > 0)
    for (let turn = 0; turn < turns; turn++) mass[turn] = (mass[turn] as number) / total;
  return mass;
}
