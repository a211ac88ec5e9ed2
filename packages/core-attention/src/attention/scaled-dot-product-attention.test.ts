import { describe, expect, it } from 'vitest';
import { createTensor } from '../tensor/index.js';
import { expectClose, seededRandom } from '../testing/index.js';
import { randomAttentionCase } from '../testing/attention-test-cases.js';
import { causalMask } from './masks.js';
import { naiveAttention, randomTensor } from '../testing/naive-attention.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';

const tensor = (dims: number[], values: number[]) =>
  createTensor('float32', dims, new Float32Array(values));

describe('scaledDotProductAttention', () => {
  it('matches the float64 reference on random shapes, grouped heads, masks and scales', () => {
    const random = seededRandom(2024);
    for (let trial = 0; trial < 60; trial++) {
      const { query, key, value, mask, scale, expected } = randomAttentionCase(random);
      const { output, weights } = scaledDotProductAttention(query, key, value, { mask, scale });
      expect(output.dims).toEqual([...query.dims.slice(0, 3), value.dims[3]]);
      expectClose(output.data, expected.output, { label: `output, trial ${trial}` });
      expectClose(weights?.data ?? [], expected.weights, { label: `weights, trial ${trial}` });
    }
  });

  it('works through a hand-worked example: scores [0, ln 3] give weights [1/4, 3/4]', () => {
    const { output, weights } = scaledDotProductAttention(
      tensor([1, 1, 1, 1], [1]),
      tensor([1, 1, 2, 1], [0, Math.log(3)]),
      tensor([1, 1, 2, 1], [4, 8]),
      { scale: 1 },
    );
    expectClose(weights?.data ?? [], [0.25, 0.75]);
    expectClose(output.data, [7]); // 0.25 · 4 + 0.75 · 8
  });

  it('gives zeros, not NaN, for fully masked rows', () => {
    const random = seededRandom(3);
    const [query, key, value] = [
      randomTensor(random, [1, 2, 3, 4]),
      randomTensor(random, [1, 2, 3, 4]),
      randomTensor(random, [1, 2, 3, 5]),
    ];
    // causal with offset -1: query 0 sees no key
    const { output, weights } = scaledDotProductAttention(query, key, value, {
      mask: causalMask(3, 3, { offset: -1 }),
    });
    for (const h of [0, 1]) {
      expect(Array.from(weights?.data.subarray(h * 9, h * 9 + 3) ?? [])).toEqual([0, 0, 0]);
      expect(Array.from(output.data.subarray(h * 15, h * 15 + 5))).toEqual([0, 0, 0, 0, 0]);
    }
    expect(output.data.every(Number.isFinite)).toBe(true);
  });

  it('returns the value itself for length-1 sequences', () => {
    const { output, weights } = scaledDotProductAttention(
      tensor([1, 1, 1, 2], [3, -1]),
      tensor([1, 1, 1, 2], [5, 7]),
      tensor([1, 1, 1, 3], [1, 2, 3]),
    );
    expect(Array.from(weights?.data ?? [])).toEqual([1]);
    expectClose(output.data, [1, 2, 3]);
  });

  it('stays finite and exact for huge and tiny logits', () => {
    // scores 1e4, 9900, 9800: a plain exp overflows; the max shift gives [1, e^-100, e^-200]
    const huge = scaledDotProductAttention(
      tensor([1, 1, 1, 1], [100]),
      tensor([1, 1, 3, 1], [100, 99, 98]),
      tensor([1, 1, 3, 1], [1, 2, 3]),
      { scale: 1 },
    );
    expectClose(huge.weights?.data ?? [], [1, Math.exp(-100), 0]);
    expectClose(huge.output.data, [1]);
    // scores ±1e30
    const extreme = scaledDotProductAttention(
      tensor([1, 1, 1, 1], [1e15]),
      tensor([1, 1, 2, 1], [-1e15, 1e15]),
      tensor([1, 1, 2, 1], [1, 2]),
      { scale: 1 },
    );
    expect(Array.from(extreme.weights?.data ?? [])).toEqual([0, 1]);
    // scores 1e-30 apart: uniform
    const tiny = scaledDotProductAttention(
      tensor([1, 1, 1, 1], [1e-15]),
      tensor([1, 1, 2, 1], [1e-15, -1e-15]),
      tensor([1, 1, 2, 1], [1, 2]),
      { scale: 1 },
    );
    expectClose(tiny.output.data, [1.5]);
  });

  it('permuting key and value rows together leaves the output unchanged and permutes the weights', () => {
    const random = seededRandom(8);
    const [B, H, T, S, D] = [2, 3, 4, 6, 5];
    const [query, key, value] = [
      randomTensor(random, [B, H, T, D]),
      randomTensor(random, [B, H, S, D]),
      randomTensor(random, [B, H, S, 2]),
    ];
    const permutation = [3, 0, 5, 1, 4, 2];
    const permute = (x: typeof key) => {
      const width = x.dims[3] as number;
      const data = new Float32Array(x.data.length);
      for (let block = 0; block < B * H; block++) {
        permutation.forEach((from, to) =>
          data.set(
            x.data.subarray((block * S + from) * width, (block * S + from + 1) * width),
            (block * S + to) * width,
          ),
        );
      }
      return { ...x, data };
    };
    const original = scaledDotProductAttention(query, key, value);
    const permuted = scaledDotProductAttention(query, permute(key), permute(value));
    expectClose(permuted.output.data, original.output.data);
    for (let row = 0; row < B * H * T; row++) {
      permutation.forEach((from, to) =>
        expect(permuted.weights?.data[row * S + to]).toBe(original.weights?.data[row * S + from]),
      );
    }
  });

  it('shares each key/value head among H / Hkv query heads, as if it were repeated', () => {
    const random = seededRandom(9);
    const [query, key, value] = [
      randomTensor(random, [1, 4, 3, 2]),
      randomTensor(random, [1, 2, 5, 2]),
      randomTensor(random, [1, 2, 5, 3]),
    ];
    const repeat = (x: typeof key) => {
      const block = x.data.length / 2;
      const data = new Float32Array(4 * block);
      for (let h = 0; h < 4; h++)
        data.set(
          x.data.subarray(Math.floor(h / 2) * block, (Math.floor(h / 2) + 1) * block),
          h * block,
        );
      return { ...x, data, dims: [1, 4, ...x.dims.slice(2)] };
    };
    const grouped = scaledDotProductAttention(query, key, value);
    const repeated = scaledDotProductAttention(query, repeat(key), repeat(value));
    expect(Array.from(grouped.output.data)).toEqual(Array.from(repeated.output.data));
  });

  it('writes into a caller-owned output and skips the weights when asked', () => {
    const random = seededRandom(4);
    const [query, key, value] = [
      randomTensor(random, [1, 2, 3, 4]),
      randomTensor(random, [1, 2, 5, 4]),
      randomTensor(random, [1, 2, 5, 4]),
    ];
    const buffer = new Float32Array(24);
    const result = scaledDotProductAttention(query, key, value, {
      output: buffer,
      returnWeights: false,
    });
    expect(result.output.data).toBe(buffer);
    expect(result.weights).toBeUndefined();
    expectClose(buffer, naiveAttention(query, key, value, 0.5).output);
  });

  it('rejects bad arguments with messages that name the function, argument, expectation and value', () => {
    const query = createTensor('float32', [1, 2, 3, 4]);
    const key = createTensor('float32', [1, 2, 5, 4]);
    const value = createTensor('float32', [1, 2, 5, 6]);
    const run =
      (options = {}, q = query, k = key, v = value) =>
      () =>
        scaledDotProductAttention(q, k, v, options);
    expect(run({}, createTensor('float32', [2, 3, 4]))).toThrow(
      'scaledDotProductAttention(): query must be a rank-4 tensor, got rank 3 [2,3,4].',
    );
    expect(run({}, query, createTensor('float32', [1, 2, 5, 3]))).toThrow(
      'scaledDotProductAttention(): key must have shape [1,Hkv,S,4] with Hkv dividing H = 2 (query is [B,H,T,D] = [1,2,3,4]), got [1,2,5,3].',
    );
    expect(run({}, query, createTensor('float32', [1, 3, 5, 4]))).toThrow(/Hkv dividing H = 2/);
    expect(run({}, query, key, createTensor('float32', [1, 2, 4, 6]))).toThrow(
      'scaledDotProductAttention(): value must have shape [1,2,5,Dv] (B, Hkv, S as in key), got [1,2,4,6].',
    );
    expect(run({ scale: Number.NaN })).toThrow(
      'scaledDotProductAttention(): options.scale must be a finite number > 0, got NaN.',
    );
    expect(run({ scale: Infinity })).toThrow(
      /options.scale must be a finite number > 0, got Infinity/,
    );
    expect(run({ scale: 0 })).toThrow(/got 0\./);
    expect(run({}, createTensor('float32', [1, 2, 0, 4]))).toThrow(
      'scaledDotProductAttention(): query must be a non-empty tensor, got dims [1,2,0,4].',
    );
    expect(run({}, query, createTensor('float64', [1, 2, 5, 4]) as never)).toThrow(
      'scaledDotProductAttention(): key must be a float32 Tensor, got a float64 tensor.',
    );
    expect(run({ mask: causalMask(4, 5) })).toThrow(
      /options.mask must have shape broadcastable to \[1,2,3,5\]/,
    );
    expect(run({ output: new Float32Array(5) })).toThrow(
      'scaledDotProductAttention(): options.output must be a Float32Array of 36 elements, got Float32Array of length 5.',
    );
  });
});
