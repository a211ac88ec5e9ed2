// Combining attention heads and layers into one map: mean, max, the mean of a chosen subset, a
// weighted mean, or the mean of listed (layer, head) pairs such as Whisper's alignment_heads.
//
// Legend: weights [L, H, T, S] (layers, heads, queries, keys); W [T, S] one combined matrix.
import { describeValue, invalidArgument } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';
import { coveredPosition, type AttentionMaps } from './attention-maps.js';

/**
 * How to combine the covered heads (or layers):
 * - `'mean'`: elementwise mean; rows that were distributions stay distributions.
 * - `'max'`: elementwise maximum (rows no longer sum to 1).
 * - `{ select }`: mean over these original indices only.
 * - `{ weights }`: weighted mean, one non-negative weight per covered index in covered order, divided by their sum.
 */
export type Reduction =
  'mean' | 'max' | { readonly select: readonly number[] } | { readonly weights: readonly number[] };

/** Heads then layers, or an explicit list of (layer, head) pairs. */
export interface AggregateOptions {
  /** How heads combine within each layer. Default 'mean'. */
  heads?: Reduction;
  /** How the per-layer results combine. Default 'mean'. */
  layers?: Reduction;
  /** Mean over exactly these [layer, head] pairs (original indices); excludes `heads` and `layers`. */
  pairs?: readonly (readonly [number, number])[];
}

/**
 * Combines the heads of every layer: [L, H, T, S] -> [L, T, S].
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [0], heads: [0, 1], queryLabels: ['a'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([1, 0, 0.5, 0.5]),
 * });
 * aggregateHeads(maps).data; // Float32Array [0.75, 0.25]
 * aggregateHeads(maps, 'max').data; // Float32Array [1, 0.5]
 * aggregateHeads(maps, { weights: [3, 1] }).data; // Float32Array [0.875, 0.125]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `reduction` is malformed or names a head that is not covered.
 */
export function aggregateHeads(
  maps: AttentionMaps,
  reduction: Reduction = 'mean',
): Tensor<'float32'> {
  const [numLayers, numHeads, queries, keys] = maps.dims;
  const combine = resolveReduction('aggregateHeads', 'reduction', reduction, maps.heads);
  return createTensor(
    'float32',
    [numLayers, queries, keys],
    reduceMiddleAxis(maps.data, numLayers, numHeads, queries * keys, combine),
  );
}

/**
 * Combines heads, then layers, into one [query, key] matrix; or averages listed (layer, head) pairs.
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({
 *   kind: 'cross', layers: [0, 1], heads: [0, 1], queryLabels: ['x'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([1, 0, 0, 1, 0.5, 0.5, 0.25, 0.75]),
 * });
 * aggregateAttention(maps).data; // Float32Array [0.4375, 0.5625]
 * aggregateAttention(maps, { heads: 'max', layers: { select: [1] } }).data; // Float32Array [0.5, 0.75]
 * aggregateAttention(maps, { pairs: [[0, 0], [1, 1]] }).data; // Float32Array [0.625, 0.375]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a reduction is malformed, names an index that is not covered,
 * or `pairs` is empty, repeats a pair, or is combined with `heads` / `layers`.
 */
export function aggregateAttention(
  maps: AttentionMaps,
  options: AggregateOptions = {},
): Tensor<'float32'> {
  const fn = 'aggregateAttention';
  const [numLayers, numHeads, queries, keys] = maps.dims;
  const matrixSize = queries * keys;
  if (options.pairs !== undefined) {
    if (options.heads !== undefined || options.layers !== undefined) {
      throw invalidArgument(fn, 'options', 'either pairs or heads / layers, not both', 'both');
    }
    return createTensor('float32', [queries, keys], meanOfPairs(maps, options.pairs));
  }
  const perLayer = reduceMiddleAxis(
    maps.data,
    numLayers,
    numHeads,
    matrixSize,
    resolveReduction(fn, 'options.heads', options.heads ?? 'mean', maps.heads),
  ); // [L, T, S]
  const combineLayers = resolveReduction(
    fn,
    'options.layers',
    options.layers ?? 'mean',
    maps.layers,
  );
  return createTensor(
    'float32',
    [queries, keys],
    reduceMiddleAxis(perLayer, 1, numLayers, matrixSize, combineLayers),
  );
}

function meanOfPairs(
  maps: AttentionMaps,
  pairs: readonly (readonly [number, number])[],
): Float32Array {
  const fn = 'aggregateAttention';
  const [, numHeads, queries, keys] = maps.dims;
  const matrixSize = queries * keys;
  if (!Array.isArray(pairs) || pairs.length === 0) {
    throw invalidArgument(
      fn,
      'options.pairs',
      'a non-empty list of [layer, head] pairs',
      describeValue(pairs),
    );
  }
  const seen = new Set<string>();
  for (const pair of pairs) {
    const key = Array.isArray(pair) && pair.length === 2 ? `${pair[0]},${pair[1]}` : '';
    if (key === '' || seen.has(key)) {
      throw invalidArgument(
        fn,
        'options.pairs',
        'distinct [layer, head] pairs',
        describeValue(pair),
      );
    }
    seen.add(key);
  }
  const sum = new Float64Array(matrixSize);
  for (const [layer, head] of pairs) {
    const start =
      (coveredPosition(fn, 'options.pairs layer', maps.layers, layer) * numHeads +
        coveredPosition(fn, 'options.pairs head', maps.heads, head)) *
      matrixSize;
    for (let x = 0; x < matrixSize; x++)
      sum[x] = (sum[x] as number) + (maps.data[start + x] as number);
  }
  const mean = new Float32Array(matrixSize);
  for (let x = 0; x < matrixSize; x++) mean[x] = (sum[x] as number) / pairs.length;
  return mean;
}

/** 'max', or one weight per covered index that sums to 1. */
type Combine = 'max' | Float64Array;

function resolveReduction(
  fn: string,
  argument: string,
  reduction: Reduction,
  covered: readonly number[],
): Combine {
  const count = covered.length;
  if (reduction === 'max') return 'max';
  if (reduction === 'mean') return new Float64Array(count).fill(1 / count);
  if (typeof reduction === 'object' && reduction !== null && 'select' in reduction) {
    const { select } = reduction;
    if (!Array.isArray(select) || select.length === 0 || new Set(select).size !== select.length) {
      throw invalidArgument(
        fn,
        `${argument}.select`,
        'a non-empty list of distinct original indices',
        describeValue(select),
      );
    }
    const weights = new Float64Array(count);
    for (const index of select)
      weights[coveredPosition(fn, `${argument}.select`, covered, index)] = 1 / select.length;
    return weights;
  }
  if (typeof reduction === 'object' && reduction !== null && 'weights' in reduction) {
    const given = reduction.weights;
    const total = Array.isArray(given)
      ? given.reduce((sum, weight) => sum + weight, 0)
      : Number.NaN;
    const valid =
      Array.isArray(given) &&
      given.length === count &&
      given.every((w) => Number.isFinite(w) && w >= 0) &&
      total > 0;
    if (!valid) {
      throw invalidArgument(
        fn,
        `${argument}.weights`,
        `${count} non-negative finite weights with a positive sum (one per covered index)`,
        describeValue(given),
      );
    }
    return Float64Array.from(given, (weight) => weight / total);
  }
  throw invalidArgument(
    fn,
    argument,
    "'mean', 'max', { select: number[] } or { weights: number[] }",
    describeValue(reduction),
  );
}

/** [outer, count, inner] -> [outer, inner], by a weighted sum or a maximum over the middle axis. */
function reduceMiddleAxis(
  data: Float32Array,
  outer: number,
  count: number,
  inner: number,
  combine: Combine,
): Float32Array {
  const result = new Float32Array(outer * inner);
  const accumulator = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    accumulator.fill(combine === 'max' ? -Infinity : 0);
    for (let n = 0; n < count; n++) {
      const start = (o * count + n) * inner;
      if (combine === 'max') {
        for (let x = 0; x < inner; x++)
          accumulator[x] = Math.max(accumulator[x] as number, data[start + x] as number);
      } else {
        const weight = combine[n] as number;
        if (weight === 0) continue;
        for (let x = 0; x < inner; x++)
          accumulator[x] = (accumulator[x] as number) + weight * (data[start + x] as number);
      }
    }
    result.set(accumulator, o * inner);
  }
  return result;
}
