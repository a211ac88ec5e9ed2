import { describe, expect, it } from 'vitest';
import { besselI0, kaiserSinc, resamplingFilter } from './kaiser-sinc.js';

describe('besselI0', () => {
  it('matches numpy.i0', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 14);
    expect(besselI0(8.6) / 750.4611595631659).toBeCloseTo(1, 14);
    expect(besselI0(20) / 43558282.559553534).toBeCloseTo(1, 14);
  });
});

describe('kaiserSinc', () => {
  const filter = { cutoff: 0.25, halfWidth: 10 };

  it('is f_c · sinc(f_c τ) times the Kaiser window', () => {
    expect(kaiserSinc(0, filter)).toBe(0.25);
    // τ = W/2: window = numpy.kaiser(5, 8.6)[3] = 0.34039362; sinc(1.25) = sin(1.25π) / (1.25π)
    const sinc = Math.sin(1.25 * Math.PI) / (1.25 * Math.PI);
    expect(kaiserSinc(5, filter)).toBeCloseTo(0.25 * sinc * 0.34039362, 8);
    expect(kaiserSinc(-5, filter)).toBe(kaiserSinc(5, filter));
  });

  it('vanishes at the zeros of the sinc and outside the window', () => {
    expect(Math.abs(kaiserSinc(4, filter))).toBeLessThan(1e-16); // f_c τ = 1
    expect(kaiserSinc(10, filter)).toBe(0);
    expect(kaiserSinc(-11, filter)).toBe(0);
  });
});

describe('resamplingFilter', () => {
  it('cuts at 0.94 of the lower Nyquist rate with 32 zero crossings each side', () => {
    expect(resamplingFilter(8000, 16000)).toEqual({ cutoff: 0.94, halfWidth: 32 / 0.94 });
    // 48 kHz -> 16 kHz: f_c = 0.94 / 3 of the input Nyquist rate
    expect(resamplingFilter(48000, 16000).cutoff).toBeCloseTo(0.94 / 3, 15);
  });
});
