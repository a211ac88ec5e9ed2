// DETR's box format to pixels: pred_boxes hold (cx, cy, w, h) normalised to [0, 1] by the image
// (Carion et al. 2020, https://arxiv.org/abs/2005.12872, section 3.1); corners are cx -+ w/2, cy -+ h/2.
import { describeValue, invalidArgument } from '@attn/core-attention';
import type { ImageGeometry } from '../preprocess/preprocess-images.js';
import type { Box } from './box.js';

/**
 * A normalised (cx, cy, w, h) box as corners in the original image's pixels. `relativeTo: 'image'` (the
 * default, DETR's convention and transformers' post_process_object_detection) means the box is a
 * fraction of the image itself, so padding does not matter: x = cx x original width. `'input'` means a
 * fraction of the whole padded input, converted back through the resize scale: x = cx x input width /
 * scale.x. Boxes are not clipped to the image.
 *
 * @example
 * ```ts
 * const geometry = {
 *   original: { width: 640, height: 480 }, resized: { width: 1066, height: 800 },
 *   input: { width: 1200, height: 800 }, scale: { x: 1066 / 640, y: 800 / 480 },
 * };
 * centerBoxToPixels([0.5, 0.5, 0.25, 0.5], geometry); // { x0: 240, y0: 120, x1: 400, y1: 360 }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `box` does not hold 4 finite numbers, or `relativeTo` is not 'image' or 'input'.
 */
export function centerBoxToPixels(
  box: ArrayLike<number>,
  geometry: ImageGeometry,
  relativeTo: 'image' | 'input' = 'image',
): Box {
  const fn = 'centerBoxToPixels';
  const values = typeof box === 'object' && box !== null && box.length === 4 ? Array.from(box) : [];
  if (values.length !== 4 || !values.every(Number.isFinite))
    throw invalidArgument(fn, 'box', '4 finite numbers (cx, cy, w, h)', describeValue(box));
  const [cx, cy, w, h] = values as [number, number, number, number];
  let width: number;
  let height: number;
  if (relativeTo === 'image') {
    ({ width, height } = geometry.original);
  } else if (relativeTo === 'input') {
    width = geometry.input.width / geometry.scale.x;
    height = geometry.input.height / geometry.scale.y;
  } else {
    throw invalidArgument(fn, 'relativeTo', "'image' or 'input'", describeValue(relativeTo));
  }
  return {
    x0: (cx - w / 2) * width,
    y0: (cy - h / 2) * height,
    x1: (cx + w / 2) * width,
    y1: (cy + h / 2) * height,
  };
}
