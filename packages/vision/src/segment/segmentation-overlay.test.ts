import { createAttentionMaps } from '@attn/core-attention';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.js';
import type { Segmentation } from './segment.js';
import { segmentationHeadGrid } from './segmentation-head-grid.js';
import { segmentationOverlay } from './segmentation-overlay.js';

const image: RgbImage = {
  width: 8,
  height: 4,
  channels: 3,
  data: new Uint8Array(8 * 4 * 3).fill(200),
};
const pixel = (drawn: RgbImage, x: number, y: number): number[] => [
  ...drawn.data.subarray((y * drawn.width + x) * 3, (y * drawn.width + x) * 3 + 3),
];

/** 2 heads over a 1 x 2 grid on an 8 x 4 image: head 0 keeps the left patch, head 1 the right; combined keeps the left. */
function segmentation(): Segmentation {
  return {
    width: 8,
    height: 4,
    grid: { rows: 1, cols: 2 },
    maps: [new Float32Array([0.8, 0.1]), new Float32Array([0.2, 0.7])],
    combinedMap: new Float32Array([0.5, 0.4]),
    masks: {
      perHead: [new Uint8Array([1, 0]), new Uint8Array([0, 1])],
      combined: new Uint8Array([1, 0]),
    },
    attention: createAttentionMaps({
      kind: 'self',
      layers: [0],
      heads: [0, 1],
      queryLabels: ['[CLS]', '0,0', '0,1'],
      keyLabels: ['[CLS]', '0,0', '0,1'],
      data: new Float32Array(2 * 9).fill(1 / 3),
    }),
    warnings: [],
  };
}

describe('segmentationOverlay', () => {
  it('dims the pixels outside the mask by the given factor', () => {
    // opacity 0: the heatmap adds nothing, so only the dimming shows
    const drawn = segmentationOverlay(image, segmentation(), { opacity: 0, outside: 0.5 });
    expect(pixel(drawn, 1, 2)).toEqual([200, 200, 200]);
    expect(pixel(drawn, 6, 2)).toEqual([100, 100, 100]);
    const head1 = segmentationOverlay(image, segmentation(), {
      head: 1,
      opacity: 0,
      outside: 0.25,
    });
    expect(pixel(head1, 1, 2)).toEqual([50, 50, 50]);
    expect(pixel(head1, 6, 2)).toEqual([200, 200, 200]);
  });

  it("blends the chosen map's heat over the image", () => {
    const drawn = segmentationOverlay(image, segmentation(), {
      colormap: 'gray',
      opacity: 1,
      outside: 1,
    });
    // min-max normalised combined map: left cell t = 1 (white), right t = 0 (unchanged)
    expect(pixel(drawn, 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(drawn, 7, 3)).toEqual([200, 200, 200]);
  });

  it('refuses another image size, a head out of range and a bad dimming factor', () => {
    expect(() =>
      segmentationOverlay({ ...image, width: 4, data: new Uint8Array(48) }, segmentation()),
    ).toThrow(
      'segmentationOverlay(): image must be the 8 x 4 image the segmentation came from, got 4 x 4.',
    );
    expect(() => segmentationOverlay(image, segmentation(), { head: 2 })).toThrow(
      "segmentationOverlay(): options.head must be 'combined' or a head index below 2, got 2.",
    );
    expect(() => segmentationOverlay(image, segmentation(), { outside: 2 })).toThrow(
      'options.outside must be a number in [0, 1]',
    );
  });
});

describe('segmentationHeadGrid', () => {
  it('draws one cell per head, maps or masks', async () => {
    // 2 heads in 2 columns, cells 40 wide and 20 tall (the image is 2:1), caption strip 16 (font 10)
    const maps = await segmentationHeadGrid(image, segmentation(), {
      cellWidth: 40,
      colormap: 'gray',
      opacity: 1,
    });
    expect([maps.width, maps.height]).toEqual([40 + 4 + 40, 20 + 16]);
    // head 0 is hot on the left (white), head 1 on the right
    expect(pixel(maps, 2, 10)).toEqual([255, 255, 255]);
    expect(pixel(maps, 44 + 37, 10)).toEqual([255, 255, 255]);
    const masks = await segmentationHeadGrid(image, segmentation(), {
      show: 'masks',
      cellWidth: 40,
      colormap: 'gray',
      opacity: 1,
    });
    expect(pixel(masks, 2, 10)).toEqual([255, 255, 255]);
    expect(pixel(masks, 37, 10)).toEqual([200, 200, 200]);
  });
});
