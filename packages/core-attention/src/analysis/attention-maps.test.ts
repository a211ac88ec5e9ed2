import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import {
  attentionMapsFromJSON,
  attentionMapsToJSON,
  attentionMatrix,
  createAttentionMaps,
  selectAttentionMaps,
} from './index.js';

// 2 layers (original 3 and 7) × 2 heads (original 0 and 5) × 2 queries × 3 keys; value = 1000·l + 100·h + 10·q + k
const data = new Float32Array(24);
for (let l = 0; l < 2; l++)
  for (let h = 0; h < 2; h++)
    for (let q = 0; q < 2; q++)
      for (let k = 0; k < 3; k++)
        data[((l * 2 + h) * 2 + q) * 3 + k] = 1000 * l + 100 * h + 10 * q + k;
const maps = createAttentionMaps({
  kind: 'cross',
  layers: [3, 7],
  heads: [0, 5],
  queryLabels: ['x', 'y'],
  keyLabels: ['a', 'b', 'c'],
  data,
});

describe('createAttentionMaps', () => {
  it('derives dims from the lists and keeps the data', () => {
    expect(maps.dims).toEqual([2, 2, 2, 3]);
    expect(maps.data).toBe(data);
  });

  it('rejects fields that disagree with the data, naming the argument', () => {
    const base = {
      kind: 'self' as const,
      layers: [0],
      heads: [0],
      queryLabels: ['a'],
      keyLabels: ['a'],
      data: new Float32Array(1),
    };
    expect(() => createAttentionMaps({ ...base, kind: 'encoder' as never })).toThrow(
      "createAttentionMaps(): kind must be 'self' or 'cross', got 'encoder'.",
    );
    expect(() => createAttentionMaps({ ...base, layers: [2, 1] })).toThrow(
      /layers must be a non-empty, strictly ascending list/,
    );
    expect(() => createAttentionMaps({ ...base, heads: [] })).toThrow(/heads must be a non-empty/);
    expect(() => createAttentionMaps({ ...base, keyLabels: ['a', 'b'] })).toThrow(
      /data must be a Float32Array of 2 elements .*got Float32Array of length 1/,
    );
    expect(() => createAttentionMaps({ ...base, data: new Float64Array(1) as never })).toThrow(
      AttnError,
    );
    expect(() => createAttentionMaps({ ...base, queryLabels: [1] as never })).toThrow(
      /queryLabels must be a non-empty array of strings/,
    );
  });
});

describe('attentionMatrix', () => {
  it('returns the [query, key] matrix of an original layer and head', () => {
    const matrix = attentionMatrix(maps, 7, 5);
    expect(matrix.dims).toEqual([2, 3]);
    expect([...matrix.data]).toEqual([1100, 1101, 1102, 1110, 1111, 1112]);
  });

  it('refuses an index the maps do not cover', () => {
    expect(() => attentionMatrix(maps, 1, 0)).toThrow(
      'attentionMatrix(): layer must be one of the covered indices [3,7], got 1',
    );
  });
});

describe('selectAttentionMaps', () => {
  it('keeps the selected layers and heads in ascending order', () => {
    const picked = selectAttentionMaps(maps, { heads: [5, 0], layers: [7] });
    expect(picked.layers).toEqual([7]);
    expect(picked.heads).toEqual([0, 5]);
    expect(picked.dims).toEqual([1, 2, 2, 3]);
    expect([...picked.data]).toEqual([
      1000, 1001, 1002, 1010, 1011, 1012, 1100, 1101, 1102, 1110, 1111, 1112,
    ]);
    expect(selectAttentionMaps(maps, {}).data).toEqual(maps.data);
  });

  it('rejects uncovered and repeated indices', () => {
    expect(() => selectAttentionMaps(maps, { heads: [1] })).toThrow(
      /heads must be one of the covered indices \[0,5\], got 1/,
    );
    expect(() => selectAttentionMaps(maps, { layers: [3, 3] })).toThrow(
      /layers must be a non-empty list of distinct indices/,
    );
  });
});

describe('attention maps JSON', () => {
  it('round-trips through JSON.stringify exactly', () => {
    const odd = createAttentionMaps({
      ...maps,
      data: Float32Array.from(maps.data, (value) => value / 3),
    });
    const back = attentionMapsFromJSON(JSON.parse(JSON.stringify(attentionMapsToJSON(odd))));
    expect(back).toEqual(odd);
    expect(back.data).toBeInstanceOf(Float32Array);
  });

  it('validates what it reads', () => {
    const json = attentionMapsToJSON(maps);
    expect(() => attentionMapsFromJSON({ ...json, data: json.data.slice(1) })).toThrow(
      /data must be a Float32Array of 24 elements/,
    );
    expect(() => attentionMapsFromJSON({ ...json, dims: [2, 2, 3, 2] })).toThrow(
      /dims must be \[2,2,2,3\] as the lists give/,
    );
    expect(() => attentionMapsFromJSON({ ...json, data: ['1'] as never })).toThrow(
      /data must be an array of numbers/,
    );
  });
});
