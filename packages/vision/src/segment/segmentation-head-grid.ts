// The heads of a segmentation side by side: each head's [CLS] attention map, or its mask, over a thumbnail of the
// image — DINO's per-head figure (Caron et al. 2021, figure 3), through headGrid.
import { describeValue, invalidArgument } from '@attn/core-attention';
import type { RgbImage } from '../image/rgb-image.js';
import { headGrid, type HeadGridOptions } from '../overlay/head-grid.js';
import type { Segmentation } from './segment.js';

export interface SegmentationHeadGridOptions extends Omit<HeadGridOptions, 'image' | 'captions'> {
  /** Draw the heads' attention maps or their 0/1 masks. Default 'maps'. */
  show?: 'maps' | 'masks';
}

/**
 * One cell per head, captioned 'head h', with its map (or mask) blended over a thumbnail of `image`.
 *
 * @example
 * ```ts
 * const image = await loadImage('scene.png');
 * const grid = await segmentationHeadGrid(image, await segment(image), { cellWidth: 120 });
 * await writePng('scene-heads.png', grid);
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `image` is not an RGB image, `show` is not 'maps' or 'masks', or an
 * option is out of range (see headGrid).
 */
export function segmentationHeadGrid(
  image: RgbImage,
  segmentation: Segmentation,
  options: SegmentationHeadGridOptions = {},
): Promise<RgbImage> {
  const { show = 'maps', ...gridOptions } = options;
  if (show !== 'maps' && show !== 'masks') {
    const got = describeValue(show);
    return Promise.reject(
      invalidArgument('segmentationHeadGrid', 'options.show', "'maps' or 'masks'", got),
    );
  }
  const { rows, cols } = segmentation.grid;
  const heads = segmentation.maps.length;
  const cells = rows * cols;
  const values = new Float32Array(heads * cells);
  for (let head = 0; head < heads; head++) {
    const source = show === 'masks' ? segmentation.masks.perHead[head] : segmentation.maps[head];
    values.set(source as ArrayLike<number>, head * cells);
  }
  return headGrid(values, heads, rows, cols, {
    ...(show === 'masks' ? { normalization: [0, 1] as const } : {}),
    ...gridOptions,
    image,
    captions: Array.from({ length: heads }, (_, head) => `head ${head}`),
  });
}
