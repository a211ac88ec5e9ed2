import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { createTensor, expectRank, sizeOf, stridesOf, typedArrayConstructors } from './index.js';

describe('tensor', () => {
  it('computes sizes and row-major strides', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([5, 0])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([7])).toEqual([1]);
    expect(() => sizeOf([2, -1])).toThrow(/non-negative integers, got \[2,-1\]/);
  });

  it('creates zero tensors and wraps matching data', () => {
    const ids = createTensor('int64', [2]);
    expect(ids.data).toBeInstanceOf(BigInt64Array);
    expect([...ids.data]).toEqual([0n, 0n]);
    const values = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect(createTensor('float32', [2, 3], values).data).toBe(values);
  });

  it('rejects data of the wrong TypedArray or length', () => {
    expect(() =>
      createTensor('float32', [2], new Float64Array(2) as unknown as Float32Array),
    ).toThrow(/must be a Float32Array for type 'float32'/);
    expect(() => createTensor('float32', [2, 2], new Float32Array(3))).toThrow(AttnError);
  });

  it('maps every element type to a TypedArray constructor', () => {
    expect(typedArrayConstructors.bool).toBe(Uint8Array);
    expect(typedArrayConstructors.float16).toBe(Uint16Array);
    expect(typedArrayConstructors.int64).toBe(BigInt64Array);
  });

  it('checks rank and data length', () => {
    const tensor = createTensor('float32', [1, 2, 3]);
    expect(expectRank('f', 'x', tensor, 3)).toEqual([1, 2, 3]);
    expect(() => expectRank('f', 'x', tensor, 4)).toThrow(
      'f(): x must be a rank-4 tensor, got rank 3 [1,2,3].',
    );
    expect(() =>
      expectRank('f', 'x', { type: 'float32', data: new Float32Array(5), dims: [2, 3] }, 2),
    ).toThrow(/data of 6 elements/);
  });
});
