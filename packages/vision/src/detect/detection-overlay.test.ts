import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.js';
import type { Detection } from './detect.js';
import { detectionOverlay } from './detection-overlay.js';

const gray = (width: number, height: number): RgbImage => ({
  width,
  height,
  channels: 3,
  data: new Uint8Array(width * height * 3).fill(100),
});
const pixel = (image: RgbImage, x: number, y: number): number[] => [
  ...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3),
];

/**
 * An 80 x 80 image, a 2 x 2 grid (40 x 40 pixels a cell): object 0 looks at the top-left cell, object 1 at the
 * bottom-right. Pixels within 20 of a corner sample that corner's cell alone; the boxes and their tags stay clear
 * of the corners (1, 1), (78, 1) and (78, 78).
 */
function detection(): Detection {
  const object = (query: number, hot: number, box: Detection['objects'][number]['box']) => ({
    label: 'square',
    labelId: 1,
    score: 0.9,
    box,
    query,
    attention: Float32Array.from({ length: 4 }, (_, cell) => (cell === hot ? 0.7 : 0.1)),
  });
  return {
    objects: [
      object(0, 0, { x0: 4, y0: 20, x1: 36, y1: 36 }),
      object(1, 3, { x0: 44, y0: 60, x1: 76, y1: 76 }),
    ],
    width: 80,
    height: 80,
    grid: { rows: 2, cols: 2 },
    attention: undefined,
    warnings: [],
  };
}

describe('detectionOverlay', () => {
  it("blends every object's map, each scaled to its own peak, and draws the boxes", async () => {
    const drawn = await detectionOverlay(gray(80, 80), detection(), {
      colormap: 'gray',
      opacity: 1,
      lineWidth: 2,
    });
    // hot cells (1 after scaling by the peak 0.7): white; a cold cell (0.1 / 0.7 = 1/7 in both maps) blends
    // gray 100 towards the colormap's gray 255/7 = 36 with alpha 1/7: 100 + (36 - 100) / 7 = 90.9
    expect(pixel(drawn, 1, 1)).toEqual([255, 255, 255]);
    expect(pixel(drawn, 78, 78)).toEqual([255, 255, 255]);
    for (const value of pixel(drawn, 78, 1)) expect(Math.abs(value - 91)).toBeLessThanOrEqual(1);
    // the left edge of object 0's box (x0 = 4: the 2-pixel stroke covers pixels 3 and 4), not gray
    expect(pixel(drawn, 4, 30)[0]).not.toBe(pixel(drawn, 4, 30)[2]);
  });

  it('shows one object alone, and only boxes without attention', async () => {
    const only = await detectionOverlay(gray(80, 80), detection(), {
      object: 1,
      colormap: 'gray',
      opacity: 1,
    });
    // object 0's cell is now as cold as any, and its box is gone
    expect(pixel(only, 1, 1)).toEqual(pixel(only, 78, 1));
    expect(pixel(only, 4, 30)).toEqual(pixel(only, 78, 1));
    expect(pixel(only, 78, 78)).toEqual([255, 255, 255]);
    const blind = detection();
    for (const object of blind.objects) object.attention = undefined;
    const boxes = await detectionOverlay(gray(80, 80), blind, { lineWidth: 2 });
    expect(pixel(boxes, 1, 1)).toEqual([100, 100, 100]);
    expect(pixel(boxes, 4, 30)).not.toEqual([100, 100, 100]);
  });

  it('refuses an image of another size and an object index out of range', async () => {
    await expect(detectionOverlay(gray(30, 80), detection())).rejects.toThrow(
      'detectionOverlay(): image must be the 80 x 80 image the detection came from, got 30 x 80.',
    );
    await expect(detectionOverlay(gray(80, 80), detection(), { object: 2 })).rejects.toThrow(
      'detectionOverlay(): options.object must be an index into the 2 detected objects, got 2.',
    );
  });
});
