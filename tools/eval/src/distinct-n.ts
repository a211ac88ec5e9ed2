// distinct-n (Li et al. 2016, "A Diversity-Promoting Objective Function for Neural Conversation Models"): the
// number of distinct n-grams over all responses divided by the number of n-grams, on lowercased words.

/**
 * Corpus-level distinct-n of `responses` (words: lowercase, white-space separated, punctuation split off).
 *
 * @example
 * ```ts
 * distinctN(['i am fine', 'i am ok'], 1); // 4 / 6 (i, am, fine, ok of 6 words)
 * distinctN(['i am fine', 'i am ok'], 2); // 3 / 4 ('i am' twice, 'am fine', 'am ok')
 * ```
 */
export function distinctN(responses: readonly string[], n: number): number {
  const seen = new Set<string>();
  let total = 0;
  for (const response of responses) {
    const words = response.toLowerCase().match(/[\p{L}\p{N}']+|[^\s\p{L}\p{N}']/gu) ?? [];
    for (let i = 0; i + n <= words.length; i++) {
      seen.add(words.slice(i, i + n).join(' '));
      total++;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}
