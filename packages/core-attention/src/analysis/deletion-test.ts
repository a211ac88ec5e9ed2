// Deletion faithfulness test (after DeYoung et al. 2020's comprehensiveness and Jain & Wallace 2019): does
// deleting the k most-attended inputs lower the model's confidence more than deleting k random inputs?
// Attention is evidence, not proof; this says how much the evidence matters to the prediction.
import { describeValue, invalidArgument } from '../errors/index.js';
import { seededRandom } from '../tensor/index.js';

/** The model's confidence in its original prediction with only the inputs where `keep[i]` is true. */
export type DeletionScorer = (keep: boolean[]) => number | Promise<number>;

/** What {@link deletionTest} needs. */
export interface DeletionTestOptions {
  /** Scores the model with some inputs deleted. Called 2 + trials times, one call at a time. */
  confidence: DeletionScorer;
  /** One attention (or attribution) score per input. */
  scores: ArrayLike<number>;
  /** How many inputs to delete. */
  k: number;
  /** Random deletions to compare against. Default 20. */
  trials?: number;
  /** Seed of the random draws, so a run can be repeated. Default 0. */
  seed?: number;
  /** Which inputs may be deleted (for example not special tokens). Default: all. */
  eligible?: readonly boolean[];
}

/** The numbers of a deletion test; drops are baseline − confidence, so larger means the deleted inputs mattered more. */
export interface DeletionTestResult {
  /** Confidence with every input kept. */
  baseline: number;
  /** The k deleted inputs with the highest scores (ties: lower index first). */
  topIndices: number[];
  topConfidence: number;
  topDrop: number;
  /** One drop per random trial, in draw order. */
  randomDrops: number[];
  randomMean: number;
  /** Population standard deviation of the random drops. */
  randomStd: number;
  randomMin: number;
  randomMax: number;
  /** Fraction of random trials whose drop is at least the top-k drop (an empirical p-value; small is good). */
  randomAtLeastTop: number;
}

/**
 * Deletes the k highest-scoring eligible inputs and, in `trials` seeded draws, k uniformly random eligible inputs,
 * and reports the confidence drops. Faithful attention shows a top-k drop well above the random ones.
 *
 * @example
 * ```ts
 * // the model relies on inputs 0 and 1 only, and attention points at them
 * const result = await deletionTest({
 *   confidence: (keep) => (keep[0] ? 0.5 : 0) + (keep[1] ? 0.4 : 0) + 0.1,
 *   scores: [0.5, 0.3, 0.1, 0.05, 0.05],
 *   k: 2,
 * });
 * result.topIndices; // [0, 1]
 * result.topDrop; // 0.9 (baseline 1 − 0.1, to float rounding)
 * result.randomMean < result.topDrop; // true
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `confidence` is not a function, a score is NaN, `k` is not an integer in
 * [1, eligible inputs], `trials` is not a positive integer, `eligible` has the wrong length, or the scorer returns a non-finite value.
 */
export async function deletionTest(options: DeletionTestOptions): Promise<DeletionTestResult> {
  const fn = 'deletionTest';
  const { confidence, scores, k, trials = 20, seed = 0 } = options;
  if (typeof confidence !== 'function')
    throw invalidArgument(
      fn,
      'confidence',
      'a function (keep: boolean[]) => number',
      describeValue(confidence),
    );
  const length = scores?.length;
  if (!Number.isInteger(length))
    throw invalidArgument(fn, 'scores', 'an array of numbers', describeValue(scores));
  for (let i = 0; i < length; i++) {
    if (typeof scores[i] !== 'number' || Number.isNaN(scores[i]))
      throw invalidArgument(fn, `scores[${i}]`, 'a number', describeValue(scores[i]));
  }
  const eligible = options.eligible ?? new Array<boolean>(length).fill(true);
  if (!Array.isArray(eligible) || eligible.length !== length) {
    throw invalidArgument(
      fn,
      'eligible',
      `${length} booleans, one per score`,
      describeValue(eligible),
    );
  }
  const candidates: number[] = [];
  for (let i = 0; i < length; i++) if (eligible[i] === true) candidates.push(i);
  if (!(Number.isInteger(k) && k >= 1 && k <= candidates.length)) {
    throw invalidArgument(
      fn,
      'k',
      `an integer in [1, ${candidates.length}] (the eligible inputs)`,
      describeValue(k),
    );
  }
  if (!(Number.isInteger(trials) && trials >= 1))
    throw invalidArgument(fn, 'trials', 'a positive integer', describeValue(trials));

  const score = async (deleted: readonly number[]): Promise<number> => {
    const keep = new Array<boolean>(length).fill(true);
    for (const index of deleted) keep[index] = false;
    const value = await confidence(keep);
    if (!Number.isFinite(value)) {
      throw invalidArgument(
        fn,
        'confidence',
        'a scorer that returns finite numbers',
        describeValue(value),
        { fix: 'return the probability of the original prediction' },
      );
    }
    return value;
  };

  const baseline = await score([]);
  const topIndices = [...candidates]
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
    .slice(0, k);
  const topConfidence = await score(topIndices);
  const random = seededRandom(seed);
  const pool = [...candidates];
  const randomDrops: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    // partial Fisher–Yates: the first k of pool become a uniform random k-subset
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
    }
    randomDrops.push(baseline - (await score(pool.slice(0, k))));
  }

  const topDrop = baseline - topConfidence;
  const randomMean = randomDrops.reduce((sum, drop) => sum + drop, 0) / trials;
  return {
    baseline,
    topIndices,
    topConfidence,
    topDrop,
    randomDrops,
    randomMean,
    randomStd: Math.sqrt(
      randomDrops.reduce((sum, drop) => sum + (drop - randomMean) ** 2, 0) / trials,
    ),
    randomMin: randomDrops.reduce((min, drop) => Math.min(min, drop), Infinity),
    randomMax: randomDrops.reduce((max, drop) => Math.max(max, drop), -Infinity),
    randomAtLeastTop: randomDrops.filter((drop) => drop >= topDrop).length / trials,
  };
}
