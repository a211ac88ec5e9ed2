// One image's decoder cross-attention out of a batch run: each object query's attention over the encoder's
// feature cells (Carion et al. 2020, https://arxiv.org/abs/2005.12872, figure 6), keeping only the cells that lie
// on the image so the maps of a padded batch equal those of the image run alone.
//
// Legend: cross [B, H, Q, S] one tapped layer, S = rows x cols feature cells; maps [L, H, Q, S'] for the image,
// S' = realRows x realCols; object maps [Q, S'], heads and layers averaged.
import {
  aggregateAttention,
  createAttentionMaps,
  type AttentionMaps,
  type Tensor,
} from '@attn/core-attention';
import type { FeatureGrid } from './feature-grid.js';

/**
 * The cross-attention of image `b` as AttentionMaps [L, H, Q, S'] over its real cells, labelled
 * 'query q' and 'r,c' (feature row, column).
 *
 * @example
 * ```ts
 * // one layer, 1 head, 1 query over a 1 x 2 map whose second cell is padding
 * const layer = createTensor('float32', [1, 1, 1, 2], new Float32Array([1, 0]));
 * imageCrossAttention([{ layer: 5, weights: layer }], 0, { rows: 1, cols: 2, realRows: 1, realCols: 1 }).data;
 * // Float32Array [1]
 * ```
 */
export function imageCrossAttention(
  layers: readonly { layer: number; weights: Tensor<'float32'> }[],
  b: number,
  grid: FeatureGrid,
): AttentionMaps {
  const [, H, Q, S] = layers[0]?.weights.dims as [number, number, number, number];
  const { cols, realRows, realCols } = grid;
  const real = realRows * realCols;
  const data = new Float32Array(layers.length * H * Q * real);
  let at = 0;
  for (const { weights } of layers) {
    for (let row = 0; row < H * Q; row++) {
      const start = (b * H * Q + row) * S;
      for (let r = 0; r < realRows; r++) {
        const from = start + r * cols;
        data.set(weights.data.subarray(from, from + realCols), at);
        at += realCols;
      }
    }
  }
  const keyLabels: string[] = [];
  for (let r = 0; r < realRows; r++) for (let c = 0; c < realCols; c++) keyLabels.push(`${r},${c}`);
  return createAttentionMaps({
    kind: 'cross',
    layers: layers.map(({ layer }) => layer),
    heads: Array.from({ length: H }, (_, head) => head),
    queryLabels: Array.from({ length: Q }, (_, q) => `query ${q}`),
    keyLabels,
    data,
  });
}

/**
 * Each object query's map over the image's feature cells: the mean over the covered heads and layers,
 * one Float32Array [realRows x realCols] per query (a copy). Each sums to 1 when the model masked the padding.
 *
 * @example
 * ```ts
 * // 1 layer, 2 heads, 1 query, 2 cells: ([1, 0] + [0.5, 0.5]) / 2
 * const maps = createAttentionMaps({
 *   kind: 'cross', layers: [0], heads: [0, 1], queryLabels: ['query 0'], keyLabels: ['0,0', '0,1'],
 *   data: new Float32Array([1, 0, 0.5, 0.5]),
 * });
 * queryMaps(maps); // [Float32Array [0.75, 0.25]]
 * ```
 */
export function queryMaps(maps: AttentionMaps): Float32Array[] {
  const [, , Q, S] = maps.dims;
  const mean = aggregateAttention(maps).data; // [Q, S']
  return Array.from({ length: Q }, (_, q) => mean.slice(q * S, (q + 1) * S));
}
