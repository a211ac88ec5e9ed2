// Alignment error rate (Och & Ney 2003, "A Systematic Comparison of Various Statistical Alignment Models"):
// predicted links A against gold sure links S and possible links P (S ⊆ P),
// AER = 1 − (|A∩S| + |A∩P|) / (|A| + |S|), precision = |A∩P| / |A|, recall = |A∩S| / |S|.
import { describeValue, invalidArgument } from '../errors/index.js';

/** A link between a source and a target position (an AlignmentLink's weight is ignored here). */
export interface AlignmentPair {
  source: number;
  target: number;
}

/** The set sizes AER is made of; corpus scores sum them over sentences. */
export interface AlignmentCounts {
  /** |A|: distinct predicted links. */
  predicted: number;
  /** |S|: distinct sure links. */
  sure: number;
  /** |A∩S|. */
  predictedSure: number;
  /** |A∩P|, with P = possible ∪ sure. */
  predictedPossible: number;
}

/** AER with its precision and recall, all in [0, 1], and the counts behind them. */
export interface AlignmentScores {
  alignmentErrorRate: number;
  precision: number;
  recall: number;
  counts: AlignmentCounts;
}

/** One sentence pair's predicted and gold links. */
export interface AlignmentSentence {
  predicted: readonly AlignmentPair[];
  sure: readonly AlignmentPair[];
  /** Possible-only links; sure links count as possible whether or not they are repeated here. */
  possible?: readonly AlignmentPair[];
}

/**
 * AER, precision and recall of one sentence pair. Duplicate links count once. P is taken as possible ∪ sure,
 * so S ⊆ P holds whichever way the gold data lists them. Empty sets: precision is 1 when nothing is predicted,
 * recall is 1 when nothing is sure, and AER is 0 when both A and S are empty.
 *
 * @example
 * ```ts
 * // A = {0-0, 1-1, 2-1}, S = {0-0, 1-2}, P = S ∪ {2-1}
 * // |A∩S| = 1 (0-0), |A∩P| = 2 (0-0, 2-1); AER = 1 − (1 + 2) / (3 + 2) = 0.4
 * const scores = alignmentErrorRate(
 *   [{ source: 0, target: 0 }, { source: 1, target: 1 }, { source: 2, target: 1 }],
 *   [{ source: 0, target: 0 }, { source: 1, target: 2 }],
 *   [{ source: 2, target: 1 }],
 * );
 * scores.alignmentErrorRate; // 0.4
 * scores.precision; // 0.6666666666666666
 * scores.recall; // 0.5
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a link is not a pair of non-negative integers.
 */
export function alignmentErrorRate(
  predicted: readonly AlignmentPair[],
  sure: readonly AlignmentPair[],
  possible: readonly AlignmentPair[] = [],
): AlignmentScores {
  return scoresFromCounts(countLinks('alignmentErrorRate', { predicted, sure, possible }));
}

/**
 * Corpus-level AER: the four counts summed over sentences, then one AER (not a mean of sentence AERs).
 *
 * @example
 * ```ts
 * corpusAlignmentErrorRate([
 *   { predicted: [{ source: 0, target: 0 }], sure: [{ source: 0, target: 0 }] },
 *   { predicted: [{ source: 0, target: 1 }], sure: [{ source: 0, target: 0 }] },
 * ]).alignmentErrorRate; // 1 − (1 + 1) / (2 + 2) = 0.5
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `sentences` is not an array or a link is not a pair of non-negative integers.
 */
export function corpusAlignmentErrorRate(sentences: readonly AlignmentSentence[]): AlignmentScores {
  if (!Array.isArray(sentences))
    throw invalidArgument(
      'corpusAlignmentErrorRate',
      'sentences',
      'an array',
      describeValue(sentences),
    );
  const total: AlignmentCounts = { predicted: 0, sure: 0, predictedSure: 0, predictedPossible: 0 };
  for (const sentence of sentences) {
    const counts = countLinks('corpusAlignmentErrorRate', sentence);
    total.predicted += counts.predicted;
    total.sure += counts.sure;
    total.predictedSure += counts.predictedSure;
    total.predictedPossible += counts.predictedPossible;
  }
  return scoresFromCounts(total);
}

function scoresFromCounts(counts: AlignmentCounts): AlignmentScores {
  const { predicted, sure, predictedSure, predictedPossible } = counts;
  return {
    alignmentErrorRate:
      predicted + sure === 0 ? 0 : 1 - (predictedSure + predictedPossible) / (predicted + sure),
    precision: predicted === 0 ? 1 : predictedPossible / predicted,
    recall: sure === 0 ? 1 : predictedSure / sure,
    counts,
  };
}

function countLinks(fn: string, sentence: AlignmentSentence): AlignmentCounts {
  const predicted = linkSet(fn, 'predicted', sentence.predicted);
  const sure = linkSet(fn, 'sure', sentence.sure);
  const possible = linkSet(fn, 'possible', sentence.possible ?? []);
  let predictedSure = 0;
  let predictedPossible = 0;
  for (const link of predicted) {
    if (sure.has(link)) predictedSure++;
    if (sure.has(link) || possible.has(link)) predictedPossible++;
  }
  return { predicted: predicted.size, sure: sure.size, predictedSure, predictedPossible };
}

function linkSet(fn: string, argument: string, links: readonly AlignmentPair[]): Set<string> {
  if (!Array.isArray(links))
    throw invalidArgument(
      fn,
      argument,
      'an array of { source, target } links',
      describeValue(links),
    );
  const set = new Set<string>();
  for (const link of links) {
    const valid =
      typeof link === 'object' && link !== null && isIndex(link.source) && isIndex(link.target);
    if (!valid)
      throw invalidArgument(
        fn,
        `${argument} link`,
        '{ source, target } with non-negative integer positions',
        describeLink(link),
      );
    set.add(`${link.source}-${link.target}`);
  }
  return set;
}

/**
 * A link for an error message: its JSON when it is an object, else {@link describeValue}'s description.
 *
 * @example
 * ```ts
 * describeLink({ source: -1, target: 0 }); // '{"source":-1,"target":0}'
 * ```
 */
export function describeLink(link: unknown): string {
  return typeof link === 'object' && link !== null
    ? JSON.stringify(link).slice(0, 60)
    : describeValue(link);
}

function isIndex(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}
