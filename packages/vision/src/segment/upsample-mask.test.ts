import { describe, expect, it } from 'vitest';
import { upsampleMask } from './upsample-mask.js';

describe('upsampleMask', () => {
  it('does what its example says', () => {
    expect(upsampleMask(new Uint8Array([1, 0]), 1, 2, 4, 2)).toEqual(
      new Uint8Array([1, 1, 0, 0, 1, 1, 0, 0]),
    );
  });

  it('gives each patch an equal block when the image is a multiple of the grid, as DINO upsamples', () => {
    // 2 x 2 grid, 6 x 4 image: each cell is a 3 x 2 block
    const mask = new Uint8Array([1, 0, 0, 1]);
    const image = upsampleMask(mask, 2, 2, 6, 4);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 6; x++)
        expect(image[y * 6 + x]).toBe(mask[Math.floor(y / 2) * 2 + Math.floor(x / 3)]);
  });

  it('samples the cell under each pixel centre for uneven sizes', () => {
    // 3 cells over 4 pixels: centres 0.5, 1.5, 2.5, 3.5 x 3/4 = 0.375, 1.125, 1.875, 2.625 -> cells 0, 1, 1, 2
    expect(upsampleMask(new Uint8Array([1, 0, 1]), 1, 3, 4, 1)).toEqual(
      new Uint8Array([1, 0, 0, 1]),
    );
  });

  it('refuses a mask of the wrong size', () => {
    expect(() => upsampleMask(new Uint8Array(3), 2, 2, 4, 4)).toThrow(
      'upsampleMask(): mask must be a Uint8Array of rows x cols = 4 values',
    );
  });
});
