// AttentionMaps to and from JSON: everything is JSON already except the Float32Array, carried as number[].
import { describeValue, invalidArgument } from '../errors/index.js';
import { createAttentionMaps, type AttentionMaps } from './attention-maps.js';

/** AttentionMaps with `data` as a plain number[] (what `JSON.stringify` can write). */
export type AttentionMapsJSON = Omit<AttentionMaps, 'data'> & { readonly data: number[] };

/**
 * The JSON-ready form of `maps`. Float32 values become numbers exactly, so a round trip is lossless.
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({ kind: 'self', layers: [0], heads: [0], queryLabels: ['a'], keyLabels: ['a'], data: new Float32Array([1]) });
 * JSON.stringify(attentionMapsToJSON(maps));
 * // '{"kind":"self","layers":[0],"heads":[0],"queryLabels":["a"],"keyLabels":["a"],"dims":[1,1,1,1],"data":[1]}'
 * ```
 */
export function attentionMapsToJSON(maps: AttentionMaps): AttentionMapsJSON {
  return {
    kind: maps.kind,
    layers: [...maps.layers],
    heads: [...maps.heads],
    queryLabels: [...maps.queryLabels],
    keyLabels: [...maps.keyLabels],
    dims: [...maps.dims] as [number, number, number, number],
    data: Array.from(maps.data),
  };
}

/**
 * AttentionMaps back from {@link attentionMapsToJSON}'s form (for example after `JSON.parse`), validated.
 *
 * @example
 * ```ts
 * const maps = attentionMapsFromJSON(JSON.parse(text));
 * maps.data; // Float32Array
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `data` is not an array of numbers, `dims` disagrees with the
 * lists, or any field fails {@link createAttentionMaps}'s checks.
 */
export function attentionMapsFromJSON(json: AttentionMapsJSON): AttentionMaps {
  const fn = 'attentionMapsFromJSON';
  if (typeof json !== 'object' || json === null)
    throw invalidArgument(fn, 'json', 'an object', describeValue(json));
  if (!Array.isArray(json.data) || !json.data.every((value) => typeof value === 'number')) {
    throw invalidArgument(fn, 'data', 'an array of numbers', describeValue(json.data));
  }
  const maps = createAttentionMaps({ ...json, data: Float32Array.from(json.data) });
  if (
    json.dims !== undefined &&
    (json.dims.length !== 4 || json.dims.some((dim, axis) => dim !== maps.dims[axis]))
  ) {
    throw invalidArgument(
      fn,
      'dims',
      `${describeValue([...maps.dims])} as the lists give`,
      describeValue(json.dims),
    );
  }
  return maps;
}
