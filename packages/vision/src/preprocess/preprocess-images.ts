// RGB images to the `pixel_values` (and DETR's `pixel_mask`) a Hugging Face vision model takes, in the order
// transformers' image processors apply the steps: resize, rescale, normalise, pad bottom/right with zeros.
// Shapes: images [B] of [h_b, w_b, 3] -> pixel_values [B, 3, H, W] float32, pixel_mask [B, H, W] int64.
import { createTensor, describeValue, invalidArgument, type Tensor } from '@attn/core-attention';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';
import type { ImageProcessorSettings } from './image-processor-settings.js';
import { resampleImage } from './resample-image.js';
import { resizeOutputSize, type Size } from './resize-output-size.js';

/** Where one image sits in the model input, to map coordinates between the two. */
export interface ImageGeometry {
  /** The image as given. */
  readonly original: Size;
  /** The image after resizing: it fills this top-left region of the input. */
  readonly resized: Size;
  /** The whole input, padding included (the same for every image of a batch). */
  readonly input: Size;
  /** resized / original per axis: an original pixel coordinate times this is an input coordinate. */
  readonly scale: { readonly x: number; readonly y: number };
}

/** The model inputs for a batch of images, with each image's geometry. */
export interface PreprocessedImages {
  /** [batch, 3, height, width], channels R, G, B. */
  readonly pixelValues: Tensor<'float32'>;
  /** [batch, height, width]: 1 over image pixels, 0 over padding. Present only when the settings pad. */
  readonly pixelMask?: Tensor<'int64'>;
  /** One per image, in order. */
  readonly geometry: readonly ImageGeometry[];
}

/**
 * Turns RGB images into model inputs as `settings` (from {@link imageProcessorSettings}) say: each image
 * is resized with Pillow's algorithm ({@link resampleImage}), its 0–255 samples s become
 * (s x rescaleFactor - mean) / std per channel (computed in float64, stored as float32), and the batch
 * is laid out channels-first. With padding, images sit at the top left of a zero-filled input as large
 * as the largest image (or the fixed pad size) and `pixelMask` marks their pixels; without it, every
 * image must come out of resizing at the same size.
 *
 * @example
 * ```ts
 * const white = { width: 4, height: 2, channels: 3, data: new Uint8Array(24).fill(255) } as const;
 * const { pixelValues, geometry } = preprocessImages([white], {
 *   resize: { height: 4, width: 4 }, resample: 'bilinear', rescaleFactor: 1 / 255,
 *   normalize: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }, pad: 'none',
 * });
 * pixelValues.dims; // [1, 3, 4, 4]
 * pixelValues.data[0]; // 1 ((255 / 255 - 0.5) / 0.5)
 * geometry[0].scale; // { x: 1, y: 2 }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `images` is not a non-empty array of RGB images, an image is
 * larger than a fixed pad size, or the images resize to different sizes and the settings do not pad.
 */
export function preprocessImages(
  images: readonly RgbImage[],
  settings: ImageProcessorSettings,
): PreprocessedImages {
  const fn = 'preprocessImages';
  if (!Array.isArray(images) || images.length === 0)
    throw invalidArgument(fn, 'images', 'a non-empty array of RGB images', describeValue(images));
  images.forEach((image, index) => expectRgbImage(fn, `images[${index}]`, image));

  const resized = images.map((image) => {
    if (settings.resize === null) return image;
    const { width, height } = resizeOutputSize(image, settings.resize);
    return resampleImage(image, width, height, settings.resample);
  });
  const input = inputSize(fn, resized, settings);
  const batch = images.length;
  const plane = input.height * input.width;
  const pixelValues = createTensor('float32', [batch, 3, input.height, input.width]);
  const values = pixelValues.data;
  const table = sampleTable(settings);

  resized.forEach((image, b) => {
    const { width, height, data } = image;
    for (let channel = 0; channel < 3; channel++) {
      const channelBase = (b * 3 + channel) * plane;
      const lookup = channel * 256;
      for (let y = 0; y < height; y++) {
        const row = channelBase + y * input.width;
        for (let x = 0, at = y * width * 3 + channel; x < width; x++, at += 3)
          values[row + x] = table[lookup + (data[at] as number)] as number;
      }
    }
  });

  const geometry = images.map((image, b) => {
    const { width, height } = resized[b] as RgbImage;
    return {
      original: { width: image.width, height: image.height },
      resized: { width, height },
      input,
      scale: { x: width / image.width, y: height / image.height },
    };
  });
  if (settings.pad === 'none') return { pixelValues, geometry };

  const pixelMask = createTensor('int64', [batch, input.height, input.width]);
  resized.forEach(({ width, height }, b) => {
    for (let y = 0; y < height; y++) {
      const row = b * plane + y * input.width;
      pixelMask.data.fill(1n, row, row + width);
    }
  });
  return { pixelValues, pixelMask, geometry };
}

/** The input size of the batch: the common size, the largest (padding to the batch) or the fixed pad size. */
function inputSize(
  fn: string,
  images: readonly RgbImage[],
  settings: ImageProcessorSettings,
): Size {
  const height = Math.max(...images.map((image) => image.height));
  const width = Math.max(...images.map((image) => image.width));
  const { pad } = settings;
  if (pad === 'batch') return { width, height };
  if (pad !== 'none') {
    if (height > pad.height || width > pad.width) {
      throw invalidArgument(
        fn,
        'images',
        `no larger than the pad size ${pad.width} x ${pad.height} after resizing`,
        `an image of ${width} x ${height}`,
        { fix: 'resize the images smaller, or raise pad_size in preprocessor_config.json' },
      );
    }
    return pad;
  }
  const odd = images.find((image) => image.width !== width || image.height !== height);
  if (odd !== undefined) {
    const sizes = [...new Set(images.map((image) => `${image.width} x ${image.height}`))];
    throw invalidArgument(
      fn,
      'images',
      'of one size after resizing, since the settings do not pad',
      `sizes ${sizes.join(', ')}`,
      {
        fix: 'preprocess the images one at a time, or use settings that resize to a fixed size or pad',
      },
    );
  }
  return { width, height };
}

/** The float32 value of each 0–255 sample per channel [3, 256], computed once in float64. */
function sampleTable(settings: ImageProcessorSettings): Float32Array {
  const table = new Float32Array(3 * 256);
  const factor = settings.rescaleFactor ?? 1;
  for (let channel = 0; channel < 3; channel++) {
    const mean = settings.normalize?.mean[channel] ?? 0;
    const std = settings.normalize?.std[channel] ?? 1;
    for (let sample = 0; sample < 256; sample++)
      table[channel * 256 + sample] = (sample * factor - mean) / std;
  }
  return table;
}
