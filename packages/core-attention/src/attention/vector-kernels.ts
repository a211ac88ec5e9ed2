// The two inner loops every attention kernel runs: a dot product and y += w·x (BLAS's sdot and saxpy).
// Unrolled by four with independent partial sums, which V8 runs about twice as fast as the plain loop.

/**
 * Σ_i a[aOffset + i] · b[bOffset + i] for i < length, summed in float64 (internal).
 *
 * @example
 * ```ts
 * dot(new Float32Array([1, 2, 3]), 0, new Float32Array([0, 4, 5, 6]), 1, 3); // 32
 * ```
 */
export function dot(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  length: number,
): number {
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    sum0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
    sum1 += (a[aOffset + i + 1] as number) * (b[bOffset + i + 1] as number);
    sum2 += (a[aOffset + i + 2] as number) * (b[bOffset + i + 2] as number);
    sum3 += (a[aOffset + i + 3] as number) * (b[bOffset + i + 3] as number);
  }
  for (; i < length; i++) sum0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
  return sum0 + sum1 + (sum2 + sum3);
}

/**
 * y[yOffset + i] += weight · x[xOffset + i] for i < length, into a float64 accumulator (internal).
 *
 * @example
 * ```ts
 * const y = new Float64Array([1, 1]);
 * addScaled(y, 0, 2, new Float32Array([9, 3, 4]), 1, 2); // y is now [7, 9]
 * ```
 */
export function addScaled(
  y: Float64Array,
  yOffset: number,
  weight: number,
  x: Float32Array,
  xOffset: number,
  length: number,
): void {
  let i = 0;
  for (; i + 3 < length; i += 4) {
    y[yOffset + i] = (y[yOffset + i] as number) + weight * (x[xOffset + i] as number);
    y[yOffset + i + 1] = (y[yOffset + i + 1] as number) + weight * (x[xOffset + i + 1] as number);
    y[yOffset + i + 2] = (y[yOffset + i + 2] as number) + weight * (x[xOffset + i + 2] as number);
    y[yOffset + i + 3] = (y[yOffset + i + 3] as number) + weight * (x[xOffset + i + 3] as number);
  }
  for (; i < length; i++)
    y[yOffset + i] = (y[yOffset + i] as number) + weight * (x[xOffset + i] as number);
}
