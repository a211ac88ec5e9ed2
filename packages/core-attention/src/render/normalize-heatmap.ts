// Value normalisation for rendering: a heatmap [rows, cols] to t in [0, 1], as matplotlib's Normalize
// does it (a zero range maps to 0), with NaN kept as NaN so renderers can draw it apart.
import { checkDomain } from './check-arguments.js';

/**
 * How values become colours: `'min-max'` stretches the finite values to [0, 1], `'per-row'` does so
 * for each row (each query) on its own, and `[low, high]` is a fixed domain; values outside it saturate.
 */
export type Normalization = 'min-max' | 'per-row' | readonly [low: number, high: number];

/**
 * The smallest and largest finite value in `values[start, end)`; `[0, 0]` when none is finite.
 *
 * @example
 * ```ts
 * finiteRange(new Float32Array([3, Number.NaN, -1, Infinity])); // [-1, 3]
 * ```
 */
export function finiteRange(
  values: ArrayLike<number>,
  start = 0,
  end = values.length,
): [low: number, high: number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = start; i < end; i++) {
    const value = values[i] as number;
    if (value < low && value !== -Infinity) low = value;
    if (value > high && value !== Infinity) high = value;
  }
  return low <= high ? [low, high] : [0, 0];
}

/**
 * `values` [rows, cols] mapped to t in [0, 1] (clamped; NaN stays NaN), in a new Float32Array.
 *
 * @example
 * ```ts
 * normalizeHeatmap('f', new Float32Array([1, 3, 10, 20]), 2, 2, 'per-row'); // Float32Array [0, 1, 0, 1]
 * normalizeHeatmap('f', new Float32Array([1, 3, 10, 20]), 2, 2, [0, 4]); // Float32Array [0.25, 0.75, 1, 1]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a fixed domain is not finite low < high.
 */
export function normalizeHeatmap(
  fn: string,
  values: Float32Array,
  rows: number,
  cols: number,
  normalization: Normalization,
): Float32Array {
  const normalized = new Float32Array(rows * cols);
  if (normalization !== 'per-row' && normalization !== 'min-max') {
    checkDomain(fn, 'options.normalization', normalization);
  }
  let [low, high] =
    normalization === 'min-max'
      ? finiteRange(values)
      : normalization === 'per-row'
        ? [0, 0]
        : normalization;
  for (let row = 0; row < rows; row++) {
    const start = row * cols;
    if (normalization === 'per-row') [low, high] = finiteRange(values, start, start + cols);
    // A zero range maps everything to 0; +-Infinity then saturate and only NaN stays NaN.
    const scale = high > low ? 1 / (high - low) : 0;
    for (let i = start; i < start + cols; i++) {
      const value = values[i] as number;
      const t = (value - low) * scale;
      normalized[i] =
        t > 1 ? 1 : t >= 0 ? t : Number.isNaN(value) ? Number.NaN : value > low ? 1 : 0;
    }
  }
  return normalized;
}
