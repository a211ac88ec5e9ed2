import { describe, expect, it } from 'vitest';
import { createTensor } from '../tensor/index.js';
import { relativePositionBias, relativePositionBucket } from './relative-position-bias.js';

describe('relativePositionBucket', () => {
  it('reproduces T5 buckets worked by hand (32 buckets, max distance 128)', () => {
    // bidirectional: 16 buckets per side, 8 exact; beyond, 8 + floor(ln(n / 8) / ln(16) · 8)
    const bidirectional = [
      -200, -128, -127, -64, -16, -15, -8, -7, -1, 0, 1, 7, 8, 16, 127, 200,
    ].map((r) => relativePositionBucket(r, 32));
    // -127: 8 + floor(ln 15.875 / ln 16 · 8) = 8 + floor(7.98) = 15;  -15: 8 + floor(ln 1.875 / ln 16 · 8) = 8 + floor(1.81) = 9
    expect(bidirectional).toEqual([15, 15, 15, 14, 10, 9, 8, 7, 1, 0, 17, 23, 24, 26, 31, 31]);
    // unidirectional: 32 buckets for keys before the query, 16 exact; beyond, 16 + floor(ln(n / 16) / ln(8) · 16)
    const causal = [-200, -20, -16, -15, 0, 5].map((r) =>
      relativePositionBucket(r, 32, { bidirectional: false }),
    );
    // -20: 16 + floor(0.223 / 2.079 · 16) = 16 + 1 = 17; keys after the query share bucket 0
    expect(causal).toEqual([31, 17, 16, 15, 0, 0]);
  });

  it('never decreases with distance and stays within its half', () => {
    let previous = 0;
    for (let n = 0; n < 400; n++) {
      const bucket = relativePositionBucket(-n, 32);
      expect(bucket).toBeGreaterThanOrEqual(previous);
      expect(bucket).toBeLessThan(16);
      expect(relativePositionBucket(n, 32)).toBe(n === 0 ? 0 : 16 + bucket);
      previous = bucket;
    }
  });

  it('rejects bad bucket counts and distances', () => {
    expect(() => relativePositionBucket(1.5, 32)).toThrow(
      'relativePositionBucket(): relativePosition must be an integer, got 1.5.',
    );
    expect(() => relativePositionBucket(1, 2)).toThrow(
      'relativePositionBucket(): numBuckets must be an integer >= 4, got 2.',
    );
    expect(() => relativePositionBucket(1, 32, { maxDistance: 8 })).toThrow(
      'relativePositionBucket(): options.maxDistance must be an integer > 8 (the exact buckets), got 8.',
    );
  });
});

describe('relativePositionBias', () => {
  it('looks each head up in the table [numBuckets, H] by bucket', () => {
    // 8 buckets bidirectional: 4 per side, 2 exact. Table: bucket b, head h -> 10 · b + h
    const table = createTensor(
      'float32',
      [8, 2],
      Float32Array.from({ length: 16 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2)),
    );
    const bias = relativePositionBias(table, 2, 3, { maxDistance: 16, offset: 0 });
    expect(bias.dims).toEqual([1, 2, 2, 3]);
    const bucketsOf = (t: number) =>
      [0, 1, 2].map((s) => relativePositionBucket(s - t, 8, { maxDistance: 16 }));
    const expected = [0, 1].flatMap((h) =>
      [0, 1].flatMap((t) => bucketsOf(t).map((bucket) => 10 * bucket + h)),
    );
    expect(Array.from(bias.data)).toEqual(expected);
    // query 0 against keys 0, 1, 2: same position, 1 after (4 + 1), 2 after (4 + 2)
    expect(bucketsOf(0)).toEqual([0, 5, 6]);
  });

  it('places the queries at the end of the keys by default (decoding with a cache)', () => {
    const table = createTensor(
      'float32',
      [8, 1],
      Float32Array.from({ length: 8 }, (_, b) => b),
    );
    const bias = relativePositionBias(table, 1, 4, { bidirectional: false, maxDistance: 16 });
    expect(Array.from(bias.data)).toEqual([3, 2, 1, 0]); // distances 3, 2, 1, 0, all exact
  });

  it('rejects a table of the wrong rank', () => {
    expect(() => relativePositionBias(createTensor('float32', [8]), 2, 2)).toThrow(
      'relativePositionBias(): table must be a rank-2 tensor, got rank 1 [8].',
    );
  });
});
