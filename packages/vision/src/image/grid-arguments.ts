// The arguments of a function over a grid of cells (upsampleAttention, upsampleMask, overlayHeatmap): positive
// integer sizes and a typed array of rows x cols cells.
import { describeValue, invalidArgument } from '@attn/core-attention';

/**
 * Checks `grid` against its sizes.
 *
 * @example
 * ```ts
 * checkGridArguments('upsampleMask', 'mask', new Uint8Array(6), Uint8Array, { rows: 2, cols: 3, width: 40, height: 30 });
 * ```
 * @throws {AttnError} INVALID_ARGUMENT naming the first size that is not a positive integer, or `name` when the
 * grid is not an array of `type` with rows x cols values.
 */
export function checkGridArguments(
  fn: string,
  name: string,
  grid: unknown,
  type: typeof Float32Array | typeof Uint8Array,
  sizes: { rows: number; cols: number; width?: number; height?: number },
): void {
  for (const [argument, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 1)
      throw invalidArgument(fn, argument, 'a positive integer', describeValue(value));
  }
  if (!(grid instanceof type) || grid.length !== sizes.rows * sizes.cols) {
    throw invalidArgument(
      fn,
      name,
      `a ${type.name} of rows x cols = ${sizes.rows * sizes.cols} values`,
      describeValue(grid),
    );
  }
}
