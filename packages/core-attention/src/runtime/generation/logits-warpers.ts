// Sampling warpers: temperature, top-k and top-p (nucleus, Holtzman et al. 2020,
// https://arxiv.org/abs/1904.09751), in place on one row of logits, as Hugging Face applies them.

/**
 * Divides every logit by `temperature`: below 1 sharpens the distribution, above 1 flattens it.
 *
 * @example
 * ```ts
 * applyTemperature(new Float32Array([1, -2]), 0.5); // Float32Array [2, -4]
 * ```
 */
export function applyTemperature(logits: Float32Array, temperature: number): Float32Array {
  for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] as number) / temperature;
  return logits;
}

/**
 * Keeps the `topK` largest logits and every logit tied with the k-th; the rest become -Infinity.
 * `topK` of 0, or at least the row length, keeps everything.
 *
 * @example
 * ```ts
 * applyTopK(new Float32Array([1, 3, 2, 3]), 2); // Float32Array [-Infinity, 3, -Infinity, 3]
 * applyTopK(new Float32Array([1, 3, 2, 2]), 2); // Float32Array [-Infinity, 3, 2, 2] (tied with the 2nd)
 * ```
 */
export function applyTopK(logits: Float32Array, topK: number): Float32Array {
  if (topK <= 0 || topK >= logits.length) return logits;
  const ascending = Float32Array.from(logits).sort();
  const threshold = ascending[logits.length - topK] as number;
  for (let i = 0; i < logits.length; i++) {
    if ((logits[i] as number) < threshold) logits[i] = Number.NEGATIVE_INFINITY;
  }
  return logits;
}

/**
 * Nucleus filtering: keeps the smallest set of most likely tokens whose probabilities sum to at
 * least `topP` (always the most likely one); the rest become -Infinity. `topP` of 1 keeps all.
 *
 * @example
 * ```ts
 * // probabilities 0.1, 0.5, 0.3, 0.1: 0.5 < 0.7, 0.5 + 0.3 ≥ 0.7, so tokens 1 and 2 stay
 * applyTopP(Float32Array.from([0.1, 0.5, 0.3, 0.1], Math.log), 0.7);
 * // Float32Array [-Infinity, log 0.5, log 0.3, -Infinity]
 * ```
 */
export function applyTopP(logits: Float32Array, topP: number): Float32Array {
  if (topP >= 1) return logits;
  // Only finite logits can be kept; after top-k these are few, so the sort stays cheap.
  const candidates: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const logit = logits[i] as number;
    if (logit > Number.NEGATIVE_INFINITY) {
      candidates.push(i);
      max = Math.max(max, logit);
    }
  }
  candidates.sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  let total = 0;
  for (const i of candidates) total += Math.exp((logits[i] as number) - max);
  let cumulative = 0;
  let kept = 0;
  while (kept < candidates.length && (kept === 0 || cumulative < topP)) {
    cumulative += Math.exp((logits[candidates[kept] as number] as number) - max) / total;
    kept++;
  }
  for (let rank = kept; rank < candidates.length; rank++) {
    logits[candidates[rank] as number] = Number.NEGATIVE_INFINITY;
  }
  return logits;
}
