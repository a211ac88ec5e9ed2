import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { colormap, heatmapRaster } from '@attn/core-attention';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writePng } from '../image/write-png.js';
import { overlayHeatmap } from './overlay-heatmap.js';

const gray = (width: number, height: number) =>
  ({ width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(100) }) as const;

describe('overlayHeatmap', () => {
  it('leaves cold pixels untouched and paints the hottest in the colormap at the given opacity', () => {
    // 2 x 2 map over 8 x 8 pixels: each cell spans 4 x 4, and the two pixels nearest each corner
    // sample their corner cell alone (their centres fall before the first cell centre and are clamped).
    const values = new Float32Array([0, 0, 0, 1]);
    const opaque = overlayHeatmap(gray(8, 8), values, 2, 2, { opacity: 1 });
    const pixel = (image: { data: Uint8Array }, x: number, y: number) => [
      ...image.data.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3),
    ];
    expect(pixel(opaque, 0, 0)).toEqual([100, 100, 100]);
    expect(pixel(opaque, 1, 1)).toEqual([100, 100, 100]);
    expect(pixel(opaque, 7, 7)).toEqual(colormap('magma')(1)); // [252, 253, 191]
    // Gray colormap at opacity 0.5: alpha byte round(127.5) = 128, so 100 + (255 - 100) x 128 / 255 = 177.8 -> 178.
    const half = overlayHeatmap(gray(8, 8), values, 2, 2, { colormap: 'gray', opacity: 0.5 });
    expect(pixel(half, 6, 6)).toEqual([178, 178, 178]);
    expect(pixel(half, 0, 7)).toEqual([100, 100, 100]);
  });

  it('changes, once written as PNG and read back, exactly the pixels where the upsampled map is above zero', async () => {
    const values = new Float32Array(4 * 4);
    values[2 * 4 + 3] = 1; // hot patch at row 2, column 3
    const overlay = overlayHeatmap(gray(16, 16), values, 4, 4, { colormap: 'viridis' });
    const folder = await mkdtemp(join(tmpdir(), 'attn-overlay-'));
    const path = join(folder, 'overlay.png');
    await writePng(path, overlay);
    const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    await rm(folder, { recursive: true, force: true });
    expect([info.width, info.height, info.channels]).toEqual([16, 16, 3]);
    // Where heatmapRaster (tested in core) gives alpha 0 the image must be unchanged, and elsewhere changed.
    const alpha = heatmapRaster(values, 4, 4, {
      width: 16,
      height: 16,
      alphaFromValue: true,
      opacity: 0.7,
    }).data;
    let changed = 0;
    for (let pixel = 0; pixel < 16 * 16; pixel++) {
      const same =
        data[pixel * 3] === 100 && data[pixel * 3 + 1] === 100 && data[pixel * 3 + 2] === 100;
      expect(same).toBe(alpha[pixel * 4 + 3] === 0);
      if (!same) changed++;
    }
    // The hot cell's 4 x 4 block and a bilinear fringe: more than the block, far less than the image.
    expect(changed).toBeGreaterThanOrEqual(16);
    expect(changed).toBeLessThan(64);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 16; x++) expect(data[(y * 16 + x) * 3]).toBe(100);
  });

  it('refuses bad images, maps and opacities', () => {
    expect(() => overlayHeatmap(gray(4, 4), new Float32Array(3), 2, 2)).toThrow(
      'overlayHeatmap(): values must be a Float32Array of rows x cols = 4 values, got Float32Array of length 3.',
    );
    expect(() => overlayHeatmap(gray(4, 4), new Float32Array(4), 2, 2, { opacity: 2 })).toThrow(
      'overlayHeatmap(): options.opacity must be a number in [0, 1], got 2.',
    );
    expect(() => overlayHeatmap({ ...gray(4, 4), width: 5 }, new Float32Array(4), 2, 2)).toThrow(
      'overlayHeatmap(): image must be an RGB image',
    );
  });

  it('does what its example says', () => {
    const out = overlayHeatmap(gray(4, 2), new Float32Array([0, 1]), 1, 2, {
      colormap: 'gray',
      opacity: 1,
    });
    expect(out.data[0]).toBe(100);
    expect(out.data[9]).toBe(255);
  });
});
