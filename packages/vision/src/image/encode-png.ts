// PNG encoding of an RGB or RGBA raster through sharp (libpng), for overlays and anything else drawn here.
import sharp from 'sharp';
import { describeValue, invalidArgument } from '@attn/core-attention';

/** Pixels to encode: row-major [height, width, 3] (RGB) or [height, width, 4] (RGBA), told apart by length. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/**
 * The number of channels of `raster` (3 or 4, from its length), after checking its sizes.
 *
 * @example
 * ```ts
 * rasterChannels('encodePng', 'raster', { width: 2, height: 1, data: new Uint8Array(8) }); // 4
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when width or height is not a positive integer or the data is not
 * width x height x 3 or x 4 bytes.
 */
export function rasterChannels(fn: string, argument: string, raster: Raster): 3 | 4 {
  const { width, height, data } = (raster ?? {}) as Partial<Raster>;
  const pixels =
    Number.isInteger(width) && Number.isInteger(height)
      ? (width as number) * (height as number)
      : Number.NaN;
  const typed = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
  if (!(pixels >= 1) || !typed || (data.length !== pixels * 3 && data.length !== pixels * 4)) {
    throw invalidArgument(
      fn,
      argument,
      'a raster of width x height x 3 (RGB) or x 4 (RGBA) bytes',
      raster === null || typeof raster !== 'object'
        ? describeValue(raster)
        : `${describeValue(width)} x ${describeValue(height)} with ${describeValue(data)}`,
    );
  }
  return data.length === pixels * 3 ? 3 : 4;
}

/**
 * Encodes an RGB or RGBA raster as PNG bytes.
 *
 * @example
 * ```ts
 * const png = await encodePng({ width: 2, height: 1, data: new Uint8Array([255, 0, 0, 0, 0, 255]) });
 * [...png.subarray(1, 4)].map((byte) => String.fromCharCode(byte)).join(''); // 'PNG'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `raster` is not a valid {@link Raster}.
 */
export async function encodePng(raster: Raster): Promise<Buffer> {
  const channels = rasterChannels('encodePng', 'raster', raster);
  const { width, height, data } = raster;
  return sharp(new Uint8Array(data.buffer, data.byteOffset, data.length), {
    raw: { width, height, channels },
  })
    .png()
    .toBuffer();
}
