import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { createTensor } from '../tensor/index.js';
import { expectClose, randomInt, seededRandom } from '../testing/index.js';
import { randomAttentionCase } from '../testing/attention-test-cases.js';
import { causalMask } from './masks.js';
import { randomTensor } from '../testing/naive-attention.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';
import { streamingAttention } from './streaming-attention.js';

const tensor = (dims: number[], values: number[]) =>
  createTensor('float32', dims, new Float32Array(values));

describe('streamingAttention', () => {
  it('matches the float64 reference within 1e-5 for every chunk size, mask and grouping', () => {
    const random = seededRandom(77);
    for (let trial = 0; trial < 60; trial++) {
      const { query, key, value, mask, scale, expected } = randomAttentionCase(random);
      const chunkSize = randomInt(random, 1, (key.dims[2] as number) + 3); // 1 .. S + 2, past S included
      const { output, weights } = streamingAttention(query, key, value, { mask, scale, chunkSize });
      expect(weights).toBeUndefined();
      expectClose(output.data, expected.output, {
        label: `output, trial ${trial}, chunk ${chunkSize}`,
      });
      const withWeights = streamingAttention(query, key, value, {
        mask,
        scale,
        chunkSize,
        returnWeights: true,
      });
      expectClose(withWeights.weights?.data ?? [], expected.weights, {
        label: `weights, trial ${trial}`,
      });
    }
  });

  it('equals scaled dot-product attention on a longer causal sequence across chunk boundaries', () => {
    const random = seededRandom(12);
    const [query, key, value] = [
      randomTensor(random, [1, 2, 40, 8], 2),
      randomTensor(random, [1, 2, 40, 8], 2),
      randomTensor(random, [1, 2, 40, 8]),
    ];
    const mask = causalMask(40, 40);
    const reference = scaledDotProductAttention(query, key, value, { mask });
    for (const chunkSize of [1, 7, 16, 40]) {
      expectClose(
        streamingAttention(query, key, value, { mask, chunkSize }).output.data,
        reference.output.data,
        { label: `chunk ${chunkSize}` },
      );
    }
  });

  it('gives zeros for fully masked rows, even when a row is masked for several chunks before its first live key', () => {
    const random = seededRandom(6);
    const [query, key, value] = [
      randomTensor(random, [1, 1, 4, 3]),
      randomTensor(random, [1, 1, 6, 3]),
      randomTensor(random, [1, 1, 6, 2]),
    ];
    // offset -1: query 0 (at position -1) sees no key; query t sees keys 0 .. t - 1
    const mask = causalMask(4, 6, { offset: -1 });
    const streamed = streamingAttention(query, key, value, {
      mask,
      chunkSize: 2,
      returnWeights: true,
    });
    expect(Array.from(streamed.output.data.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(streamed.weights?.data.subarray(0, 6) ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
    expectClose(
      streamed.output.data,
      scaledDotProductAttention(query, key, value, { mask }).output.data,
    );
    // keys masked from the front: the first chunks are all -Infinity, later ones live
    const front = createTensor('bool', [6], new Uint8Array([0, 0, 0, 0, 1, 1]));
    expectClose(
      streamingAttention(query, key, value, { mask: front, chunkSize: 2 }).output.data,
      scaledDotProductAttention(query, key, value, { mask: front }).output.data,
    );
  });

  it('handles length-1 sequences, huge logits and NaN like the reference kernel', () => {
    expectClose(
      streamingAttention(
        tensor([1, 1, 1, 2], [3, -1]),
        tensor([1, 1, 1, 2], [5, 7]),
        tensor([1, 1, 1, 3], [1, 2, 3]),
      ).output.data,
      [1, 2, 3],
    );
    // the running max rises by 1e4 between chunks: the old sum must be rescaled by e^-1e4 = 0, not overflow
    const rising = streamingAttention(
      tensor([1, 1, 1, 1], [100]),
      tensor([1, 1, 3, 1], [-100, 98, 100]),
      tensor([1, 1, 3, 1], [1, 2, 3]),
      { scale: 1, chunkSize: 1 },
    );
    expectClose(rising.output.data, [(2 * Math.exp(-200) + 3) / (1 + Math.exp(-200))]);
    const extreme = streamingAttention(
      tensor([1, 1, 1, 1], [1e15]),
      tensor([1, 1, 2, 1], [1e15, -1e15]),
      tensor([1, 1, 2, 1], [1, 2]),
      { scale: 1, chunkSize: 1 },
    );
    expect(Array.from(extreme.output.data)).toEqual([1]);
    const nan = streamingAttention(
      tensor([1, 1, 2, 1], [1, 1]),
      tensor([1, 1, 2, 1], [Number.NaN, 1]),
      tensor([1, 1, 2, 1], [1, 2]),
      { chunkSize: 1 },
    );
    expect(Array.from(nan.output.data).every(Number.isNaN)).toBe(true);
  });

  it('writes into a caller-owned output', () => {
    const random = seededRandom(1);
    const [query, key, value] = [
      randomTensor(random, [2, 1, 3, 4]),
      randomTensor(random, [2, 1, 5, 4]),
      randomTensor(random, [2, 1, 5, 4]),
    ];
    const buffer = new Float32Array(24);
    expect(streamingAttention(query, key, value, { output: buffer }).output.data).toBe(buffer);
    expectClose(buffer, scaledDotProductAttention(query, key, value).output.data);
  });

  it('rejects a bad chunk size and everything scaled dot-product attention rejects', () => {
    const query = createTensor('float32', [1, 1, 2, 4]);
    const key = createTensor('float32', [1, 1, 3, 4]);
    for (const chunkSize of [0, -4, 2.5, Number.NaN, Infinity]) {
      expect(() => streamingAttention(query, key, key, { chunkSize })).toThrow(AttnError);
    }
    expect(() => streamingAttention(query, key, key, { chunkSize: 0 })).toThrow(
      'streamingAttention(): options.chunkSize must be a positive integer, got 0.',
    );
    expect(() => streamingAttention(query, createTensor('float32', [1, 1, 3, 5]), key)).toThrow(
      /streamingAttention\(\): key must have shape \[1,Hkv,S,4\]/,
    );
    expect(() => streamingAttention(query, key, key, { scale: -1 })).toThrow(
      'streamingAttention(): options.scale must be a finite number > 0, got -1.',
    );
  });
});
