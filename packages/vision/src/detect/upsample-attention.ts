// A feature-grid attention map stretched to an image's pixels by bilinear interpolation with pixel centres
// aligned (the half-pixel convention of Pillow and OpenCV's INTER_LINEAR, and of overlayHeatmap): each cell covers
// an equal block of pixels and its value sits at the block's centre.
import { checkGridArguments } from '../image/grid-arguments.js';

/**
 * `map` [rows, cols] resampled to [height, width]: pixel (x, y) reads the map at
 * ((x + 0.5) x cols / width - 0.5, (y + 0.5) x rows / height - 0.5), clamped to the edge cells. Values are
 * interpolated, not rescaled: a distribution over cells does not sum to 1 over pixels. For detect()'s maps
 * the grid covers the cells on the image (their last row and column may overhang its edge by part of a
 * cell), so the stretch is exact to within a fraction of a cell.
 *
 * @example
 * ```ts
 * // [[0, 1]] to 4 x 1 pixels: x samples 0, 0.25, 0.75 and 1 (clamped at both ends).
 * upsampleAttention(new Float32Array([0, 1]), 1, 2, 4, 1); // Float32Array [0, 0.25, 0.75, 1]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a size is not a positive integer or `map` is not a Float32Array of rows x cols.
 */
export function upsampleAttention(
  map: Float32Array,
  rows: number,
  cols: number,
  width: number,
  height: number,
): Float32Array {
  checkGridArguments('upsampleAttention', 'map', map, Float32Array, { rows, cols, width, height });
  const columns = samples(width, cols);
  const lines = samples(height, rows);
  const image = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const top = (lines.low[y] as number) * cols;
    const bottom = (lines.high[y] as number) * cols;
    const down = lines.fraction[y] as number;
    for (let x = 0; x < width; x++) {
      const left = columns.low[x] as number;
      const right = columns.high[x] as number;
      const across = columns.fraction[x] as number;
      const upper =
        (map[top + left] as number) * (1 - across) + (map[top + right] as number) * across;
      const lower =
        (map[bottom + left] as number) * (1 - across) + (map[bottom + right] as number) * across;
      image[y * width + x] = upper * (1 - down) + lower * down;
    }
  }
  return image;
}

/** For each output pixel along an axis: the two cells around its centre and the weight of the second. */
function samples(outputSize: number, inputSize: number) {
  const low = new Int32Array(outputSize);
  const high = new Int32Array(outputSize);
  const fraction = new Float64Array(outputSize);
  for (let i = 0; i < outputSize; i++) {
    const source = Math.min(Math.max(((i + 0.5) * inputSize) / outputSize - 0.5, 0), inputSize - 1);
    low[i] = Math.floor(source);
    high[i] = Math.min((low[i] as number) + 1, inputSize - 1);
    fraction[i] = source - (low[i] as number);
  }
  return { low, high, fraction };
}
