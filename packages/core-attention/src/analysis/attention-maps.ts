// AttentionMaps: the attention weights of one sequence as plain data, [layer, head, query, key] in a
// Float32Array with the labels of each axis. The contract the runtime, pipelines and renderers share.
import { describeValue, invalidArgument } from '../errors/index.js';
import { createTensor, type Tensor } from '../tensor/index.js';

/** Self-attention (queries and keys from one sequence) or cross-attention (decoder over encoder). */
export type AttentionKind = 'self' | 'cross';

/**
 * Attention weights of some layers and heads, laid out [layer, head, query, key].
 *
 * Plain data, never a class: every field but `data` is JSON as it is, and
 * {@link attentionMapsToJSON} / {@link attentionMapsFromJSON} carry `data` as a number[].
 * Each [query, key] row is expected to be a distribution over keys (sum 1), or all zeros where the
 * query was masked; functions that depend on this say so.
 */
export interface AttentionMaps {
  readonly kind: AttentionKind;
  /** Original layer indices covered, strictly ascending. */
  readonly layers: readonly number[];
  /** Original head indices covered (the same in every layer), strictly ascending. */
  readonly heads: readonly number[];
  /** One label per query position: tokens, patches or frames. */
  readonly queryLabels: readonly string[];
  /** One label per key position. */
  readonly keyLabels: readonly string[];
  /** Weights [layer, head, query, key], row-major. */
  readonly data: Float32Array;
  /** [layers.length, heads.length, queryLabels.length, keyLabels.length]. */
  readonly dims: readonly [number, number, number, number];
}

/** What {@link createAttentionMaps} needs; `dims` follows from the lists. */
export type AttentionMapsInit = Omit<AttentionMaps, 'dims'>;

/**
 * Builds AttentionMaps after checking that every field agrees with `data`. Lists are copied; `data` is kept, not copied.
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({
 *   kind: 'cross', layers: [5], heads: [0, 3],
 *   queryLabels: ['Hallo', '</s>'], keyLabels: ['Hello', '</s>'],
 *   data: new Float32Array([0.875, 0.125, 0.25, 0.75, 0.75, 0.25, 0.5, 0.5]),
 * });
 * maps.dims; // [1, 2, 2, 2]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `kind` is not 'self' / 'cross', a list of indices is empty,
 * not strictly ascending or not of non-negative integers, a label list is empty or holds a non-string,
 * or `data` is not a Float32Array of layers × heads × queries × keys elements.
 */
export function createAttentionMaps(init: AttentionMapsInit): AttentionMaps {
  const fn = 'createAttentionMaps';
  if (typeof init !== 'object' || init === null)
    throw invalidArgument(fn, 'init', 'an object', describeValue(init));
  if (init.kind !== 'self' && init.kind !== 'cross') {
    throw invalidArgument(fn, 'kind', "'self' or 'cross'", describeValue(init.kind));
  }
  const layers = expectAscendingIndices(fn, 'layers', init.layers);
  const heads = expectAscendingIndices(fn, 'heads', init.heads);
  const queryLabels = expectLabels(fn, 'queryLabels', init.queryLabels);
  const keyLabels = expectLabels(fn, 'keyLabels', init.keyLabels);
  const dims = [layers.length, heads.length, queryLabels.length, keyLabels.length] as const;
  const size = dims[0] * dims[1] * dims[2] * dims[3];
  if (!(init.data instanceof Float32Array) || init.data.length !== size) {
    throw invalidArgument(
      fn,
      'data',
      `a Float32Array of ${size} elements ([layer, head, query, key] = ${describeValue([...dims])} from layers, heads and labels)`,
      describeValue(init.data),
      {
        likelyCause:
          'the labels or the layer / head lists do not describe the tensor the data came from',
      },
    );
  }
  return { kind: init.kind, layers, heads, queryLabels, keyLabels, data: init.data, dims };
}

/**
 * The [query, key] matrix of one layer and head, addressed by their original indices (a copy).
 *
 * @example
 * ```ts
 * // maps from the createAttentionMaps example: layer 5, heads [0, 3]
 * attentionMatrix(maps, 5, 3).data; // Float32Array [0.75, 0.25, 0.5, 0.5]
 * attentionMatrix(maps, 5, 3).dims; // [2, 2]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `layer` or `head` is not covered by `maps`.
 */
export function attentionMatrix(
  maps: AttentionMaps,
  layer: number,
  head: number,
): Tensor<'float32'> {
  const layerIndex = coveredPosition('attentionMatrix', 'layer', maps.layers, layer);
  const headIndex = coveredPosition('attentionMatrix', 'head', maps.heads, head);
  const [, numHeads, queries, keys] = maps.dims;
  const start = (layerIndex * numHeads + headIndex) * queries * keys;
  return createTensor('float32', [queries, keys], maps.data.slice(start, start + queries * keys));
}

/**
 * Where original index `value` sits in the covered list `covered`.
 *
 * @example
 * ```ts
 * coveredPosition('f', 'layer', [2, 5, 7], 5); // 1
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `value` is not in `covered`.
 */
export function coveredPosition(
  fn: string,
  argument: string,
  covered: readonly number[],
  value: number,
): number {
  const position = covered.indexOf(value);
  if (position < 0) {
    throw invalidArgument(
      fn,
      argument,
      `one of the covered indices ${describeValue([...covered])}`,
      describeValue(value),
      {
        fix: 'address layers and heads by their original index, and select only ones the maps were built with',
      },
    );
  }
  return position;
}

function expectAscendingIndices(
  fn: string,
  argument: string,
  indices: readonly number[],
): number[] {
  const valid =
    Array.isArray(indices) &&
    indices.length > 0 &&
    indices.every(
      (index, i) =>
        Number.isInteger(index) && index >= 0 && (i === 0 || index > (indices[i - 1] as number)),
    );
  if (!valid) {
    throw invalidArgument(
      fn,
      argument,
      'a non-empty, strictly ascending list of non-negative integers',
      describeValue(indices),
    );
  }
  return [...indices];
}

function expectLabels(fn: string, argument: string, labels: readonly string[]): string[] {
  if (
    !Array.isArray(labels) ||
    labels.length === 0 ||
    !labels.every((label) => typeof label === 'string')
  ) {
    throw invalidArgument(fn, argument, 'a non-empty array of strings', describeValue(labels));
  }
  return [...labels];
}
