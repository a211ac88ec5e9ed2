// Narrowing AttentionMaps to some of its layers and heads, by their original indices.
import { describeValue, invalidArgument } from '../errors/index.js';
import { coveredPosition, createAttentionMaps, type AttentionMaps } from './attention-maps.js';

/** Original layer and head indices to keep; an omitted list keeps every covered one. */
export interface AttentionSelection {
  layers?: readonly number[];
  heads?: readonly number[];
}

/**
 * AttentionMaps covering only the selected layers and heads (data copied). The result lists them
 * in ascending order whatever order they were asked in.
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [0, 1], heads: [0, 1], queryLabels: ['a'], keyLabels: ['a'],
 *   data: new Float32Array([1, 2, 3, 4]), // not distributions: just to show which values move
 * });
 * const picked = selectAttentionMaps(maps, { layers: [1], heads: [0] });
 * picked.data; // Float32Array [3]
 * picked.layers; // [1]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a selected index is not covered by `maps`, appears twice, or a list is empty.
 */
export function selectAttentionMaps(
  maps: AttentionMaps,
  selection: AttentionSelection,
): AttentionMaps {
  const fn = 'selectAttentionMaps';
  const layers = selected(fn, 'layers', maps.layers, selection.layers);
  const heads = selected(fn, 'heads', maps.heads, selection.heads);
  const [, numHeads, queries, keys] = maps.dims;
  const matrixSize = queries * keys;
  const data = new Float32Array(layers.length * heads.length * matrixSize);
  let offset = 0;
  for (const layer of layers) {
    const layerIndex = coveredPosition(fn, 'layers', maps.layers, layer);
    for (const head of heads) {
      const start =
        (layerIndex * numHeads + coveredPosition(fn, 'heads', maps.heads, head)) * matrixSize;
      data.set(maps.data.subarray(start, start + matrixSize), offset);
      offset += matrixSize;
    }
  }
  return createAttentionMaps({ ...maps, layers, heads, data });
}

function selected(
  fn: string,
  argument: string,
  covered: readonly number[],
  wanted: readonly number[] | undefined,
): number[] {
  if (wanted === undefined) return [...covered];
  if (!Array.isArray(wanted) || wanted.length === 0 || new Set(wanted).size !== wanted.length) {
    throw invalidArgument(
      fn,
      argument,
      'a non-empty list of distinct indices',
      describeValue(wanted),
    );
  }
  for (const index of wanted) coveredPosition(fn, argument, covered, index);
  return [...wanted].sort((a, b) => a - b);
}
