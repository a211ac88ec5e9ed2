// Log-softmax over one row of logits, in place: x_i - max - log Σ_j exp(x_j - max).

/**
 * Replaces `logits` by their log-probabilities. Stable for huge logits (the row max is subtracted
 * before exp); -Infinity entries stay -Infinity; a row that is all -Infinity becomes all NaN, and
 * any NaN makes the row NaN, so a broken model is not mistaken for a confident one.
 *
 * @example
 * ```ts
 * logSoftmax(new Float32Array([0, Math.log(3)])); // Float32Array [log(1/4), log(3/4)] ≈ [-1.3863, -0.2877]
 * ```
 */
export function logSoftmax(logits: Float32Array): Float32Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
  const logNormaliser = max + Math.log(sum);
  for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] as number) - logNormaliser;
  return logits;
}
