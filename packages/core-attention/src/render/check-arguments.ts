// Argument checks shared by the renderers' public boundaries.
import { describeValue, invalidArgument } from '../errors/index.js';

/**
 * Checks that `value` is an integer >= 1.
 *
 * @example
 * ```ts
 * checkPositiveInteger('heatmapRaster', 'options.width', 0);
 * // throws "heatmapRaster(): options.width must be a positive integer, got 0."
 * ```
 * @throws {AttnError} INVALID_ARGUMENT otherwise.
 */
export function checkPositiveInteger(fn: string, argument: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw invalidArgument(fn, argument, 'a positive integer', describeValue(value));
}

/**
 * Checks a heatmap: a Float32Array of rows x cols values, both positive integers.
 *
 * @example
 * ```ts
 * checkHeatmap('heatmapRaster', new Float32Array(6), 2, 3); // passes
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a size is not a positive integer or the length is not rows x cols.
 */
export function checkHeatmap(fn: string, values: Float32Array, rows: number, cols: number): void {
  checkPositiveInteger(fn, 'rows', rows);
  checkPositiveInteger(fn, 'cols', cols);
  if (!(values instanceof Float32Array) || values.length !== rows * cols) {
    throw invalidArgument(
      fn,
      'values',
      `a Float32Array of ${rows} x ${cols} = ${rows * cols} values`,
      describeValue(values),
    );
  }
}

/**
 * Checks a fixed domain: two finite numbers, low below high.
 *
 * @example
 * ```ts
 * checkDomain('heatmapRaster', 'options.normalization', [0, 1]); // passes
 * ```
 * @throws {AttnError} INVALID_ARGUMENT otherwise.
 */
export function checkDomain(fn: string, argument: string, domain: readonly number[]): void {
  const [low, high] = Array.isArray(domain) ? domain : [];
  if (
    !Array.isArray(domain) ||
    domain.length !== 2 ||
    !Number.isFinite(low) ||
    !Number.isFinite(high) ||
    !((low as number) < (high as number))
  ) {
    throw invalidArgument(
      fn,
      argument,
      '[low, high] with finite low < high',
      describeValue(domain),
    );
  }
}
