import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { randomInt, randomNormal, seededRandom } from '../testing/index.js';
import { colormap } from './colormaps.js';
import { heatmapRaster, type HeatmapRasterOptions } from './heatmap-raster.js';

/** The red channel of every pixel, which is the gray level under the gray colormap. */
const grayLevels = (data: Uint8ClampedArray): number[] =>
  [...data].filter((_, index) => index % 4 === 0);

/**
 * Float64 reference for pixel-centre bilinear resampling, written as a tent-filter sum over every source
 * sample: value(x) = sum_j max(0, 1 - |clamp(x_src) - j|) * source[j], with x_src = (x + 0.5) * C / W - 0.5.
 */
function tentResample(
  source: Float32Array,
  rows: number,
  cols: number,
  height: number,
  width: number,
): Float64Array {
  const output = new Float64Array(height * width);
  const clampedSource = (pixel: number, size: number, sourceSize: number): number =>
    Math.min(Math.max(((pixel + 0.5) * sourceSize) / size - 0.5, 0), sourceSize - 1);
  for (let y = 0; y < height; y++) {
    const sourceY = clampedSource(y, height, rows);
    for (let x = 0; x < width; x++) {
      const sourceX = clampedSource(x, width, cols);
      let sum = 0;
      for (let row = 0; row < rows; row++) {
        for (let col = 0; col < cols; col++) {
          sum +=
            Math.max(0, 1 - Math.abs(sourceY - row)) *
            Math.max(0, 1 - Math.abs(sourceX - col)) *
            source[row * cols + col]!;
        }
      }
      output[y * width + x] = sum;
    }
  }
  return output;
}

describe('heatmapRaster', () => {
  it('upsamples a 2 x 2 map with pixel-centre bilinear weights (hand-computed)', () => {
    // Source [[0, 1], [2, 3]] to 4 x 4: pixel centres map to source x = -0.25 -> 0 (clamped), 0.25, 0.75,
    // 1.25 -> 1, and the same for y, so value(y, x) = 2 * sy + sx:
    //   [0, 0.25, 0.75, 1], [0.5, 0.75, 1.25, 1.5], [1.5, 1.75, 2.25, 2.5], [2, 2.25, 2.75, 3].
    // Gray with domain [0, 3] writes 255 * value / 3 (85 per unit).
    const raster = heatmapRaster(new Float32Array([0, 1, 2, 3]), 2, 2, {
      width: 4,
      height: 4,
      colormap: 'gray',
      normalization: [0, 3],
    });
    const expected = [
      0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3,
    ].map((value) => value * 85);
    const gray = grayLevels(raster.data);
    for (let i = 0; i < 16; i++)
      expect(Math.abs(gray[i]! - expected[i]!), `pixel ${i}`).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(raster.width).toBe(4);
    expect(raster.height).toBe(4);
    expect(raster.data.filter((_, index) => index % 4 === 3).every((alpha) => alpha === 255)).toBe(
      true,
    );
  });

  it('averages all four samples when shrinking 2 x 2 to one pixel', () => {
    // The single pixel centre is source (0.5, 0.5): (0 + 1 + 2 + 3) / 4 = 1.5, gray 127.5 -> 127 or 128.
    const [gray] = grayLevels(
      heatmapRaster(new Float32Array([0, 1, 2, 3]), 2, 2, {
        width: 1,
        height: 1,
        colormap: 'gray',
        normalization: [0, 3],
      }).data,
    );
    expect(Math.abs(gray! - 127.5)).toBeLessThanOrEqual(0.5);
  });

  it('agrees with a float64 tent-filter reference on random maps and sizes', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomInt(random, 1, 7);
      const cols = randomInt(random, 1, 7);
      const height = randomInt(random, 1, 40);
      const width = randomInt(random, 1, 40);
      const values = randomNormal(random, rows * cols);
      const raster = heatmapRaster(values, rows, cols, {
        width,
        height,
        colormap: 'gray',
        normalization: [-4, 4],
      });
      const clamped = values.map((value) => Math.min(Math.max(value, -4), 4));
      const reference = tentResample(clamped, rows, cols, height, width);
      const gray = grayLevels(raster.data);
      for (let i = 0; i < gray.length; i++) {
        expect(
          Math.abs(gray[i]! - ((reference[i]! + 4) / 8) * 255),
          `trial ${trial} pixel ${i}`,
        ).toBeLessThanOrEqual(0.51);
      }
    }
  });

  it('keeps a constant map constant at any size', () => {
    const values = new Float32Array(3 * 5).fill(0.3);
    for (const [width, height] of [
      [7, 2],
      [5, 3],
      [64, 33],
      [1, 1],
    ] as const) {
      const { data } = heatmapRaster(values, 3, 5, { width, height, normalization: [0, 1] });
      for (let i = 0; i < data.length; i++) expect(data[i]).toBe(data[i % 4]);
    }
    // Under min-max a constant map has zero range and takes the colormap's first colour, as matplotlib does.
    const { data } = heatmapRaster(values, 3, 5, { width: 4, height: 4 });
    expect([...data.subarray(0, 4)]).toEqual([...colormap('viridis')(0), 255]);
  });

  it('normalises per row when asked, and saturates +-Infinity under min-max', () => {
    const perRow = heatmapRaster(new Float32Array([0, 10, 100, 300]), 2, 2, {
      width: 2,
      height: 2,
      colormap: 'gray',
      normalization: 'per-row',
    });
    expect(grayLevels(perRow.data)).toEqual([0, 255, 0, 255]);
    const infinite = heatmapRaster(new Float32Array([-Infinity, 1, 3, Infinity]), 1, 4, {
      width: 4,
      height: 1,
      colormap: 'gray',
    });
    expect(grayLevels(infinite.data)).toEqual([0, 0, 255, 255]);
  });

  it('draws NaN as transparent without leaking into samples it has no weight on', () => {
    // Identity size: every pixel reads exactly one sample, so only the NaN pixel is transparent.
    const { data } = heatmapRaster(new Float32Array([Number.NaN, 0, 1]), 1, 3, {
      width: 3,
      height: 1,
      colormap: 'gray',
    });
    expect([...data]).toEqual([0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it('takes alpha from the value and scales it by the opacity', () => {
    const { data } = heatmapRaster(new Float32Array([0, 0.5, 1]), 1, 3, {
      width: 3,
      height: 1,
      normalization: [0, 1],
      alphaFromValue: true,
      opacity: 0.5,
    });
    expect([data[3], data[7], data[11]]).toEqual([0, 64, 128]); // 255 * 0.5 * t = 0, 63.75, 127.5 (round half to even)
    const flat = heatmapRaster(new Float32Array([0, 1]), 1, 2, {
      width: 2,
      height: 1,
      opacity: 0.2,
    });
    expect([flat.data[3], flat.data[7]]).toEqual([51, 51]);
  });

  it('writes into a caller-owned buffer', () => {
    const output = new Uint8ClampedArray(2 * 3 * 4);
    const raster = heatmapRaster(new Float32Array([0, 1]), 1, 2, { width: 2, height: 3, output });
    expect(raster.data).toBe(output);
    expect(output[3]).toBe(255);
  });

  it('rejects bad sizes, data, options and buffers with INVALID_ARGUMENT', () => {
    const values = new Float32Array(4);
    const size = { width: 4, height: 4 };
    const bad: [Float32Array, number, number, HeatmapRasterOptions][] = [
      [values, 2, 2, { width: 0, height: 4 }],
      [values, 2, 2, { width: 4, height: -1 }],
      [values, 2, 2, { width: 2.5, height: 4 }],
      [values, 2, 2, { width: Number.NaN, height: 4 }],
      [values, 0, 2, size],
      [values, 2, 1.5, size],
      [values, 2, 3, size],
      [new Float64Array(4) as unknown as Float32Array, 2, 2, size],
      [values, 2, 2, { ...size, opacity: 1.5 }],
      [values, 2, 2, { ...size, normalization: [1, 1] }],
      [values, 2, 2, { ...size, normalization: [0, Infinity] }],
      [values, 2, 2, { ...size, colormap: 'jet' as 'gray' }],
      [values, 2, 2, { ...size, output: new Uint8ClampedArray(10) }],
    ];
    for (const [data, rows, cols, options] of bad) {
      let caught: unknown;
      try {
        heatmapRaster(data, rows, cols, options);
      } catch (error) {
        caught = error;
      }
      expect(
        AttnError.is(caught) && caught.code === 'INVALID_ARGUMENT',
        JSON.stringify({ rows, cols, options }),
      ).toBe(true);
    }
    expect(() => heatmapRaster(values, 2, 3, size)).toThrow(
      'heatmapRaster(): values must be a Float32Array of 2 x 3 = 6 values, got Float32Array of length 4.',
    );
    expect(() => heatmapRaster(values, 2, 2, { width: 0, height: 4 })).toThrow(
      'options.width must be a positive integer, got 0',
    );
  });
});
