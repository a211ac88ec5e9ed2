// The image every vision function takes: 8-bit RGB pixels, row-major [height, width, 3] (HWC), the layout
// of sharp's raw output and of a PIL image as a NumPy array.
import { describeValue, invalidArgument } from '@attn/core-attention';

/** 8-bit RGB pixels, row-major [height, width, 3]. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
  readonly data: Uint8Array;
}

/**
 * Checks that `image` is an {@link RgbImage}: positive integer sizes and width x height x 3 bytes.
 *
 * @example
 * ```ts
 * expectRgbImage('drawBoxes', 'image', { width: 2, height: 1, channels: 3, data: new Uint8Array(6) }); // passes
 * expectRgbImage('drawBoxes', 'image', { width: 2, height: 1, channels: 3, data: new Uint8Array(8) });
 * // throws "drawBoxes(): image must be an RGB image: width x height x 3 bytes in a Uint8Array, got 2 x 1 with Uint8Array of length 8."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT otherwise.
 */
export function expectRgbImage(fn: string, argument: string, image: RgbImage): void {
  const { width, height, data } = (image ?? {}) as Partial<RgbImage>;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    (width as number) < 1 ||
    (height as number) < 1 ||
    !(data instanceof Uint8Array) ||
    data.length !== (width as number) * (height as number) * 3
  ) {
    throw invalidArgument(
      fn,
      argument,
      'an RGB image: width x height x 3 bytes in a Uint8Array',
      image === null || typeof image !== 'object'
        ? describeValue(image)
        : `${describeValue(width)} x ${describeValue(height)} with ${describeValue(data)}`,
    );
  }
}
