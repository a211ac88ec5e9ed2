// A dense layer y = x W + b over rows, weights stored [in, out] as in the papers' x W notation (internal).
import { addScaled } from './vector-kernels.js';

/**
 * y [rows, outWidth] = x [rows, inWidth] · weight [inWidth, outWidth] + bias [outWidth], summed in float64.
 *
 * @example
 * ```ts
 * // [1, 2] · [[1, 0], [0, 1]] + [10, 20]
 * linear(new Float32Array([1, 2]), 1, 2, new Float32Array([1, 0, 0, 1]), new Float32Array([10, 20]), 2); // [11, 22]
 * ```
 */
export function linear(
  x: Float32Array,
  rows: number,
  inWidth: number,
  weight: Float32Array,
  bias: Float32Array | undefined,
  outWidth: number,
): Float32Array {
  const y = new Float32Array(rows * outWidth);
  const accumulator = new Float64Array(outWidth);
  for (let r = 0; r < rows; r++) {
    if (bias === undefined) accumulator.fill(0);
    else for (let j = 0; j < outWidth; j++) accumulator[j] = bias[j] as number;
    // row-wise: y_r += x[r, i] · W[i, :], reading W contiguously
    for (let i = 0; i < inWidth; i++)
      addScaled(accumulator, 0, x[r * inWidth + i] as number, weight, i * outWidth, outWidth);
    y.set(accumulator, r * outWidth);
  }
  return y;
}
