import { describe, expect, it } from 'vitest';
import { createTensor } from '../tensor/index.js';
import { randomInt, seededRandom } from '../testing/index.js';
import { causalMask, paddingMask, slidingWindowMask } from './masks.js';

/** The mask as rows of 0/1 strings, one per query, for readable expectations. */
const picture = (mask: { data: Uint8Array; dims: readonly number[] }): string[] => {
  const keys = mask.dims.at(-1) as number;
  return Array.from({ length: mask.data.length / keys }, (_, t) =>
    Array.from(mask.data.subarray(t * keys, (t + 1) * keys)).join(''),
  );
};

describe('paddingMask', () => {
  it('turns an attention_mask [B,S] of any integer type into a keep mask [B,1,1,S], left padding included', () => {
    const mask = paddingMask(
      createTensor('int64', [2, 3], new BigInt64Array([1n, 1n, 0n, 0n, 1n, 1n])),
    );
    expect(mask.dims).toEqual([2, 1, 1, 3]);
    expect(picture(mask)).toEqual(['110', '011']);
    expect(picture(paddingMask(createTensor('int32', [1, 2], new Int32Array([1, 0]))))).toEqual([
      '10',
    ]);
    expect(picture(paddingMask(createTensor('bool', [1, 2], new Uint8Array([0, 1]))))).toEqual([
      '01',
    ]);
  });

  it('rejects other element types and ranks', () => {
    expect(() => paddingMask(createTensor('float32', [1, 2]) as never)).toThrow(
      'paddingMask(): attentionMask must be an int64, int32, bool or uint8 Tensor [B,S], got float32.',
    );
    expect(() => paddingMask(createTensor('int64', [2]))).toThrow(
      'paddingMask(): attentionMask must be a rank-2 tensor, got rank 1 [2].',
    );
  });
});

describe('causalMask', () => {
  it('lets query t see keys s <= offset + t, with offset S - T by default (KV-cache decoding)', () => {
    expect(picture(causalMask(3, 3))).toEqual(['100', '110', '111']);
    expect(picture(causalMask(2, 4))).toEqual(['1110', '1111']); // the 2 new queries sit at positions 2 and 3
    expect(picture(causalMask(1, 4))).toEqual(['1111']); // one decoding step sees the whole cache
    expect(picture(causalMask(2, 4, { offset: 0 }))).toEqual(['1000', '1100']);
    expect(causalMask(2, 4).dims).toEqual([1, 1, 2, 4]);
  });

  it('agrees with s <= offset + t on random sizes and offsets', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const [T, S, offset] = [
        randomInt(random, 1, 6),
        randomInt(random, 1, 8),
        randomInt(random, -2, 6),
      ];
      const mask = causalMask(T, S, { offset });
      for (let t = 0; t < T; t++)
        for (let s = 0; s < S; s++) expect(mask.data[t * S + s]).toBe(s <= offset + t ? 1 : 0);
    }
  });

  it('rejects non-integer lengths and offsets', () => {
    expect(() => causalMask(0, 3)).toThrow(
      'causalMask(): queryLength must be a positive integer, got 0.',
    );
    expect(() => causalMask(2, 3, { offset: 0.5 })).toThrow(
      'causalMask(): options.offset must be an integer, got 0.5.',
    );
  });
});

describe('slidingWindowMask', () => {
  it('keeps the last `window` positions up to and including the query', () => {
    expect(picture(slidingWindowMask(4, 4, 2))).toEqual(['1000', '1100', '0110', '0011']);
    expect(picture(slidingWindowMask(1, 5, 3))).toEqual(['00111']); // decoding: position 4 sees 2, 3, 4
    expect(picture(slidingWindowMask(3, 3, 10))).toEqual(picture(causalMask(3, 3))); // a wide window is causal
  });

  it('rejects a window that is not a positive integer', () => {
    expect(() => slidingWindowMask(2, 2, 0)).toThrow(
      'slidingWindowMask(): window must be a positive integer, got 0.',
    );
  });
});
