// A unigram language model with add-one (Laplace) smoothing over a fixed vocabulary: the baseline a dialogue
// model's perplexity is compared with (a model that ignores the conversation and predicts word frequencies).

/** Log-probability of a token id under the unigram model. */
export type UnigramModel = (id: number) => number;

/**
 * Fits p(w) = (count(w) + 1) / (N + V) on token id sequences, over a vocabulary of V ids.
 *
 * @example
 * ```ts
 * const logProbability = unigramModel([[0, 0, 1]], 3); // counts 2, 1, 0 of N = 3, V = 3
 * Math.exp(logProbability(0)); // 3 / 6 = 0.5
 * Math.exp(logProbability(2)); // 1 / 6
 * ```
 * @throws {Error} when `vocabularySize` is not a positive integer or an id falls outside it.
 */
export function unigramModel(
  sequences: Iterable<readonly number[]>,
  vocabularySize: number,
): UnigramModel {
  if (!Number.isInteger(vocabularySize) || vocabularySize < 1)
    throw new Error(
      `unigramModel(): vocabularySize must be a positive integer, got ${vocabularySize}`,
    );
  const counts = new Float64Array(vocabularySize);
  let total = 0;
  for (const sequence of sequences) {
    for (const id of sequence) {
      if (!(Number.isInteger(id) && id >= 0 && id < vocabularySize))
        throw new Error(
          `unigramModel(): token id ${id} is outside the vocabulary of ${vocabularySize}`,
        );
      counts[id] = (counts[id] as number) + 1;
      total++;
    }
  }
  const logNormaliser = Math.log(total + vocabularySize);
  return (id) => Math.log((counts[id] ?? 0) + 1) - logNormaliser;
}
