import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.js';
import { resampleImage } from '../preprocess/resample-image.js';
import { canRenderText } from './can-render-text.js';
import { headGrid } from './head-grid.js';

const pixel = (image: RgbImage, x: number, y: number): number[] => [
  ...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3),
];

/** Three heads over a 2 x 2 grid, each hot in a different cell: head h is 1 at cell h, 0 elsewhere. */
function oneHotMaps(): Float32Array {
  const maps = new Float32Array(3 * 4);
  for (let head = 0; head < 3; head++) maps[head * 4 + head] = 1;
  return maps;
}

describe('headGrid', () => {
  it('lays cells out in columns with white gaps and a caption strip', async () => {
    // 3 heads, 2 columns: 2 rows. Cells 40 x 40 (square map), font max(10, round(40 / 12)) = 10, caption 16.
    const grid = await headGrid(oneHotMaps(), 3, 2, 2, {
      cellWidth: 40,
      columns: 2,
      colormap: 'gray',
    });
    expect([grid.width, grid.height]).toEqual([40 + 4 + 40, 2 * (40 + 16) + 4]);
    // Gap column x = 40..43 and the empty fourth cell are white.
    for (let y = 0; y < grid.height; y++) expect(pixel(grid, 41, y)).toEqual([255, 255, 255]);
    expect(pixel(grid, 64, 80)).toEqual([255, 255, 255]);
    // Head h is white (t = 1) at its hot cell and black (t = 0) at the opposite one; each cell of the
    // 2 x 2 map covers 20 x 20 pixels, and pixels 0..4 from a corner sample that corner's cell alone.
    const origins = [
      [0, 0],
      [44, 0],
      [0, 60],
    ];
    const cellCorner = [
      [2, 2],
      [37, 2],
      [2, 37],
      [37, 37],
    ];
    origins.forEach(([left, top], head) => {
      const [hotX, hotY] = cellCorner[head]!;
      const [coldX, coldY] = cellCorner[3 - head]!;
      expect(pixel(grid, left! + hotX!, top! + hotY!)).toEqual([255, 255, 255]);
      expect(pixel(grid, left! + coldX!, top! + coldY!)).toEqual([0, 0, 0]);
    });
    // The caption strip under head 0 has dark text pixels exactly when fonts are available.
    let dark = 0;
    for (let y = 40; y < 56; y++)
      for (let x = 0; x < 40; x++) if (pixel(grid, x, y)[0]! < 128) dark++;
    expect(dark > 5).toBe(await canRenderText());
  });

  it('blends each map over a thumbnail of the image, leaving cold regions as the thumbnail', async () => {
    const data = new Uint8Array(80 * 40 * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
    const image: RgbImage = { width: 80, height: 40, channels: 3, data };
    const grid = await headGrid(oneHotMaps(), 3, 2, 2, {
      image,
      cellWidth: 40,
      columns: 3,
      captions: ['a', 'b', 'c'],
    });
    // The image's aspect sets the cell: 40 x 20.
    expect([grid.width, grid.height]).toEqual([3 * 40 + 2 * 4, 20 + 16]);
    const thumbnail = resampleImage(image, 40, 20, 'bilinear');
    // Head 0 is hot top-left; its bottom-right corner pixels are untouched thumbnail pixels.
    expect(pixel(grid, 39, 19)).toEqual(pixel(thumbnail, 39, 19));
    expect(pixel(grid, 1, 1)).not.toEqual(pixel(thumbnail, 1, 1));
  });

  it('refuses mismatched maps, sizes and captions', async () => {
    await expect(headGrid(new Float32Array(5), 3, 2, 2)).rejects.toThrow(
      'headGrid(): maps must be a Float32Array of heads x rows x cols = 12 values, got Float32Array of length 5.',
    );
    await expect(headGrid(oneHotMaps(), 3, 2, 2, { captions: ['a'] })).rejects.toThrow(
      "headGrid(): options.captions must be 3 strings, got ['a'].",
    );
    await expect(headGrid(oneHotMaps(), 0, 2, 2)).rejects.toThrow(
      'headGrid(): heads must be a positive integer, got 0.',
    );
    await expect(headGrid(oneHotMaps(), 3, 2, 2, { cellWidth: 1.5 })).rejects.toThrow(
      'options.cellWidth must be a positive integer',
    );
  });

  it('does what its example says', async () => {
    const grid = await headGrid(new Float32Array(6 * 14 * 14), 6, 14, 14, { cellWidth: 100 });
    expect([grid.width, grid.height]).toEqual([308, 236]);
  });
});
