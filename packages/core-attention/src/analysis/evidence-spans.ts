// Top-k evidence: the k highest-scoring tokens (by attention or any attribution) and the contiguous spans
// they form, with character offsets into the text, for highlighting the evidence behind an answer.
import { describeValue, invalidArgument } from '../errors/index.js';
import type { CharacterOffsets } from './word-ids-from-offsets.js';

/** One selected token. */
export interface EvidenceToken {
  index: number;
  score: number;
  start: number;
  end: number;
}

/** Selected tokens with consecutive indices, merged. */
export interface EvidenceSpan {
  /** Character offset of the first token's start. */
  start: number;
  /** Character offset of the last token's end. */
  end: number;
  /** Sum of the tokens' scores. */
  score: number;
  tokenIndices: number[];
  /** text.slice(start, end), when `text` was given. */
  text?: string;
}

/**
 * The `k` highest-scoring tokens (ties: lower index first), best first, and the spans formed by runs of
 * selected tokens with consecutive indices, highest summed score first. Tokens with an empty character span
 * (special tokens, offsets [0, 0]) are never selected; with fewer than `k` others, all of those are returned.
 *
 * @example
 * ```ts
 * const text = 'the cat sat on the mat';
 * const offsets = [[0, 3], [4, 7], [8, 11], [12, 14], [15, 18], [19, 22]] as const;
 * const evidence = topEvidence([0.05, 0.3, 0.25, 0.05, 0.05, 0.3], offsets, 3, { text });
 * evidence.tokens.map((token) => token.index); // [1, 5, 2]
 * evidence.spans.map((span) => span.text); // ['cat sat', 'mat']  (scores 0.55 and 0.3)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `k` is not a positive integer, `scores` and `offsets` differ in length,
 * a score is NaN, or an offset pair is not integers with 0 ≤ start ≤ end (≤ text.length when `text` is given).
 */
export function topEvidence(
  scores: ArrayLike<number>,
  offsets: readonly CharacterOffsets[],
  k: number,
  options: { text?: string } = {},
): { tokens: EvidenceToken[]; spans: EvidenceSpan[] } {
  const fn = 'topEvidence';
  const { text } = options;
  if (!(Number.isInteger(k) && k > 0))
    throw invalidArgument(fn, 'k', 'a positive integer', describeValue(k));
  if (!Array.isArray(offsets) || scores?.length !== offsets.length) {
    throw invalidArgument(
      fn,
      'offsets',
      `one [start, end] pair per score (${scores?.length})`,
      describeValue(offsets),
    );
  }
  const candidates: EvidenceToken[] = [];
  for (let index = 0; index < offsets.length; index++) {
    const pair = offsets[index];
    const score = scores[index] as number;
    const limit = text === undefined ? Infinity : text.length;
    if (!(
      Array.isArray(pair) &&
      Number.isInteger(pair[0]) &&
      Number.isInteger(pair[1]) &&
      pair[0] >= 0 &&
      pair[0] <= pair[1] &&
      pair[1] <= limit
    )) {
      throw invalidArgument(
        fn,
        `offsets[${index}]`,
        'integers [start, end] with 0 ≤ start ≤ end (within the text)',
        describeValue(pair),
      );
    }
    if (typeof score !== 'number' || Number.isNaN(score))
      throw invalidArgument(fn, `scores[${index}]`, 'a number', describeValue(score));
    if (pair[0] < pair[1]) candidates.push({ index, score, start: pair[0], end: pair[1] });
  }
  const tokens = candidates.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);

  const spans: EvidenceSpan[] = [];
  for (const token of [...tokens].sort((a, b) => a.index - b.index)) {
    const last = spans[spans.length - 1];
    if (last !== undefined && last.tokenIndices[last.tokenIndices.length - 1] === token.index - 1) {
      last.end = token.end;
      last.score += token.score;
      last.tokenIndices.push(token.index);
    } else {
      spans.push({
        start: token.start,
        end: token.end,
        score: token.score,
        tokenIndices: [token.index],
      });
    }
  }
  if (text !== undefined) for (const span of spans) span.text = text.slice(span.start, span.end);
  spans.sort((a, b) => b.score - a.score || a.start - b.start);
  return { tokens, spans };
}
