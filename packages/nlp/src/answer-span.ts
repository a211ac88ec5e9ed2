// The best answer span of one QA window from its start and end logits (Devlin et al. 2019, §4.2–4.3): the span
// i ≤ j < i + maxAnswerLength over context tokens with the largest start_i + end_j, and [CLS]'s null score.

/** The best span of a window, token indices into the window. */
export interface AnswerSpan {
  startToken: number;
  endToken: number;
  /** start_logits[startToken] + end_logits[endToken]. */
  logit: number;
  /**
   * p_start(startToken) · p_end(endToken), each a softmax over the window's context tokens and [CLS] (Hugging Face's
   * question-answering score).
   */
  probability: number;
  /** start_logits[cls] + end_logits[cls]: the "no answer" score. */
  nullLogit: number;
  nullProbability: number;
}

/**
 * Scans every span of context tokens (`isContext[i]`) no longer than `maxAnswerLength` tokens; ties go to the
 * earlier start, then the shorter span. Undefined when the window has no context token.
 *
 * @example
 * ```ts
 * // [CLS] q [SEP] c0 c1 [SEP]
 * const span = bestAnswerSpan(
 *   [0, 0, 0, 2, 1, 0], [0, 0, 0, 0, 3, 0], [false, false, false, true, true, false], 0, 30,
 * );
 * span; // { startToken: 3, endToken: 4, logit: 5, … }  (2 + 3)
 * // p_start over [CLS], c0, c1 = softmax([0, 2, 1]) → 0.665 at c0; p_end = softmax([0, 0, 3]) → 0.910 at c1
 * span.probability; // ≈ 0.6652 · 0.9094 = 0.605
 * ```
 */
export function bestAnswerSpan(
  startLogits: ArrayLike<number>,
  endLogits: ArrayLike<number>,
  isContext: readonly boolean[],
  clsIndex: number,
  maxAnswerLength: number,
): AnswerSpan | undefined {
  let best: { startToken: number; endToken: number; logit: number } | undefined;
  for (let i = 0; i < isContext.length; i++) {
    if (!isContext[i]) continue;
    for (let j = i; j < Math.min(isContext.length, i + maxAnswerLength) && isContext[j]; j++) {
      const logit = (startLogits[i] as number) + (endLogits[j] as number);
      if (best === undefined || logit > best.logit) best = { startToken: i, endToken: j, logit };
    }
  }
  if (best === undefined) return undefined;
  const pStart = candidateSoftmax(startLogits, isContext, clsIndex);
  const pEnd = candidateSoftmax(endLogits, isContext, clsIndex);
  return {
    ...best,
    probability: (pStart[best.startToken] as number) * (pEnd[best.endToken] as number),
    nullLogit: (startLogits[clsIndex] as number) + (endLogits[clsIndex] as number),
    nullProbability: (pStart[clsIndex] as number) * (pEnd[clsIndex] as number),
  };
}

/**
 * p_start(startToken) · p_end(endToken) of a given span, as {@link bestAnswerSpan} scores it.
 *
 * @example
 * ```ts
 * spanProbability([0, 0, 0, 2, 1, 0], [0, 0, 0, 0, 3, 0], [false, false, false, true, true, false], 0, 3, 4); // ≈ 0.605
 * ```
 */
export function spanProbability(
  startLogits: ArrayLike<number>,
  endLogits: ArrayLike<number>,
  isContext: readonly boolean[],
  clsIndex: number,
  startToken: number,
  endToken: number,
): number {
  return (
    (candidateSoftmax(startLogits, isContext, clsIndex)[startToken] as number) *
    (candidateSoftmax(endLogits, isContext, clsIndex)[endToken] as number)
  );
}

/** Softmax over the context positions and [CLS]; every other position gets 0 (stable: the max is subtracted). */
function candidateSoftmax(
  logits: ArrayLike<number>,
  isContext: readonly boolean[],
  clsIndex: number,
): Float64Array {
  const probabilities = new Float64Array(isContext.length);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < isContext.length; i++)
    if (isContext[i] || i === clsIndex) max = Math.max(max, logits[i] as number);
  let sum = 0;
  for (let i = 0; i < isContext.length; i++) {
    if (!(isContext[i] || i === clsIndex)) continue;
    probabilities[i] = Math.exp((logits[i] as number) - max);
    sum += probabilities[i] as number;
  }
  for (let i = 0; i < isContext.length; i++) probabilities[i] = (probabilities[i] as number) / sum;
  return probabilities;
}
