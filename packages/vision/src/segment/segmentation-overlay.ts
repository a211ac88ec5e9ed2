// A segmentation drawn on its image: pixels outside the attention mask dimmed, the attention map that made the mask
// blended over the rest — DINO's figure of what the [CLS] token attends to (Caron et al. 2021, figure 1).
import { describeValue, invalidArgument, type ColormapName } from '@attn/core-attention';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';
import { overlayHeatmap } from '../overlay/overlay-heatmap.js';
import type { Segmentation } from './segment.js';
import { upsampleMask } from './upsample-mask.js';

export interface SegmentationOverlayOptions {
  /** Whose map and mask: the combined ones, or one head's. Default 'combined'. */
  head?: 'combined' | number;
  /** Default 'magma'. */
  colormap?: ColormapName;
  /** Alpha of the hottest attention, in [0, 1]. Default 0.6. */
  opacity?: number;
  /** Brightness kept outside the mask, in [0, 1] (1 leaves those pixels as they are). Default 0.35. */
  outside?: number;
}

/**
 * `image` (the one `segmentation` came from) with the mask and its attention map drawn over it, as a new image:
 * pixels outside the mask are multiplied by `outside`, then the map is blended over everything.
 *
 * @example
 * ```ts
 * const image = await loadImage('scene.png');
 * await writePng('scene-mask.png', segmentationOverlay(image, await segment(image)));
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `image` is not an RGB image of the segmentation's size, `head` is not
 * 'combined' or a head index, or an option is out of range.
 */
export function segmentationOverlay(
  image: RgbImage,
  segmentation: Segmentation,
  options: SegmentationOverlayOptions = {},
): RgbImage {
  const fn = 'segmentationOverlay';
  expectRgbImage(fn, 'image', image);
  const { width, height } = image;
  if (width !== segmentation.width || height !== segmentation.height) {
    throw invalidArgument(
      fn,
      'image',
      `the ${segmentation.width} x ${segmentation.height} image the segmentation came from`,
      `${width} x ${height}`,
    );
  }
  const { head = 'combined', colormap = 'magma', opacity = 0.6, outside = 0.35 } = options;
  const heads = segmentation.maps.length;
  if (head !== 'combined' && !(Number.isInteger(head) && head >= 0 && head < heads)) {
    throw invalidArgument(
      fn,
      'options.head',
      `'combined' or a head index below ${heads}`,
      describeValue(head),
    );
  }
  if (!(outside >= 0 && outside <= 1))
    throw invalidArgument(fn, 'options.outside', 'a number in [0, 1]', describeValue(outside));
  const { rows, cols } = segmentation.grid;
  const [map, mask] =
    head === 'combined'
      ? [segmentation.combinedMap, segmentation.masks.combined]
      : [segmentation.maps[head] as Float32Array, segmentation.masks.perHead[head] as Uint8Array];
  const inside =
    head === 'combined' && segmentation.masks.upsampled !== undefined
      ? segmentation.masks.upsampled
      : upsampleMask(mask, rows, cols, width, height);
  const dimmed = new Uint8Array(image.data);
  for (let pixel = 0; pixel < width * height; pixel++) {
    if (inside[pixel] === 1) continue;
    for (let channel = pixel * 3; channel < pixel * 3 + 3; channel++)
      dimmed[channel] = Math.round((dimmed[channel] as number) * outside);
  }
  return overlayHeatmap({ width, height, channels: 3, data: dimmed }, map, rows, cols, {
    colormap,
    opacity,
  });
}
