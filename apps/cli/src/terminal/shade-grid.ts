// A map over a grid (attention over image patches or feature cells, a mask) drawn with shade characters for the
// terminal, two per cell so cells look square: the map is stretched to its [min, max] range, as the PNG heatmaps
// are, and the smallest value is blank, then ░, ▒, ▓, █ for the quarters above it.

const shades = [' ', '░', '▒', '▓', '█'];

/**
 * One string per row of the row-major `values` [rows, cols].
 *
 * @example
 * ```ts
 * shadeGrid(new Float32Array([1, 3, 4, 5]), 2, 2); // ['  ▒▒', '▓▓██']
 * shadeGrid(new Uint8Array([1, 0]), 1, 2); // ['██  ']
 * ```
 * @throws never.
 */
export function shadeGrid(values: ArrayLike<number>, rows: number, cols: number): string[] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < rows * cols; index++) {
    low = Math.min(low, values[index] as number);
    high = Math.max(high, values[index] as number);
  }
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    let line = '';
    for (let col = 0; col < cols; col++) {
      const value = values[row * cols + col] as number;
      // a constant map is drawn full (a mask of ones) or blank (zeros)
      const t = high > low ? (value - low) / (high - low) : high > 0 ? 1 : 0;
      line += (shades[t > 0 ? Math.min(4, Math.ceil(t * 4)) : 0] as string).repeat(2);
    }
    lines.push(line);
  }
  return lines;
}
