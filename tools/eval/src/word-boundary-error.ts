// Word-boundary error of a timed transcript against gold word times: for every word the transcript got right
// (a match in the WER alignment of normalised words), |predicted − gold| of its start and of its end, in seconds.
import { alignWords, normalizeWords } from './word-error-rate.js';

/** A word with its start and end in seconds. */
export interface TimedWord {
  word: string;
  start: number;
  end: number;
}

/**
 * Start and end errors of the matched words. A word that normalises to several (e.g. "well-known") gives each of
 * them its times; one that normalises to none (a lone dash) is skipped.
 *
 * @example
 * ```ts
 * wordBoundaryErrors(
 *   [{ word: 'a', start: 0, end: 0.5 }, { word: 'dog', start: 0.5, end: 1 }],
 *   [{ word: 'A', start: 0.1, end: 0.45 }, { word: 'cat', start: 0.45, end: 1 }],
 * );
 * // { startErrors: [0.1], endErrors: [0.05] } ('dog' vs 'cat' is a substitution, not timed)
 * ```
 */
export function wordBoundaryErrors(
  gold: readonly TimedWord[],
  predicted: readonly TimedWord[],
): { startErrors: number[]; endErrors: number[] } {
  const goldWords = expand(gold);
  const predictedWords = expand(predicted);
  const startErrors: number[] = [];
  const endErrors: number[] = [];
  const edits = alignWords(
    goldWords.map((word) => word.word),
    predictedWords.map((word) => word.word),
  );
  for (const edit of edits) {
    if (edit.kind !== 'match') continue;
    const reference = goldWords[edit.reference] as TimedWord;
    const hypothesis = predictedWords[edit.hypothesis] as TimedWord;
    startErrors.push(Math.abs(hypothesis.start - reference.start));
    endErrors.push(Math.abs(hypothesis.end - reference.end));
  }
  return { startErrors, endErrors };
}

/**
 * The q-quantile with linear interpolation between order statistics (numpy's default).
 *
 * @example
 * ```ts
 * quantile([4, 1, 3, 2], 0.5); // 2.5
 * quantile([4, 1, 3, 2], 0.9); // 3.7: position 0.9 · 3 = 2.7 between 3 and 4
 * ```
 * @throws {Error} for no values or q outside [0, 1].
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0 || !(q >= 0 && q <= 1))
    throw new Error(
      `quantile(): expected values and q in [0, 1], got ${values.length} values and q = ${q}`,
    );
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (
    (sorted[low] as number) +
    ((sorted[high] as number) - (sorted[low] as number)) * (position - low)
  );
}

function expand(words: readonly TimedWord[]): TimedWord[] {
  return words.flatMap(({ word, start, end }) =>
    normalizeWords(word).map((part) => ({ word: part, start, end })),
  );
}
