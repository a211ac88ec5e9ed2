// A patch-grid mask at an image's size, by nearest neighbour: each pixel takes the patch its centre falls in, as
// DINO's visualisation upsamples its masks (F.interpolate, mode 'nearest', by the patch size).
import { checkGridArguments } from '../image/grid-arguments.js';

/**
 * `mask` [rows, cols] (a grid that covers the whole image, as a vision transformer's patches do after the
 * image is resized to its input) at [height, width]: pixel (x, y) takes cell
 * (floor((y + 0.5) x rows / height), floor((x + 0.5) x cols / width)).
 *
 * @example
 * ```ts
 * // [[1, 0]] over a 4 x 2 image: the left two columns come from cell 0, the right two from cell 1.
 * upsampleMask(new Uint8Array([1, 0]), 1, 2, 4, 2); // Uint8Array [1, 1, 0, 0, 1, 1, 0, 0]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a size is not a positive integer or `mask` is not a Uint8Array of rows x cols.
 */
export function upsampleMask(
  mask: Uint8Array,
  rows: number,
  cols: number,
  width: number,
  height: number,
): Uint8Array {
  checkGridArguments('upsampleMask', 'mask', mask, Uint8Array, { rows, cols, width, height });
  const columnOf = new Int32Array(width);
  for (let x = 0; x < width; x++) columnOf[x] = Math.floor(((x + 0.5) * cols) / width);
  const image = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(((y + 0.5) * rows) / height) * cols;
    for (let x = 0; x < width; x++)
      image[y * width + x] = mask[row + (columnOf[x] as number)] as number;
  }
  return image;
}
