import { describe, expect, it } from 'vitest';
import { featureGrid } from './feature-grid.js';

/** PyTorch's F.interpolate(mode='nearest') of a 1-D mask with `real` ones then zeros, from `pixels` to `cells`. */
function nearestMaskCount(pixels: number, cells: number, real: number): number {
  const mask = Array.from({ length: pixels }, (_, x) => (x < real ? 1 : 0));
  const scale = Math.fround(pixels / cells);
  let count = 0;
  for (let cell = 0; cell < cells; cell++)
    count += mask[Math.min(Math.floor(Math.fround(cell * scale)), pixels - 1)]!;
  return count;
}

describe('featureGrid', () => {
  it('does what its example says', () => {
    expect(featureGrid({ width: 72, height: 56 }, { width: 40, height: 56 }, 63, 8)).toEqual({
      rows: 7,
      cols: 9,
      realRows: 7,
      realCols: 5,
    });
  });

  it('finds ResNet strides when the config names none, rounding the map up', () => {
    // 800 x 1066 at stride 32: ceil(800 / 32) = 25, ceil(1066 / 32) = 34
    expect(
      featureGrid({ width: 1066, height: 800 }, { width: 1066, height: 800 }, 25 * 34),
    ).toEqual({
      rows: 25,
      cols: 34,
      realRows: 25,
      realCols: 34,
    });
    // the same input with a dilated C5 (stride 16)
    expect(
      featureGrid({ width: 1066, height: 800 }, { width: 1066, height: 800 }, 50 * 67).cols,
    ).toBe(67);
  });

  it('marks as real exactly the cells a nearest-interpolated pixel mask keeps', () => {
    for (const [pixels, stride] of [
      [100, 32],
      [88, 8],
      [61, 8],
      [1333, 32],
      [37, 16],
    ] as const) {
      const cells = Math.ceil(pixels / stride);
      for (let real = 1; real <= pixels; real += 3) {
        const grid = featureGrid(
          { width: pixels, height: 8 * stride },
          { width: real, height: 8 * stride },
          cells * 8,
          stride,
        );
        expect(grid.realCols).toBe(nearestMaskCount(pixels, cells, real));
        expect(grid.realRows).toBe(8);
      }
    }
  });

  it('says so when no stride fits the positions', () => {
    expect(() => featureGrid({ width: 64, height: 64 }, { width: 64, height: 64 }, 63)).toThrow(
      "detect(): the model's cross-attention has 63 encoder positions, which no backbone stride places on a 64 x 64 input",
    );
  });
});
