// Image decoding through sharp (libvips): every format sharp reads, EXIF orientation applied, and any colour
// model (grey, CMYK, 16-bit, alpha) reduced to 8-bit sRGB, as Hugging Face image processors see an image.
import { stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { AttnError, describeValue, invalidArgument } from '@attn/core-attention';
import type { RgbImage } from './rgb-image.js';

/** The default {@link LoadImageOptions.pixelLimit}: 40 megapixels (120 MB of RGB once decoded). */
export const defaultPixelLimit = 40_000_000;

export interface LoadImageOptions {
  /**
   * Images that declare more pixels (width x height of the first page) are refused before any pixel is
   * decoded: a guard against decompression bombs, whose few kilobytes expand to gigabytes. Default
   * {@link defaultPixelLimit}.
   */
  pixelLimit?: number;
}

/** What the file held before {@link loadImage} turned it into 8-bit sRGB. */
export interface ImageSource {
  /** The decoder: 'jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif', 'svg', … */
  readonly format: string;
  /** Width as stored, before the EXIF orientation was applied. */
  readonly width: number;
  /** Height as stored, before the EXIF orientation was applied. */
  readonly height: number;
  /** The EXIF orientation (1–8; 1 when the file has none), already applied to the pixels. */
  readonly orientation: number;
  /** The colour space as stored: 'srgb', 'b-w' (grey), 'cmyk', 'rgb16', 'grey16', … */
  readonly space: string;
  /** Bits per sample as decoded: 8, 16, 32 or 64 (palette and 1–4-bit images decode to 8). */
  readonly bitDepth: number;
  /** Whether the file had an alpha channel, which was dropped. */
  readonly hasAlpha: boolean;
  /** Pages or frames in the file (animated GIF / WebP, multi-page TIFF); only the first is decoded. */
  readonly pages: number;
}

/** A decoded image with a note of where it came from. */
export interface LoadedImage extends RgbImage {
  readonly source: ImageSource;
}

const bitDepths: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  double: 64,
};

/**
 * Decodes an image file or buffer to 8-bit RGB [height, width, 3] through sharp.
 *
 * Every format sharp reads is accepted (JPEG, PNG, WebP, GIF, TIFF, AVIF / HEIF, SVG); the first page of a
 * multi-page file is used. The EXIF orientation is applied, so width and height are as the image is
 * meant to be seen. Alpha is dropped, not blended onto a background: the colour stored under a
 * transparent pixel is kept, which is what PIL's `convert('RGB')` (Hugging Face image processors) and
 * transformers.js do, so the model sees the pixels it was trained on. Grey becomes R = G = B; CMYK and
 * images with an embedded ICC profile are converted to sRGB through the profile (libvips' own CMYK
 * profile when none is embedded; PIL's CMYK conversion is a naive formula and ignores profiles);
 * 16-bit samples are scaled to 8 bits (PIL clips 16-bit grey instead). Truncated or corrupt pixel
 * data is an error, never a half-grey image (sharp's `failOn: 'warning'`).
 *
 * @example
 * ```ts
 * const png = await sharp({ create: { width: 3, height: 2, channels: 4, background: '#ff000080' } })
 *   .png().toBuffer();
 * const image = await loadImage(png);
 * [image.width, image.height, image.channels]; // [3, 2, 3]
 * [...image.data.subarray(0, 3)]; // [255, 0, 0] (alpha dropped, not blended)
 * image.source; // { format: 'png', width: 3, height: 2, orientation: 1, space: 'srgb', bitDepth: 8, hasAlpha: true, pages: 1 }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `input` is not a path, Buffer or Uint8Array, the path does not
 * exist or is not a file, or `options.pixelLimit` is not a positive integer; INPUT_FORMAT when the
 * input is empty, is not an image sharp can read, is truncated or corrupt, or declares more pixels than
 * `options.pixelLimit`.
 */
export async function loadImage(
  input: string | Uint8Array,
  options: LoadImageOptions = {},
): Promise<LoadedImage> {
  const fn = 'loadImage';
  const { pixelLimit = defaultPixelLimit } = options;
  if (!Number.isInteger(pixelLimit) || pixelLimit < 1)
    throw invalidArgument(
      fn,
      'options.pixelLimit',
      'a positive integer',
      describeValue(pixelLimit),
    );
  const name = await checkInput(fn, input);

  // The header alone (no pixels are decoded), read without sharp's limit so that an image over it gets
  // our message with its size; the decoder below enforces the limit again.
  const metadata = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw undecodable(fn, name, error);
    });
  const pageHeight = metadata.pageHeight ?? metadata.height;
  if (metadata.width * pageHeight > pixelLimit) throw overLimit(fn, name, metadata, pixelLimit);

  const { data, info } = await sharp(input, { limitInputPixels: pixelLimit, failOn: 'warning' })
    .autoOrient()
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw undecodable(fn, name, error);
    });
  if (info.channels !== 3) {
    throw new AttnError(
      'INPUT_FORMAT',
      `${fn}(): ${name} decoded to ${info.channels} channels in colour space '${metadata.space}', not 3`,
      { fix: 'convert the image to RGB (for example with sharp or an image editor) and try again' },
    );
  }
  return {
    width: info.width,
    height: info.height,
    channels: 3,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    source: {
      format:
        metadata.format === 'heif' && metadata.compression === 'av1' ? 'avif' : metadata.format,
      width: metadata.width,
      height: pageHeight,
      orientation: metadata.orientation ?? 1,
      space: metadata.space,
      bitDepth: bitDepths[metadata.depth] ?? 8,
      hasAlpha: metadata.hasAlpha,
      pages: metadata.pages ?? 1,
    },
  };
}

/** Checks the input's type and, for a path, that it names a non-empty file; returns its name for messages. */
async function checkInput(fn: string, input: unknown): Promise<string> {
  if (typeof input === 'string') {
    if (input === '') throw invalidArgument(fn, 'input', 'a file path, Buffer or Uint8Array', "''");
    const name = `'${input}'`;
    const file = await stat(input).catch((error: unknown) => {
      throw invalidArgument(
        fn,
        'input',
        'the path of an image file',
        `${name}, which does not exist`,
        {
          fix: 'check the path (a relative path is resolved against the working directory)',
          cause: error,
        },
      );
    });
    if (!file.isFile())
      throw invalidArgument(
        fn,
        'input',
        'the path of an image file',
        `${name}, which is not a file`,
      );
    if (file.size === 0) throw empty(fn, name);
    return name;
  }
  if (!(input instanceof Uint8Array))
    throw invalidArgument(fn, 'input', 'a file path, Buffer or Uint8Array', describeValue(input));
  if (input.length === 0) throw empty(fn, 'the input buffer');
  return `the ${input.length}-byte input buffer`;
}

function empty(fn: string, name: string): AttnError {
  return new AttnError('INPUT_FORMAT', `${fn}(): ${name} is empty (0 bytes), not an image`, {
    likelyCause: 'the file was not written completely, or the wrong buffer was passed',
    fix: 'pass the bytes of a JPEG, PNG, WebP, GIF, TIFF, AVIF or SVG image',
  });
}

function overLimit(fn: string, name: string, metadata: Metadata, pixelLimit: number): AttnError {
  const { width, format } = metadata;
  const height = metadata.pageHeight ?? metadata.height;
  return new AttnError(
    'INPUT_FORMAT',
    `${fn}(): ${name} is a ${width} x ${height} ${format} image (${width * height} pixels), over the limit of ${pixelLimit} pixels`,
    {
      likelyCause: 'a very large image, or a decompression bomb that declares huge dimensions',
      fix: 'shrink the image first, or raise options.pixelLimit if the image is trusted',
    },
  );
}

function undecodable(fn: string, name: string, error: unknown): AttnError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const unsupported = /unsupported image format/i.test(reason ?? '');
  return new AttnError('INPUT_FORMAT', `${fn}(): cannot decode ${name} (sharp: ${reason})`, {
    likelyCause: unsupported
      ? 'the data is not an image in a format sharp reads'
      : /pixel limit/i.test(reason ?? '')
        ? 'the image has more pixels than options.pixelLimit allows'
        : 'the file is truncated or corrupt',
    fix: unsupported
      ? 'pass a JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF or SVG image'
      : 'check that the file was copied or downloaded completely, or re-save it with an image editor',
    cause: error,
  });
}
