import { describe, expect, it } from 'vitest';
import { preprocessImages } from '../preprocess/preprocess-images.js';
import { centerBoxToPixels } from './center-box-to-pixels.js';

describe('centerBoxToPixels', () => {
  const geometry = {
    original: { width: 640, height: 480 },
    resized: { width: 1066, height: 800 },
    input: { width: 1200, height: 800 },
    scale: { x: 1066 / 640, y: 800 / 480 },
  };

  it('scales a box normalised by the image to its pixels', () => {
    // cx 0.5, w 0.25 of 640: x from (0.5 - 0.125) x 640 = 240 to 0.625 x 640 = 400; y from 0.25 x 480 = 120 to 360.
    expect(centerBoxToPixels([0.5, 0.5, 0.25, 0.5], geometry)).toEqual({
      x0: 240,
      y0: 120,
      x1: 400,
      y1: 360,
    });
    expect(centerBoxToPixels(new Float32Array([0.1, 0.9, 0.2, 0.2]), geometry)).toEqual({
      x0: 0,
      y0: (Math.fround(0.9) - Math.fround(0.2) / 2) * 480,
      x1: (Math.fround(0.1) + Math.fround(0.2) / 2) * 640,
      y1: (Math.fround(0.9) + Math.fround(0.2) / 2) * 480,
    });
  });

  it('maps a box normalised by the padded input back through the resize scale', () => {
    // The input is 1200 wide, so cx 0.5 is input x 600, which is 600 / (1066 / 640) = 360.2 original pixels.
    const box = centerBoxToPixels([0.5, 0.5, 0.1, 0.1], geometry, 'input');
    expect(box.x0).toBeCloseTo((0.45 * 1200 * 640) / 1066, 10);
    expect(box.x1).toBeCloseTo((0.55 * 1200 * 640) / 1066, 10);
    expect(box.y0).toBeCloseTo(0.45 * 480, 10);
    expect(box.y1).toBeCloseTo(0.55 * 480, 10);
  });

  it('agrees with the geometry preprocessImages reports for a padded batch', () => {
    const image = (width: number, height: number) => ({
      width,
      height,
      channels: 3 as const,
      data: new Uint8Array(width * height * 3),
    });
    const {
      geometry: [, tall],
    } = preprocessImages([image(8, 4), image(4, 8)], {
      resize: { shortestEdge: 8, longestEdge: 16 },
      resample: 'bilinear',
      rescaleFactor: null,
      normalize: null,
      pad: 'batch',
    });
    // The tall image resizes to 8 x 16 inside a 16 x 16 input: its full extent in input fractions is
    // [0, 0.5] x [0, 1], which must map back to its whole original 4 x 8.
    expect(centerBoxToPixels([0.25, 0.5, 0.5, 1], tall!, 'input')).toEqual({
      x0: 0,
      y0: 0,
      x1: 4,
      y1: 8,
    });
    expect(centerBoxToPixels([0.5, 0.5, 1, 1], tall!)).toEqual({ x0: 0, y0: 0, x1: 4, y1: 8 });
  });

  it('refuses malformed boxes', () => {
    expect(() => centerBoxToPixels([0.5, 0.5, 0.1], geometry)).toThrow(
      'centerBoxToPixels(): box must be 4 finite numbers (cx, cy, w, h), got [0.5,0.5,0.1].',
    );
    expect(() => centerBoxToPixels([0.5, Number.NaN, 0.1, 0.1], geometry)).toThrow(
      'box must be 4 finite numbers',
    );
    expect(() => centerBoxToPixels([0.5, 0.5, 0.1, 0.1], geometry, 'padded' as 'input')).toThrow(
      "relativeTo must be 'image' or 'input', got 'padded'",
    );
  });
});
