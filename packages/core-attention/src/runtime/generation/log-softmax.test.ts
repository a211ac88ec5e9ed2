import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '../../testing/index.js';
import { logSoftmax } from './log-softmax.js';

/** float64 reference: log(exp(x_i) / Σ exp(x_j)) computed naively on shifted values. */
function naiveLogSoftmax(values: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(values));
  const total = Array.from(values).reduce((sum, value) => sum + Math.exp(value - max), 0);
  return Array.from(values, (value) => Math.log(Math.exp(value - max) / total));
}

describe('logSoftmax', () => {
  it('matches a float64 reference on random rows, and its exponentials sum to 1', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const logits = randomNormal(random, 1 + trial * 7, 3);
      const expected = naiveLogSoftmax(logits);
      const actual = logSoftmax(Float32Array.from(logits));
      expectClose(actual, expected, { atol: 1e-5 });
      expect(actual.reduce((sum, value) => sum + Math.exp(value), 0)).toBeCloseTo(1, 5);
    }
  });

  it('is stable for huge logits and keeps -Infinity entries', () => {
    // [1000, 1000 + ln 3, -inf]: probabilities 1/4, 3/4, 0
    const actual = logSoftmax(
      new Float32Array([1000, 1000 + Math.log(3), Number.NEGATIVE_INFINITY]),
    );
    expectClose(actual, [Math.log(0.25), Math.log(0.75), Number.NEGATIVE_INFINITY], { atol: 1e-4 });
  });

  it('turns an all -Infinity row and any NaN into NaN rather than a confident answer', () => {
    expect(
      Array.from(logSoftmax(new Float32Array([-Infinity, -Infinity]))).every(Number.isNaN),
    ).toBe(true);
    expect(Array.from(logSoftmax(new Float32Array([0, Number.NaN, 1]))).every(Number.isNaN)).toBe(
      true,
    );
  });

  it('gives 0 for a length-1 row', () => {
    expect(Array.from(logSoftmax(new Float32Array([-7.5])))).toEqual([0]);
  });
});
