// Log-softmax over one row of logits: x_i - logSumExp(x), logSumExp(x) = max + log Σ_j exp(x_j - max).

/**
 * log Σ_j exp(x_j) of one row, stable for huge logits (the row max is subtracted before exp). NaN when the row
 * holds a NaN or a +Infinity, or is all -Infinity, so that a broken model is not mistaken for a confident one. Greedy decoding
 * needs only this and the chosen logit, not the whole row of log-probabilities.
 *
 * The exponentials are summed with {@link expOfNonPositive}, a table and a short series instead of Math.exp
 * (decoding computes one per vocabulary entry per step); terms under e^-30 of the largest are left out: at most
 * vocabulary size × 1e-13 of a sum that is at least 1.
 *
 * @example
 * ```ts
 * logSumExp(new Float32Array([0, Math.log(3)])); // log(4) ≈ 1.3863
 * ```
 */
export function logSumExp(logits: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const value = logits[i] as number;
    if (value > max) max = value;
    else if (value !== value) return Number.NaN; // NaN
  }
  return logSumExpFromMax(logits, max);
}

/**
 * Greedy decoding's pick from one row of logits: the first index of the largest logit (NaN never wins) and its
 * log-probability, the logit minus {@link logSumExp} (NaN where that is NaN) — one pass finds both the maximum and
 * its index.
 *
 * @example
 * ```ts
 * mostLikely(new Float32Array([0, Math.log(3)])); // { index: 1, logProbability: log(3/4) ≈ -0.2877 }
 * ```
 */
export function mostLikely(logits: Float32Array): { index: number; logProbability: number } {
  let index = 0;
  let max = Number.NEGATIVE_INFINITY;
  let sawNaN = false;
  for (let i = 0; i < logits.length; i++) {
    const value = logits[i] as number;
    if (value > max) {
      max = value;
      index = i;
    } else if (value !== value) sawNaN = true;
  }
  const logProbability = sawNaN ? Number.NaN : max - logSumExpFromMax(logits, max);
  return { index, logProbability };
}

/** logSumExp of a row without NaN whose largest value is `max`. */
function logSumExpFromMax(logits: Float32Array, max: number): number {
  if (max === Number.NEGATIVE_INFINITY) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const shifted = (logits[i] as number) - max; // ≤ 0, NaN for +Infinity - +Infinity
    if (!(shifted < -30)) sum += expOfNonPositive(shifted);
  }
  return max + Math.log(sum);
}

/** ln 2 split in two, so that k · LN2_HIGH is exact for the |k| ≤ 43 that exponents ≥ -30 give (Cody & Waite). */
const LN2_HIGH = 0.693145751953125;
const LN2_LOW = 1.4286068203094173e-6;
/** 2^-k for k = 0 … 44 (exponents down to -30.8). */
const negativePowersOfTwo = Float64Array.from({ length: 45 }, (_, k) => 2 ** -k);

/**
 * e^x for x in [-30, 0] (NaN stays NaN), within 2e-7 relative: x = k ln 2 + r with |r| ≤ ln 2 / 2, e^r from its
 * Taylor series to r^6, times 2^k from a table.
 *
 * @example
 * ```ts
 * expOfNonPositive(-1); // 0.36787944… (Math.exp(-1) = 0.36787944117…)
 * ```
 */
export function expOfNonPositive(x: number): number {
  const k = Math.round(x * Math.LOG2E);
  const r = x - k * LN2_HIGH - k * LN2_LOW;
  const series = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r / 720)))));
  return series * (negativePowersOfTwo[-k] as number);
}

/**
 * Replaces `logits` by their log-probabilities, in place. -Infinity entries stay -Infinity; a row that is all
 * -Infinity or holds a NaN becomes all NaN (see {@link logSumExp}).
 *
 * @example
 * ```ts
 * logSoftmax(new Float32Array([0, Math.log(3)])); // Float32Array [log(1/4), log(3/4)] ≈ [-1.3863, -0.2877]
 * ```
 */
export function logSoftmax(logits: Float32Array): Float32Array {
  const logNormaliser = logSumExp(logits);
  for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] as number) - logNormaliser;
  return logits;
}
