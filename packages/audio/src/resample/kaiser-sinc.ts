// The anti-aliasing filter of the resampler: an ideal low-pass (sinc) cut off below the lower Nyquist
// rate and shaped by a Kaiser window (Kaiser 1974; Smith, "Digital Audio Resampling", ccrma.stanford.edu).
//   τ   time offset from the output instant, in input samples
//   f_c cutoff as a fraction of the input Nyquist rate
//   W   half-width of the kernel, in input samples (zeroCrossings / f_c)

/** Fraction of the lower Nyquist rate that passes: the transition band lies just below and above it. */
export const rolloff = 0.94;
/** Zero crossings of the sinc on each side: 32 gives a transition band of about ±9 % of f_c. */
export const zeroCrossings = 32;
/** Kaiser β = 8.6: stop-band attenuation about 0.1102⁻¹ · 8.6 + 8.7 ≈ 87 dB (Kaiser's formula). */
export const kaiserBeta = 8.6;

const besselI0OfBeta = besselI0(kaiserBeta);

/** The filter for a conversion: cutoff f_c (fraction of the input Nyquist rate) and half-width W. */
export interface ResamplingFilter {
  cutoff: number;
  halfWidth: number;
}

/**
 * f_c = rolloff · min(1, toRate / fromRate), W = zeroCrossings / f_c.
 *
 * @example
 * ```ts
 * resamplingFilter(48000, 16000); // { cutoff: 0.3133…, halfWidth: 102.1… }
 * ```
 */
export function resamplingFilter(fromRate: number, toRate: number): ResamplingFilter {
  const cutoff = rolloff * Math.min(1, toRate / fromRate);
  return { cutoff, halfWidth: zeroCrossings / cutoff };
}

/**
 * h(τ) = f_c · sinc(f_c τ) · I0(β √(1 − (τ/W)²)) / I0(β), and 0 for |τ| ≥ W; sinc(x) = sin(πx) / (πx).
 *
 * @example
 * ```ts
 * kaiserSinc(0, { cutoff: 0.5, halfWidth: 64 }); // 0.5
 * kaiserSinc(2, { cutoff: 0.5, halfWidth: 64 }); // 1.9e-17: the first zero of sinc(τ / 2), up to rounding
 * ```
 */
export function kaiserSinc(tau: number, filter: ResamplingFilter): number {
  const x = tau / filter.halfWidth;
  if (x <= -1 || x >= 1) return 0;
  const phase = Math.PI * filter.cutoff * tau;
  const sinc = phase === 0 ? 1 : Math.sin(phase) / phase;
  return filter.cutoff * sinc * (besselI0(kaiserBeta * Math.sqrt(1 - x * x)) / besselI0OfBeta);
}

/**
 * The modified Bessel function of the first kind, order 0: Σ_k ((x/2)^k / k!)², summed until the terms
 * stop mattering (all terms are positive, so the series is stable).
 *
 * @example
 * ```ts
 * besselI0(0); // 1
 * besselI0(1); // 1.2660658777520082
 * ```
 */
export function besselI0(x: number): number {
  const half = x / 2;
  let term = 1;
  let sum = 1;
  for (let k = 1; term > sum * 1e-17; k++) {
    term *= (half / k) * (half / k);
    sum += term;
  }
  return sum;
}
