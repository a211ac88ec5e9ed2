import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '@attn/core-attention/testing';
import { createFftPlan, fft } from '../index.js';

/** X[k] = Σ_t x[t] e^{−2πi tk/n}, in float64, straight from the definition. */
function naiveDft(real: Float64Array, imaginary: Float64Array): [number[], number[]] {
  const n = real.length;
  const outReal: number[] = [];
  const outImaginary: number[] = [];
  for (let k = 0; k < n; k++) {
    let sumReal = 0;
    let sumImaginary = 0;
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((t * k) % n)) / n;
      sumReal += (real[t] as number) * Math.cos(angle) - (imaginary[t] as number) * Math.sin(angle);
      sumImaginary +=
        (real[t] as number) * Math.sin(angle) + (imaginary[t] as number) * Math.cos(angle);
    }
    outReal.push(sumReal);
    outImaginary.push(sumImaginary);
  }
  return [outReal, outImaginary];
}

describe('fft', () => {
  it('factors n into radix-4, radix-2 and odd prime stages', () => {
    expect(createFftPlan(400).radices).toEqual([4, 4, 5, 5]);
    expect(createFftPlan(8).radices).toEqual([4, 2]);
    expect(createFftPlan(1).radices).toEqual([]);
    expect(createFftPlan(97).radices).toEqual([97]);
    expect(createFftPlan(90).radices).toEqual([2, 3, 3, 5]);
  });

  it('transforms [1, 2, 3] as worked by hand', () => {
    // X[0] = 6; X[1] = 1 + 2ω + 3ω², ω = e^{−2πi/3} = −1/2 − (√3/2)i -> −3/2 + (√3/2)i; X[2] = conj(X[1])
    const real = new Float64Array(3);
    const imaginary = new Float64Array(3);
    fft(createFftPlan(3), new Float64Array([1, 2, 3]), new Float64Array(3), real, imaginary);
    expectClose(real, [6, -1.5, -1.5], { atol: 1e-12 });
    expectClose(imaginary, [0, Math.sqrt(3) / 2, -Math.sqrt(3) / 2], { atol: 1e-12 });
  });

  it('equals the naive DFT for lengths with every kind of factor', () => {
    const random = seededRandom(7);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 25, 30, 49, 64, 97, 100, 400]) {
      const real = Float64Array.from(randomNormal(random, n));
      const imaginary = Float64Array.from(randomNormal(random, n));
      const outReal = new Float64Array(n);
      const outImaginary = new Float64Array(n);
      fft(createFftPlan(n), real, imaginary, outReal, outImaginary);
      const [expectedReal, expectedImaginary] = naiveDft(real, imaginary);
      expectClose(outReal, expectedReal, { atol: 1e-10, rtol: 0, label: `real, n = ${n}` });
      expectClose(outImaginary, expectedImaginary, {
        atol: 1e-10,
        rtol: 0,
        label: `imaginary, n = ${n}`,
      });
    }
  });

  it('rejects lengths that are not positive integers', () => {
    expect(() => createFftPlan(0)).toThrow('createFftPlan(): n must be a positive integer, got 0.');
    expect(() => createFftPlan(2.5)).toThrow(/got 2.5/);
  });
});
