import { describe, expect, it } from 'vitest';
import { expectClose, seededRandom } from '../testing/index.js';
import { alibiBias, alibiSlopes } from './alibi.js';
import { causalMask } from './masks.js';
import { combineMasks } from './attention-mask.js';
import { naiveAttention, randomTensor } from '../testing/naive-attention.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';

describe('alibiSlopes', () => {
  it('is the geometric sequence 2^(-8h/n) for a power of two', () => {
    expect(alibiSlopes(8)).toEqual([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256]);
    expect(alibiSlopes(1)).toEqual([1 / 256]);
    expectClose(alibiSlopes(4), [2 ** -2, 2 ** -4, 2 ** -6, 2 ** -8]);
  });

  it('takes the 2k sequence every other step for the heads past a power of two', () => {
    // n = 12: k = 8 gives 2^-1 .. 2^-8; the 16-head sequence 2^-0.5, 2^-1, 2^-1.5, ... at even indices gives 2^-0.5, 2^-1.5, 2^-2.5, 2^-3.5
    expectClose(alibiSlopes(12), [
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((h) => 2 ** -h),
      2 ** -0.5,
      2 ** -1.5,
      2 ** -2.5,
      2 ** -3.5,
    ]);
    // n = 6: k = 4 gives 2^-2, 2^-4, 2^-6, 2^-8; the 8-head sequence at indices 0 and 2 gives 2^-1, 2^-3
    expectClose(alibiSlopes(6), [2 ** -2, 2 ** -4, 2 ** -6, 2 ** -8, 2 ** -1, 2 ** -3]);
    expect(() => alibiSlopes(0)).toThrow(
      'alibiSlopes(): numHeads must be a positive integer, got 0.',
    );
  });
});

describe('alibiBias', () => {
  it('adds -m · (p - s) to each head, p = offset + t', () => {
    const bias = alibiBias(2, 2, 3); // slopes [1/16, 1/256], queries at positions 1 and 2
    expect(bias.dims).toEqual([1, 2, 2, 3]);
    expectClose(bias.data, [
      -1 / 16,
      0,
      -1 / 16,
      -2 / 16,
      -1 / 16,
      0,
      -1 / 256,
      0,
      -1 / 256,
      -2 / 256,
      -1 / 256,
      0,
    ]);
  });

  it('as an additive mask with a causal mask, equals the reference with the bias written out', () => {
    const random = seededRandom(81);
    const [H, T, S, D] = [3, 4, 6, 5];
    const [query, key, value] = [
      randomTensor(random, [1, H, T, D]),
      randomTensor(random, [1, H, S, D]),
      randomTensor(random, [1, H, S, 2]),
    ];
    const slopes = alibiSlopes(H);
    const mask = combineMasks(alibiBias(H, T, S), causalMask(T, S));
    const expected = naiveAttention(query, key, value, 1 / Math.sqrt(D), (_b, h, t, s) =>
      s > S - T + t ? false : -(slopes[h] as number) * (S - T + t - s),
    );
    expectClose(
      scaledDotProductAttention(query, key, value, { mask }).output.data,
      expected.output,
    );
  });

  it('rejects bad lengths and offsets', () => {
    expect(() => alibiBias(2, 0, 3)).toThrow(
      'alibiBias(): queryLength must be a positive integer, got 0.',
    );
    expect(() => alibiBias(2, 1, 3, { offset: Number.NaN })).toThrow(
      'alibiBias(): options.offset must be an integer, got NaN.',
    );
  });
});
