// Logits processors: pure functions that edit one row of next-token scores in place, after
// Hugging Face's RepetitionPenalty, NoRepeatNGram, NoBadWords, SuppressTokens and Forced*Token
// processors. `sequence` is everything the row has seen: prompt plus generated tokens.

/**
 * CTRL's repetition penalty (Keskar et al. 2019, as Hugging Face applies it): every token id in
 * `sequence`, counted once, has its score divided by `penalty` when positive and multiplied by it
 * when negative, so penalty > 1 always makes a seen token less likely.
 *
 * @example
 * ```ts
 * applyRepetitionPenalty(new Float32Array([2, -1, 0.5, 3]), [0, 1, 1], 2); // Float32Array [1, -2, 0.5, 3]
 * ```
 */
export function applyRepetitionPenalty(
  scores: Float32Array,
  sequence: readonly number[],
  penalty: number,
): Float32Array {
  for (const token of new Set(sequence)) {
    const score = scores[token] as number;
    scores[token] = score < 0 ? score * penalty : score / penalty;
  }
  return scores;
}

/**
 * Bans every token that would repeat an n-gram of `sequence`: when the last n-1 tokens occurred
 * before, the token that followed them then gets -Infinity.
 *
 * @example
 * ```ts
 * // the trigram (1, 2, 3) exists and the sequence ends in (1, 2): 3 is banned
 * banRepeatedNgrams(new Float32Array(5), [1, 2, 3, 1, 2], 3); // Float32Array [0, 0, 0, -Infinity, 0]
 * ```
 */
export function banRepeatedNgrams(
  scores: Float32Array,
  sequence: readonly number[],
  ngramSize: number,
): Float32Array {
  const length = sequence.length;
  if (ngramSize < 1 || length + 1 < ngramSize) return scores;
  const prefixStart = length - ngramSize + 1; // the last n-1 tokens start here
  for (let start = 0; start + ngramSize <= length; start++) {
    let matches = true;
    for (let offset = 0; offset < ngramSize - 1 && matches; offset++) {
      matches = sequence[start + offset] === sequence[prefixStart + offset];
    }
    if (matches) scores[sequence[start + ngramSize - 1] as number] = Number.NEGATIVE_INFINITY;
  }
  return scores;
}

/**
 * Bans the last token of every bad word whose other tokens end `sequence` (always, for
 * single-token bad words), so no bad word can be completed.
 *
 * @example
 * ```ts
 * banBadWords(new Float32Array(4), [0, 1], [[3], [1, 2]]); // Float32Array [0, 0, -Infinity, -Infinity]
 * banBadWords(new Float32Array(4), [1, 0], [[3], [1, 2]]); // Float32Array [0, 0, 0, -Infinity]
 * ```
 */
export function banBadWords(
  scores: Float32Array,
  sequence: readonly number[],
  badWordsIds: readonly (readonly number[])[],
): Float32Array {
  for (const badWord of badWordsIds) {
    const prefixLength = badWord.length - 1;
    if (prefixLength < 0 || prefixLength > sequence.length) continue;
    let matches = true;
    const offset = sequence.length - prefixLength;
    for (let i = 0; i < prefixLength && matches; i++) matches = sequence[offset + i] === badWord[i];
    if (matches) scores[badWord[prefixLength] as number] = Number.NEGATIVE_INFINITY;
  }
  return scores;
}

/**
 * Sets the scores of `tokenIds` to -Infinity (suppressed tokens; eos before the minimum length).
 *
 * @example
 * ```ts
 * suppressTokens(new Float32Array([1, 2, 3]), [0, 2]); // Float32Array [-Infinity, 2, -Infinity]
 * ```
 */
export function suppressTokens(scores: Float32Array, tokenIds: readonly number[]): Float32Array {
  for (const token of tokenIds) scores[token] = Number.NEGATIVE_INFINITY;
  return scores;
}

/**
 * Leaves only `tokenIds` possible: their scores become 0, every other -Infinity (forced BOS / EOS).
 *
 * @example
 * ```ts
 * forceTokens(new Float32Array([1, 2, 3]), [1]); // Float32Array [-Infinity, 0, -Infinity]
 * ```
 */
export function forceTokens(scores: Float32Array, tokenIds: readonly number[]): Float32Array {
  scores.fill(Number.NEGATIVE_INFINITY);
  for (const token of tokenIds) scores[token] = 0;
  return scores;
}
