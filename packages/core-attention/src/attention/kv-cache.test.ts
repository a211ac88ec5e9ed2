import { describe, expect, it } from 'vitest';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectClose, seededRandom } from '../testing/index.js';
import { KeyValueCache } from './kv-cache.js';
import { causalMask } from './masks.js';
import { randomTensor } from '../testing/naive-attention.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';

/** Positions from .. to of x [B,H,S,D], as a new tensor. */
function slicePositions(x: Tensor<'float32'>, from: number, to: number): Tensor<'float32'> {
  const [B, H, S, D] = x.dims as [number, number, number, number];
  const values: number[] = [];
  for (let bh = 0; bh < B * H; bh++)
    for (let s = from; s < to; s++)
      for (let d = 0; d < D; d++) values.push(x.data[(bh * S + s) * D + d] as number);
  return createTensor('float32', [B, H, to - from, D], new Float32Array(values));
}

describe('KeyValueCache', () => {
  it('appends along S, so decoding step by step equals full causal attention', () => {
    const random = seededRandom(91);
    const [B, H, N, D, Dv, prompt] = [2, 3, 7, 4, 5, 3];
    const [query, key, value] = [
      randomTensor(random, [B, H, N, D]),
      randomTensor(random, [B, H, N, D]),
      randomTensor(random, [B, H, N, Dv]),
    ];
    const full = scaledDotProductAttention(query, key, value, { mask: causalMask(N, N) });
    const cache = new KeyValueCache(1);
    let cached = cache.append(0, slicePositions(key, 0, prompt), slicePositions(value, 0, prompt));
    const prefill = scaledDotProductAttention(
      slicePositions(query, 0, prompt),
      cached.key,
      cached.value,
      { mask: causalMask(prompt, prompt) },
    );
    expectClose(prefill.output.data, slicePositions(full.output, 0, prompt).data);
    for (let step = prompt; step < N; step++) {
      cached = cache.append(
        0,
        slicePositions(key, step, step + 1),
        slicePositions(value, step, step + 1),
      );
      expect(cache.sequenceLength(0)).toBe(step + 1);
      const decoded = scaledDotProductAttention(
        slicePositions(query, step, step + 1),
        cached.key,
        cached.value,
        { mask: causalMask(1, step + 1) },
      );
      expectClose(decoded.output.data, slicePositions(full.output, step, step + 1).data, {
        label: `step ${step}`,
      });
    }
    expect(Array.from(cache.get(0)?.key.data ?? [])).toEqual(Array.from(key.data));
    expect(Array.from(cache.get(0)?.value.data ?? [])).toEqual(Array.from(value.data));
  });

  it('never mutates tensors it handed out, nor the caller tensors it was given', () => {
    const cache = new KeyValueCache(1);
    const first = createTensor('float32', [1, 1, 1, 2], new Float32Array([1, 2]));
    const handed = cache.append(0, first, first);
    first.data[0] = 99;
    cache.append(
      0,
      createTensor('float32', [1, 1, 1, 2], new Float32Array([3, 4])),
      createTensor('float32', [1, 1, 1, 2]),
    );
    cache.reorder([0]);
    cache.trim(0);
    expect(Array.from(handed.key.data)).toEqual([1, 2]);
  });

  it('reorders batch rows by index in every layer, the batch taking the length of the indices', () => {
    const cache = new KeyValueCache(2);
    // batch row b holds the value 10 · b + position in both heads
    const rows = (layer: number) =>
      createTensor(
        'float32',
        [3, 2, 2, 1],
        Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 2) + layer * 100),
      );
    cache.append(0, rows(0), rows(0));
    cache.append(1, rows(1), rows(1));
    cache.reorder([2, 2, 0, 1]);
    expect(cache.get(0)?.key.dims).toEqual([4, 2, 2, 1]);
    expect(Array.from(cache.get(0)?.key.data ?? [])).toEqual([
      20, 21, 20, 21, 20, 21, 20, 21, 0, 1, 0, 1, 10, 11, 10, 11,
    ]);
    expect(Array.from(cache.get(1)?.value.data.subarray(0, 4) ?? [])).toEqual([120, 121, 120, 121]);
  });

  it('trims every cached layer to a length and leaves empty layers empty', () => {
    const cache = new KeyValueCache(3);
    const random = seededRandom(92);
    const [key, value] = [randomTensor(random, [1, 2, 5, 3]), randomTensor(random, [1, 2, 5, 4])];
    cache.append(0, key, value);
    cache.append(1, key, value);
    cache.trim(2);
    expect(cache.sequenceLength(0)).toBe(2);
    expect(cache.sequenceLength(1)).toBe(2);
    expect(cache.get(2)).toBeUndefined();
    expect(Array.from(cache.get(1)?.value.data ?? [])).toEqual(
      Array.from(slicePositions(value, 0, 2).data),
    );
  });

  it('rejects shapes that disagree with the cache, bad layers, indices and lengths, and use after dispose', () => {
    const cache = new KeyValueCache(2);
    const step = (dims: number[]) => createTensor('float32', dims);
    cache.append(0, step([2, 4, 3, 8]), step([2, 4, 3, 6]));
    expect(() => cache.append(0, step([2, 4, 1, 16]), step([2, 4, 1, 6]))).toThrow(
      'KeyValueCache.append(): key must have shape [2,4,T,8] (B, H, D as cached in layer 0), got [2,4,1,16].',
    );
    expect(() => cache.append(0, step([2, 4, 1, 8]), step([2, 4, 2, 6]))).toThrow(
      'KeyValueCache.append(): value must have shape [2,4,1,Dv] (B, H, T as in key), got [2,4,2,6].',
    );
    expect(() => cache.append(1, step([3, 4, 1, 8]), step([3, 4, 1, 6]))).toThrow(
      /key must have shape \[2,H,T,D\] \(B as in the other layers\)/,
    );
    expect(() => cache.append(2, step([2, 4, 1, 8]), step([2, 4, 1, 6]))).toThrow(
      'KeyValueCache.append(): layer must be an integer in [0, 2), got 2.',
    );
    expect(() => cache.reorder([0, 2])).toThrow(
      'KeyValueCache.reorder(): indices must be a non-empty list of row indices in [0, 2), got [0,2].',
    );
    expect(() => cache.reorder([])).toThrow(/non-empty list/);
    expect(() => cache.trim(4)).toThrow(
      'KeyValueCache.trim(): length must be an integer in [0, 3] (the shortest cached layer), got 4.',
    );
    expect(() => new KeyValueCache(0)).toThrow(
      'KeyValueCache(): numLayers must be a positive integer, got 0.',
    );
    cache.dispose();
    expect(() => cache.sequenceLength()).toThrow(
      'KeyValueCache: used after dispose(). Fix: create a new KeyValueCache.',
    );
  });
});
