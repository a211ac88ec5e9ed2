// An attention heatmap over an image: core's heatmapRaster upsamples the map to the image size (bilinear,
// pixel centres aligned) and colours it with alpha = normalised value x opacity; the colour is then
// alpha-blended over the pixels, so where attention is lowest the image shows unchanged.
import {
  describeValue,
  heatmapRaster,
  invalidArgument,
  type ColormapName,
  type Normalization,
} from '@attn/core-attention';
import { checkGridArguments } from '../image/grid-arguments.js';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';

export interface OverlayHeatmapOptions {
  /** Default 'magma'. */
  colormap?: ColormapName;
  /** How values become colours and alpha. Default 'min-max' (the map's own range). */
  normalization?: Normalization;
  /** Alpha of the hottest value, in [0, 1]. Default 0.7. */
  opacity?: number;
}

/**
 * `image` with the heatmap `values` [rows, cols] (e.g. one query's attention over a patch grid) blended
 * over it, as a new image: out = image + (colour - image) x alpha, alpha = t x opacity for normalised
 * value t. A map that covers only part of the input (padding) should be cropped to the image first.
 *
 * @example
 * ```ts
 * const gray = { width: 4, height: 2, channels: 3, data: new Uint8Array(24).fill(100) } as const;
 * // Left cell cold, right cell hot: gray colormap, opacity 1.
 * const out = overlayHeatmap(gray, new Float32Array([0, 1]), 1, 2, { colormap: 'gray', opacity: 1 });
 * out.data[0]; // 100 (t = 0: untouched)
 * out.data[9]; // 255 (t = 1: fully white)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `image` is not an RGB image, `values` is not a Float32Array of
 * rows x cols, or an option is out of range (see heatmapRaster).
 */
export function overlayHeatmap(
  image: RgbImage,
  values: Float32Array,
  rows: number,
  cols: number,
  options: OverlayHeatmapOptions = {},
): RgbImage {
  const fn = 'overlayHeatmap';
  expectRgbImage(fn, 'image', image);
  checkGridArguments(fn, 'values', values, Float32Array, { rows, cols });
  const { colormap = 'magma', normalization = 'min-max', opacity = 0.7 } = options;
  if (!(opacity >= 0 && opacity <= 1))
    throw invalidArgument(fn, 'options.opacity', 'a number in [0, 1]', describeValue(opacity));
  const { width, height } = image;
  const colour = heatmapRaster(values, rows, cols, {
    width,
    height,
    colormap,
    normalization,
    alphaFromValue: true,
    opacity,
  }).data;
  const data = new Uint8Array(width * height * 3);
  for (let pixel = 0, rgba = 0; pixel < data.length; pixel += 3, rgba += 4) {
    const alpha = (colour[rgba + 3] as number) / 255;
    for (let channel = 0; channel < 3; channel++) {
      const base = image.data[pixel + channel] as number;
      data[pixel + channel] = Math.round(
        base + ((colour[rgba + channel] as number) - base) * alpha,
      );
    }
  }
  return { width, height, channels: 3, data };
}
