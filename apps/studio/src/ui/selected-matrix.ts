// The one [query, key] matrix the explorer shows: a chosen layer or the mean of all, and a chosen head or the
// mean of all, from AttentionMaps [layer, head, query, key].
import { aggregateAttention, type AttentionMaps } from '@attn/core-attention';

/** An original layer or head index, or the mean over all of them. */
export type LayerOrMean = number | 'mean';

/**
 * The [queries, keys] weights of `layer` and `head` (original indices), row-major.
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({
 *   kind: 'cross', layers: [0, 1], heads: [0, 1], queryLabels: ['x'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([1, 0, 0, 1, 0.5, 0.5, 0.25, 0.75]),
 * });
 * selectedMatrix(maps, 1, 'mean'); // Float32Array [0.375, 0.625]
 * selectedMatrix(maps, 'mean', 0); // Float32Array [0.75, 0.25]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `layer` or `head` is not covered by `maps`.
 */
export function selectedMatrix(
  maps: AttentionMaps,
  layer: LayerOrMean,
  head: LayerOrMean,
): Float32Array {
  return aggregateAttention(maps, {
    layers: layer === 'mean' ? 'mean' : { select: [layer] },
    heads: head === 'mean' ? 'mean' : { select: [head] },
  }).data;
}
