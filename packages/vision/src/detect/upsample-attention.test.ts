import { heatmapRaster } from '@attn/core-attention';
import { randomInt, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { upsampleAttention } from './upsample-attention.js';

describe('upsampleAttention', () => {
  it('does what its example says', () => {
    expect(upsampleAttention(new Float32Array([0, 1]), 1, 2, 4, 1)).toEqual(
      new Float32Array([0, 0.25, 0.75, 1]),
    );
  });

  it('keeps a constant map constant and each value within the range of the map', () => {
    expect(upsampleAttention(new Float32Array(6).fill(0.125), 2, 3, 7, 5)).toEqual(
      new Float32Array(35).fill(0.125),
    );
    const random = seededRandom(3);
    const map = Float32Array.from({ length: 12 }, () => random());
    const image = upsampleAttention(map, 3, 4, 13, 9);
    for (const value of image) {
      expect(value).toBeGreaterThanOrEqual(Math.min(...map) - 1e-7);
      expect(value).toBeLessThanOrEqual(Math.max(...map) + 1e-7);
    }
  });

  it('samples where the overlay heatmap samples (gray colormap, identity domain)', () => {
    const random = seededRandom(9);
    for (let trial = 0; trial < 10; trial++) {
      const [rows, cols] = [randomInt(random, 1, 5), randomInt(random, 1, 5)];
      const [width, height] = [randomInt(random, 1, 20), randomInt(random, 1, 20)];
      const map = Float32Array.from({ length: rows * cols }, () => random());
      const values = upsampleAttention(map, rows, cols, width, height);
      const gray = heatmapRaster(map, rows, cols, {
        width,
        height,
        colormap: 'gray',
        normalization: [0, 1],
      });
      values.forEach((value, pixel) =>
        expect(Math.abs(gray.data[pixel * 4]! - value * 255)).toBeLessThanOrEqual(1),
      );
    }
  });

  it('refuses bad sizes and maps', () => {
    expect(() => upsampleAttention(new Float32Array(3), 1, 2, 4, 4)).toThrow(
      'upsampleAttention(): map must be a Float32Array of rows x cols = 2 values',
    );
    expect(() => upsampleAttention(new Float32Array(2), 1, 2, 0, 4)).toThrow(
      'upsampleAttention(): width must be a positive integer, got 0.',
    );
  });
});
