import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '../../testing/index.js';
import { expOfNonPositive, logSoftmax, logSumExp, mostLikely } from './log-softmax.js';

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

  it('logSumExp equals the float64 log of the summed exponentials, and is NaN where logSoftmax gives NaN', () => {
    const random = seededRandom(9);
    for (let trial = 0; trial < 10; trial++) {
      const logits = randomNormal(random, 1 + trial * 11, 4);
      const expected = Math.log(logits.reduce((sum, value) => sum + Math.exp(value), 0));
      expect(logSumExp(Float32Array.from(logits))).toBeCloseTo(expected, 5);
    }
    expect(logSumExp(new Float32Array([1000, 1000]))).toBeCloseTo(1000 + Math.log(2), 3);
    expect(logSumExp(new Float32Array([-Infinity, 0]))).toBe(0);
    expect(logSumExp(new Float32Array([-Infinity, -Infinity]))).toBeNaN();
    expect(logSumExp(new Float32Array([5, Number.NaN, 1]))).toBeNaN();
    expect(logSumExp(new Float32Array([Number.NaN, 5]))).toBeNaN();
    expect(logSumExp(new Float32Array([0, Infinity, 1]))).toBeNaN(); // a broken model, not a certain one
  });

  it('mostLikely gives the first index of the largest logit and its float64 log-probability, NaN where logSumExp is', () => {
    const random = seededRandom(10);
    for (let trial = 0; trial < 10; trial++) {
      const logits = Float32Array.from(randomNormal(random, 2 + trial * 7, 3));
      logits[logits.length - 1] = Math.max(...logits); // a tie: the first of the two wins
      const values = Array.from(logits);
      const index = values.indexOf(Math.max(...values));
      const normaliser = Math.log(values.reduce((sum, value) => sum + Math.exp(value), 0));
      const pick = mostLikely(logits);
      expect(pick.index).toBe(index);
      expect(pick.logProbability).toBeCloseTo((values[index] as number) - normaliser, 5);
    }
    expect(mostLikely(new Float32Array([-Infinity, 2, -Infinity]))).toEqual({
      index: 1,
      logProbability: 0,
    });
    expect(mostLikely(new Float32Array([5, Number.NaN, 1])).logProbability).toBeNaN();
    expect(mostLikely(new Float32Array([Number.NaN, 5]))).toEqual({
      index: 1,
      logProbability: NaN,
    });
    expect(mostLikely(new Float32Array([-Infinity, -Infinity])).logProbability).toBeNaN();
    expect(mostLikely(new Float32Array([0, Infinity, 1])).logProbability).toBeNaN();
  });

  it('expOfNonPositive is within 2e-7 of Math.exp over [-30, 0]', () => {
    let worst = 0;
    for (let i = 0; i <= 300_000; i++) {
      const x = -i / 10_000;
      worst = Math.max(worst, Math.abs(expOfNonPositive(x) / Math.exp(x) - 1));
    }
    expect(worst).toBeLessThan(2e-7);
    expect(expOfNonPositive(0)).toBe(1);
    expect(expOfNonPositive(Number.NaN)).toBeNaN();
  });

  it('logSumExp leaves out only terms too small to matter', () => {
    // 8000 logits 35 below the max: each e^-35 ≈ 6.3e-16 of it, 5e-12 together
    const logits = new Float32Array(8001).fill(-35);
    logits[0] = 0;
    expect(Math.abs(logSumExp(logits) - Math.log(1 + 8000 * Math.exp(-35)))).toBeLessThan(1e-11);
    // 8000 logits 20 below: they count
    logits.fill(-20).set([0]);
    expect(logSumExp(logits)).toBeCloseTo(Math.log(1 + 8000 * Math.exp(-20)), 9);
  });
});
