// Mixed-radix decimation-in-time FFT for any length (Cooley & Tukey 1965, generalised to the factors
// of n: radix 4 and 2 butterflies, a direct p-point DFT for any other prime factor), so Whisper's
// 400-point frames (4 · 4 · 5 · 5) need no zero padding.
//   X[k] = Σ_t x[t] · W_n^{tk}, W_n = e^{−2πi/n}
//   stage (p, m): p sub-transforms of length m in consecutive blocks become one of length p·m:
//   X[k + r·m] = Σ_q (W_{pm}^{qk} · X_q[k]) · W_p^{qr}
import { describeValue, invalidArgument } from '@attn/core-attention';

/** Everything an n-point transform precomputes: the stage radices, input order and twiddles. */
export interface FftPlan {
  readonly n: number;
  /** Radix of each stage, first (innermost) stage first. */
  readonly radices: readonly number[];
  /** permutation[position] = input index read into that position (mixed-radix digit reversal). */
  readonly permutation: Uint32Array;
  /** cos and sin of −2πk/n, k = 0..n−1. */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

/**
 * Plans an n-point complex FFT.
 *
 * @example
 * ```ts
 * createFftPlan(400).radices; // [4, 4, 5, 5]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `n` is not a positive safe integer.
 */
export function createFftPlan(n: number): FftPlan {
  if (!(Number.isSafeInteger(n) && n > 0))
    throw invalidArgument('createFftPlan', 'n', 'a positive integer', describeValue(n));
  const radices: number[] = [];
  let rest = n;
  for (const radix of [4, 2]) {
    while (rest % radix === 0) {
      radices.push(radix);
      rest /= radix;
    }
  }
  for (let radix = 3; rest > 1; radix += 2) {
    while (rest % radix === 0) {
      radices.push(radix);
      rest /= radix;
    }
  }
  const permutation = new Uint32Array(n);
  for (let index = 0; index < n; index++) {
    // The last stage splits the input by index mod p into blocks of n / p, and so on inwards.
    let position = 0;
    let remaining = index;
    let blockSize = n;
    for (let stage = radices.length - 1; stage >= 0; stage--) {
      const p = radices[stage] as number;
      blockSize /= p;
      position += (remaining % p) * blockSize;
      remaining = Math.floor(remaining / p);
    }
    permutation[position] = index;
  }
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((-2 * Math.PI * k) / n);
    sin[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  return { n, radices, permutation, cos, sin };
}

/**
 * The forward DFT of (inputReal + i·inputImaginary) into (outputReal, outputImaginary), all of length n.
 *
 * @example
 * ```ts
 * const real = new Float64Array(3);
 * const imaginary = new Float64Array(3);
 * fft(createFftPlan(3), new Float64Array([1, 2, 3]), new Float64Array(3), real, imaginary);
 * // real ≈ [6, −1.5, −1.5], imaginary ≈ [0, 0.866, −0.866]
 * ```
 */
export function fft(
  plan: FftPlan,
  inputReal: ArrayLike<number>,
  inputImaginary: ArrayLike<number>,
  outputReal: Float64Array,
  outputImaginary: Float64Array,
): void {
  const { n, radices, permutation, cos, sin } = plan;
  for (let position = 0; position < n; position++) {
    const index = permutation[position] as number;
    outputReal[position] = inputReal[index] as number;
    outputImaginary[position] = inputImaginary[index] as number;
  }
  let m = 1;
  for (const p of radices) {
    const span = p * m;
    const step = n / span; // W_{pm}^{j} = W_n^{j·step}
    if (p === 4) radix4Stage(outputReal, outputImaginary, n, m, step, cos, sin);
    else if (p === 2) radix2Stage(outputReal, outputImaginary, n, m, step, cos, sin);
    else genericStage(outputReal, outputImaginary, n, p, m, step, cos, sin);
    m = span;
  }
}

function radix2Stage(
  re: Float64Array,
  im: Float64Array,
  n: number,
  m: number,
  step: number,
  cos: Float64Array,
  sin: Float64Array,
): void {
  for (let block = 0; block < n; block += 2 * m) {
    for (let k = 0; k < m; k++) {
      const a = block + k;
      const b = a + m;
      const wr = cos[k * step] as number;
      const wi = sin[k * step] as number;
      const br = (re[b] as number) * wr - (im[b] as number) * wi;
      const bi = (re[b] as number) * wi + (im[b] as number) * wr;
      const ar = re[a] as number;
      const ai = im[a] as number;
      re[a] = ar + br;
      im[a] = ai + bi;
      re[b] = ar - br;
      im[b] = ai - bi;
    }
  }
}

function radix4Stage(
  re: Float64Array,
  im: Float64Array,
  n: number,
  m: number,
  step: number,
  cos: Float64Array,
  sin: Float64Array,
): void {
  for (let block = 0; block < n; block += 4 * m) {
    for (let k = 0; k < m; k++) {
      const i0 = block + k;
      const i1 = i0 + m;
      const i2 = i1 + m;
      const i3 = i2 + m;
      // a_q = W_{4m}^{qk} · X_q[k]
      const w1 = k * step;
      const w2 = 2 * w1;
      const w3 = 3 * w1;
      const a0r = re[i0] as number;
      const a0i = im[i0] as number;
      const a1r =
        (re[i1] as number) * (cos[w1] as number) - (im[i1] as number) * (sin[w1] as number);
      const a1i =
        (re[i1] as number) * (sin[w1] as number) + (im[i1] as number) * (cos[w1] as number);
      const a2r =
        (re[i2] as number) * (cos[w2] as number) - (im[i2] as number) * (sin[w2] as number);
      const a2i =
        (re[i2] as number) * (sin[w2] as number) + (im[i2] as number) * (cos[w2] as number);
      const a3r =
        (re[i3] as number) * (cos[w3] as number) - (im[i3] as number) * (sin[w3] as number);
      const a3i =
        (re[i3] as number) * (sin[w3] as number) + (im[i3] as number) * (cos[w3] as number);
      // W_4 = −i: X[k + r·m] = (a0 ± a2) + (−i)^r (a1 ± a3)
      const sumr = a0r + a2r;
      const sumi = a0i + a2i;
      const differencer = a0r - a2r;
      const differencei = a0i - a2i;
      const oddSumr = a1r + a3r;
      const oddSumi = a1i + a3i;
      const rotatedr = a1i - a3i; // −i · (a1 − a3)
      const rotatedi = a3r - a1r;
      re[i0] = sumr + oddSumr;
      im[i0] = sumi + oddSumi;
      re[i1] = differencer + rotatedr;
      im[i1] = differencei + rotatedi;
      re[i2] = sumr - oddSumr;
      im[i2] = sumi - oddSumi;
      re[i3] = differencer - rotatedr;
      im[i3] = differencei - rotatedi;
    }
  }
}

/** A direct p-point DFT per butterfly, for odd prime radices (3, 5, …): O(p²) but p is small. */
function genericStage(
  re: Float64Array,
  im: Float64Array,
  n: number,
  p: number,
  m: number,
  step: number,
  cos: Float64Array,
  sin: Float64Array,
): void {
  const twiddledReal = new Float64Array(p);
  const twiddledImaginary = new Float64Array(p);
  const rootStep = n / p; // W_p^{j} = W_n^{j·n/p}
  for (let block = 0; block < n; block += p * m) {
    for (let k = 0; k < m; k++) {
      for (let q = 0; q < p; q++) {
        const at = block + q * m + k;
        const w = (q * k * step) % n;
        twiddledReal[q] =
          (re[at] as number) * (cos[w] as number) - (im[at] as number) * (sin[w] as number);
        twiddledImaginary[q] =
          (re[at] as number) * (sin[w] as number) + (im[at] as number) * (cos[w] as number);
      }
      for (let r = 0; r < p; r++) {
        let sumReal = 0;
        let sumImaginary = 0;
        for (let q = 0; q < p; q++) {
          const w = ((q * r) % p) * rootStep;
          const xr = twiddledReal[q] as number;
          const xi = twiddledImaginary[q] as number;
          sumReal += xr * (cos[w] as number) - xi * (sin[w] as number);
          sumImaginary += xr * (sin[w] as number) + xi * (cos[w] as number);
        }
        const at = block + r * m + k;
        re[at] = sumReal;
        im[at] = sumImaginary;
      }
    }
  }
}
