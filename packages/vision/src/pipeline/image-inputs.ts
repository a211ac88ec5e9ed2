// The images a vision pipeline takes — a file path, the bytes of an image file, or decoded RGB pixels — turned
// into RGB images before any model is loaded, each with a warning for every lossy conversion on the way.
import { AttnError, describeValue, invalidArgument } from '@attn/core-attention';
import { defaultPixelLimit, loadImage, type ImageSource } from '../image/load-image.js';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';

/** One image for a pipeline: a file path, a file's bytes (Buffer or Uint8Array), or an {@link RgbImage}. */
export type ImageInput = string | Uint8Array | RgbImage;

/** The decoded images, in order, with what was lost decoding each. */
export interface ImageInputs {
  images: RgbImage[];
  warnings: string[][];
  /** Whether one image (not a list) was passed. */
  single: boolean;
}

/**
 * Decodes (one after the other, so a long list never holds every compressed file at once) and checks a
 * pipeline's image argument. Paths and bytes go through {@link loadImage}, whose AttnErrors pass through
 * unchanged; RGB images are checked and held to the same pixel limit.
 *
 * @example
 * ```ts
 * const { images, warnings, single } = await readImageInputs('detect', ['a.png', rgba16BitPng], {});
 * warnings[1]; // ['the alpha channel was dropped (transparent pixels keep their stored colour)', '16-bit samples were reduced to 8 bits']
 * single; // false
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an empty list, an entry that is none of the accepted kinds, an
 * invalid RGB image or a bad `pixelLimit`; INPUT_FORMAT for a file that is not a readable image or exceeds
 * the pixel limit (from loadImage).
 */
export async function readImageInputs(
  fn: string,
  input: ImageInput | readonly ImageInput[],
  options: { pixelLimit?: number | undefined },
): Promise<ImageInputs> {
  const single = !Array.isArray(input);
  const inputs = (single ? [input] : input) as readonly ImageInput[];
  if (inputs.length === 0) {
    throw invalidArgument(fn, 'images', 'a non-empty array of images', '[]', {
      fix: 'pass at least one file path, Buffer or RGB image',
    });
  }
  const pixelLimit = options.pixelLimit ?? defaultPixelLimit;
  const images: RgbImage[] = [];
  const warnings: string[][] = [];
  for (const [index, entry] of inputs.entries()) {
    const argument = single ? 'image' : `images[${index}]`;
    if (typeof entry === 'string' || entry instanceof Uint8Array) {
      const image = await loadImage(entry, { pixelLimit });
      images.push(image);
      warnings.push(conversionWarnings(image.source));
      continue;
    }
    if (typeof entry !== 'object' || entry === null) {
      throw invalidArgument(
        fn,
        argument,
        'a file path, a Buffer / Uint8Array of an image file, or an RGB image',
        describeValue(entry),
      );
    }
    expectRgbImage(fn, argument, entry);
    if (entry.width * entry.height > pixelLimit) {
      throw new AttnError(
        'INPUT_FORMAT',
        `${fn}(): ${argument} is ${entry.width} x ${entry.height} (${entry.width * entry.height} pixels), over the limit of ${pixelLimit} pixels`,
        { fix: 'shrink the image first, or raise options.pixelLimit' },
      );
    }
    images.push(entry);
    warnings.push([]);
  }
  return { images, warnings, single };
}

/** What decoding to 8-bit sRGB lost or changed, in words. */
function conversionWarnings(source: ImageSource): string[] {
  const warnings: string[] = [];
  if (source.pages > 1)
    warnings.push(`only the first of ${source.pages} pages (frames) of the image was used`);
  if (source.hasAlpha)
    warnings.push('the alpha channel was dropped (transparent pixels keep their stored colour)');
  if (source.bitDepth > 8) warnings.push(`${source.bitDepth}-bit samples were reduced to 8 bits`);
  if (source.space === 'cmyk') warnings.push('the CMYK image was converted to sRGB');
  return warnings;
}
