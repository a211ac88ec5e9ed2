// Word error rate as NIST's sclite defines it: (substitutions + deletions + insertions) / reference words, from a
// minimum-edit (Levenshtein) alignment of the word sequences, after a simple normalisation (see normalizeWords).
// Corpus WER sums the edits and the reference words over all utterances (not a mean of per-utterance rates).

/** How one hypothesis word lines up with the reference; indices into the normalised word lists. */
export type WordEdit =
  | { kind: 'match' | 'substitution'; reference: number; hypothesis: number }
  | { kind: 'deletion'; reference: number }
  | { kind: 'insertion'; hypothesis: number };

export interface WordErrorCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Words in the reference(s), after normalisation. */
  referenceWords: number;
}

/**
 * The words WER compares: lower-cased; apostrophes removed ("don't" → "dont"); every other punctuation or symbol
 * character replaced by a space ("well-known" → "well", "known"); split on white space.
 *
 * @example
 * ```ts
 * normalizeWords("Hello, World! Don't stop—now."); // ['hello', 'world', 'dont', 'stop', 'now']
 * ```
 */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/gu, '')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .split(/\s+/u)
    .filter((word) => word !== '');
}

/**
 * A minimum-edit alignment of two word lists. Among equally cheap alignments, the backtrace from the end prefers
 * a match or substitution, then a deletion, then an insertion (so counts of each kind are reproducible).
 *
 * @example
 * ```ts
 * alignWords(['a', 'b', 'c'], ['a', 'x', 'c', 'd']);
 * // [{ kind: 'match', reference: 0, hypothesis: 0 }, { kind: 'substitution', reference: 1, hypothesis: 1 },
 * //  { kind: 'match', reference: 2, hypothesis: 2 }, { kind: 'insertion', hypothesis: 3 }]
 * ```
 */
export function alignWords(
  reference: readonly string[],
  hypothesis: readonly string[],
): WordEdit[] {
  const n = reference.length;
  const m = hypothesis.length;
  const width = m + 1;
  // cost[i, j]: edits turning reference[0, i) into hypothesis[0, j)
  const cost = new Int32Array((n + 1) * width);
  for (let i = 0; i <= n; i++) cost[i * width] = i;
  for (let j = 0; j <= m; j++) cost[j] = j;
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) {
      const diagonal =
        (cost[(i - 1) * width + j - 1] as number) +
        (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      const deletion = (cost[(i - 1) * width + j] as number) + 1;
      const insertion = (cost[i * width + j - 1] as number) + 1;
      cost[i * width + j] = Math.min(diagonal, deletion, insertion);
    }
  const edits: WordEdit[] = [];
  for (let i = n, j = m; i > 0 || j > 0;) {
    const here = cost[i * width + j] as number;
    if (i > 0 && j > 0) {
      const same = reference[i - 1] === hypothesis[j - 1];
      if (here === (cost[(i - 1) * width + j - 1] as number) + (same ? 0 : 1)) {
        edits.push({ kind: same ? 'match' : 'substitution', reference: --i, hypothesis: --j });
        continue;
      }
    }
    if (i > 0 && here === (cost[(i - 1) * width + j] as number) + 1)
      edits.push({ kind: 'deletion', reference: --i });
    else edits.push({ kind: 'insertion', hypothesis: --j });
  }
  return edits.reverse();
}

/**
 * Substitutions, deletions and insertions of one hypothesis against its reference (both normalised).
 *
 * @example
 * ```ts
 * wordErrors('The cat sat on the mat.', 'the cat sit on mat');
 * // { substitutions: 1, deletions: 1, insertions: 0, referenceWords: 6 }
 * ```
 */
export function wordErrors(reference: string, hypothesis: string): WordErrorCounts {
  const referenceWords = normalizeWords(reference);
  const counts = {
    substitutions: 0,
    deletions: 0,
    insertions: 0,
    referenceWords: referenceWords.length,
  };
  for (const edit of alignWords(referenceWords, normalizeWords(hypothesis))) {
    if (edit.kind === 'substitution') counts.substitutions++;
    else if (edit.kind === 'deletion') counts.deletions++;
    else if (edit.kind === 'insertion') counts.insertions++;
  }
  return counts;
}

/**
 * Corpus WER: all edits over all reference words.
 *
 * @example
 * ```ts
 * wordErrorRate(['the cat sat', 'a dog'], ['the cat', 'a big dog']).wer; // (1 deletion + 1 insertion) / 5 = 0.4
 * ```
 * @throws {Error} when the lists differ in length or the references hold no words.
 */
export function wordErrorRate(
  references: readonly string[],
  hypotheses: readonly string[],
): WordErrorCounts & { wer: number } {
  if (references.length !== hypotheses.length)
    throw new Error(
      `wordErrorRate(): expected as many hypotheses as references, got ${hypotheses.length} and ${references.length}`,
    );
  const total = { substitutions: 0, deletions: 0, insertions: 0, referenceWords: 0 };
  references.forEach((reference, index) => {
    const counts = wordErrors(reference, hypotheses[index] as string);
    total.substitutions += counts.substitutions;
    total.deletions += counts.deletions;
    total.insertions += counts.insertions;
    total.referenceWords += counts.referenceWords;
  });
  if (total.referenceWords === 0)
    throw new Error('wordErrorRate(): the references hold no words; WER is undefined');
  const errors = total.substitutions + total.deletions + total.insertions;
  return { ...total, wer: errors / total.referenceWords };
}

/**
 * The edits of one hypothesis that covers several references read in a row (a long recording of them), charged to
 * the reference each belongs to: a substitution or deletion to the reference of its word, an insertion to that of
 * the last reference word before it (the first reference, before any). The counts sum to the edits of the whole
 * against the references joined, so that the whole can be compared with its parts one by one.
 *
 * @example
 * ```ts
 * errorsPerReference(['the cat sat', 'a dog'], 'the cat sat on a big dog');
 * // [1, 1]: 'on' is charged to the first (after 'sat'), 'big' to the second (after 'a')
 * ```
 */
export function errorsPerReference(references: readonly string[], hypothesis: string): number[] {
  const owner: number[] = [];
  const words: string[] = [];
  references.forEach((reference, index) => {
    for (const word of normalizeWords(reference)) {
      words.push(word);
      owner.push(index);
    }
  });
  const errors = references.map(() => 0);
  let current = 0;
  for (const edit of alignWords(words, normalizeWords(hypothesis))) {
    if (edit.kind !== 'insertion') current = owner[edit.reference] as number;
    if (edit.kind !== 'match') errors[current] = (errors[current] as number) + 1;
  }
  return errors;
}
