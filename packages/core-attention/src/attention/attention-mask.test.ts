import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { createTensor } from '../tensor/index.js';
import { broadcastMask, combineMasks } from './attention-mask.js';
import { causalMask, paddingMask } from './masks.js';

describe('broadcastMask', () => {
  it('gives stride 0 along broadcast axes, right-aligning lower ranks', () => {
    // [B,1,1,S] padding against [2,3,4,5]: strides B = 5, H = T = 0, S = 1
    expect(
      broadcastMask('f', 'mask', createTensor('bool', [2, 1, 1, 5]), [2, 3, 4, 5]).strides,
    ).toEqual([5, 0, 0, 1]);
    // [T,S] is [1,1,T,S]
    expect(broadcastMask('f', 'mask', createTensor('uint8', [4, 5]), [2, 3, 4, 5]).strides).toEqual(
      [0, 0, 5, 1],
    );
    expect(
      broadcastMask('f', 'mask', createTensor('float32', [2, 3, 4, 5]), [2, 3, 4, 5]),
    ).toMatchObject({
      additive: true,
      strides: [60, 20, 5, 1],
    });
  });

  it('rejects dims that are neither 1 nor equal, ranks above 4 and other element types', () => {
    expect(() =>
      broadcastMask(
        'scaledDotProductAttention',
        'options.mask',
        createTensor('bool', [2, 1, 3, 5]),
        [2, 4, 4, 5],
      ),
    ).toThrow(
      'scaledDotProductAttention(): options.mask must have shape broadcastable to [2,4,4,5] [B,H,T,S] (right-aligned; each dim 1 or equal), got [2,1,3,5].',
    );
    expect(() =>
      broadcastMask('f', 'mask', createTensor('bool', [1, 1, 1, 1, 5]), [1, 1, 1, 5]),
    ).toThrow(/rank 1 to 4/);
    expect(() =>
      broadcastMask('f', 'mask', createTensor('int32', [5]) as never, [1, 1, 1, 5]),
    ).toThrow('f(): mask must be a bool, uint8 or float32 Tensor, got int32.');
  });
});

describe('combineMasks', () => {
  it('ANDs two keep masks over their broadcast shape', () => {
    const padding = paddingMask(
      createTensor('int64', [2, 3], new BigInt64Array([1n, 1n, 0n, 1n, 1n, 1n])),
    );
    const mask = combineMasks(padding, causalMask(3, 3));
    expect(mask.type).toBe('bool');
    expect(mask.dims).toEqual([2, 1, 3, 3]);
    // batch 0 drops key 2 everywhere; batch 1 is plain causal
    expect(Array.from(mask.data)).toEqual([1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1]);
  });

  it('adds when either mask is additive, a dropped key counting -Infinity', () => {
    const bias = createTensor('float32', [1, 2, 1, 2], new Float32Array([-1, -2, -3, -4])); // per head
    const mask = combineMasks(causalMask(2, 2), bias);
    expect(mask.dims).toEqual([1, 2, 2, 2]);
    expect(Array.from(mask.data)).toEqual([-1, -Infinity, -1, -2, -3, -Infinity, -3, -4]);
  });

  it('rejects masks that do not broadcast together', () => {
    expect(() => combineMasks(createTensor('bool', [2, 3]), createTensor('bool', [4, 3]))).toThrow(
      AttnError,
    );
    expect(() =>
      combineMasks(createTensor('bool', [1, 1, 1, 1, 3]), createTensor('bool', [3])),
    ).toThrow('combineMasks(): first must be a tensor of rank 1 to 4, got dims [1,1,1,1,3].');
  });
});
