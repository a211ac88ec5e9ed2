// ROUGE-1, ROUGE-2 and ROUGE-L F-measures (Lin 2004) as Google's rouge-score package computes them by default:
// lowercase, every run of characters outside [a-z0-9] is a separator (so accented letters drop out), no stemming,
// no stopword removal; ROUGE-L is the sentence-level longest common subsequence. Several references: the best
// F-measure per metric (rouge-score's score_multi). A corpus score is the mean over examples.

/** Precision, recall and F-measure of one metric. */
export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/** The three metrics of one hypothesis. */
export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

/**
 * rouge-score's default tokenisation.
 *
 * @example
 * ```ts
 * tokenizeRouge('Hello, World! Café-au-lait 3.5'); // ['hello', 'world', 'caf', 'au', 'lait', '3', '5']
 * ```
 */
export function tokenizeRouge(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((token) => token !== '');
}

/**
 * ROUGE-1/2/L of `hypothesis` against the best-matching of `references`.
 *
 * @example
 * ```ts
 * rougeScores('the cat sat on the mat', ['the cat is on the mat']).rouge2.fmeasure; // 0.6 (3 of 5 bigrams)
 * ```
 * @throws {Error} when `references` is empty.
 */
export function rougeScores(hypothesis: string, references: readonly string[]): RougeScores {
  if (references.length === 0) throw new Error('rougeScores(): references must not be empty');
  const hypothesisTokens = tokenizeRouge(hypothesis);
  const best = (score: (referenceTokens: string[]) => RougeScore): RougeScore =>
    references
      .map((reference) => score(tokenizeRouge(reference)))
      .reduce((a, b) => (b.fmeasure > a.fmeasure ? b : a));
  return {
    rouge1: best((reference) => ngramScore(hypothesisTokens, reference, 1)),
    rouge2: best((reference) => ngramScore(hypothesisTokens, reference, 2)),
    rougeL: best((reference) =>
      fromCounts(
        longestCommonSubsequence(hypothesisTokens, reference),
        hypothesisTokens.length,
        reference.length,
      ),
    ),
  };
}

/**
 * Mean ROUGE F-measures (× 100) over a corpus, one list of references per hypothesis.
 *
 * @example
 * ```ts
 * corpusRouge(['a b', 'c'], [['a b'], ['d']]); // { rouge1: 50, rouge2: 50, rougeL: 50 }
 * ```
 * @throws {Error} when the lists differ in length or are empty.
 */
export function corpusRouge(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
): { rouge1: number; rouge2: number; rougeL: number } {
  if (hypotheses.length !== references.length || hypotheses.length === 0) {
    throw new Error(
      `corpusRouge(): expected as many reference lists as hypotheses (${hypotheses.length}), got ${references.length}`,
    );
  }
  const totals = { rouge1: 0, rouge2: 0, rougeL: 0 };
  hypotheses.forEach((hypothesis, index) => {
    const scores = rougeScores(hypothesis, references[index] as string[]);
    for (const key of ['rouge1', 'rouge2', 'rougeL'] as const) totals[key] += scores[key].fmeasure;
  });
  const mean = (total: number): number => (100 * total) / hypotheses.length;
  return { rouge1: mean(totals.rouge1), rouge2: mean(totals.rouge2), rougeL: mean(totals.rougeL) };
}

function ngramScore(hypothesis: string[], reference: string[], n: number): RougeScore {
  const counts = (tokens: string[]): Map<string, number> => {
    const map = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const gram = tokens.slice(i, i + n).join(' ');
      map.set(gram, (map.get(gram) ?? 0) + 1);
    }
    return map;
  };
  const hypothesisCounts = counts(hypothesis);
  const referenceCounts = counts(reference);
  let overlap = 0;
  for (const [gram, count] of hypothesisCounts)
    overlap += Math.min(count, referenceCounts.get(gram) ?? 0);
  const total = (map: Map<string, number>): number =>
    [...map.values()].reduce((sum, count) => sum + count, 0);
  return fromCounts(overlap, total(hypothesisCounts), total(referenceCounts));
}

function fromCounts(overlap: number, hypothesisCount: number, referenceCount: number): RougeScore {
  const precision = hypothesisCount === 0 ? 0 : overlap / hypothesisCount;
  const recall = referenceCount === 0 ? 0 : overlap / referenceCount;
  const fmeasure = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, fmeasure };
}

/** Length of the longest common subsequence, by the textbook dynamic programme (one row at a time). */
function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
