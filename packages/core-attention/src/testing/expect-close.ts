// Elementwise comparison with a tolerance, for parity tests against float64 references.
// Throws a plain Error (not a vitest assertion) so any test runner can use it.

export interface CloseOptions {
  /** Absolute tolerance. Default 1e-5. */
  atol?: number;
  /** Relative tolerance, scaled by |expected|. Default 1e-5. */
  rtol?: number;
  /** Name shown in the failure message. */
  label?: string;
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| everywhere, with NaN equal only to NaN.
 *
 * @example
 * ```ts
 * expectClose(new Float32Array([1, 2]), [1, 2.000001]); // passes
 * expectClose([1], [2]); // throws: "values differ at 1 of 1 positions; first at [0]: 1 vs 2"
 * ```
 * @throws {Error} when lengths differ or any element is outside the tolerance.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: CloseOptions = {},
): void {
  const { atol = 1e-5, rtol = 1e-5, label = 'values' } = options;
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} differs from expected ${expected.length}`);
  }
  let failures = 0;
  let first = -1;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) {
        failures++;
        if (first < 0) first = i;
      }
      continue;
    }
    if (a === e) continue; // covers equal infinities
    const error = Math.abs(a - e);
    if (!(error <= atol + rtol * Math.abs(e))) {
      failures++;
      if (first < 0) first = i;
      worst = Math.max(worst, error);
    }
  }
  if (failures > 0) {
    throw new Error(
      `${label} differ at ${failures} of ${actual.length} positions (atol ${atol}, rtol ${rtol}, worst |diff| ${worst}); ` +
        `first at [${first}]: ${actual[first]} vs ${expected[first]}`,
    );
  }
}
