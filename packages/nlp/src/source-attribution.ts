// Source attribution of a generated text from its cross-attention: layers and heads averaged, target tokens
// grouped by word (or sentence) with their rows averaged, source tokens summed into words (or sentences),
// rows renormalised, then the top source words of every target word merged into character spans (topEvidence).
import {
  aggregateAttention,
  poolSubwords,
  topEvidence,
  wordIdsFromOffsets,
  type AttentionMaps,
  type CharacterOffsets,
} from '@attn/core-attention';
import { sentenceSpans, wordSpans, type TextSpan } from './text-spans.js';

/** A span of a text with the share of attention it received. */
export interface WeightedSpan {
  /** [start, end) character offsets into the source text. */
  start: number;
  end: number;
  /** Share of the attention to the source (special tokens left out); the weights of every unit sum to 1. */
  weight: number;
}

/** What {@link sourceAttribution} needs besides the attention. */
export interface SourceAttributionOptions {
  sourceText: string;
  /** Character offsets of every key token in `sourceText`; [0, 0] for special tokens. */
  sourceOffsets: readonly CharacterOffsets[];
  targetText: string;
  /** Character offsets in `targetText` of the token every query row produced; [0, 0] for rows that produced none. */
  targetOffsets: readonly CharacterOffsets[];
  /** Source words kept per target word or sentence. */
  topWords: number;
  /** Layers to average (original indices). Default all. */
  layers?: readonly number[];
  /** Heads to average. Default all. */
  heads?: readonly number[];
}

/** Sources of every target word and sentence, and every source sentence's share of the whole target's attention. */
export interface SourceAttribution {
  /** Per white-space separated word of the target text: its top source spans, highest weight first. */
  words: WeightedSpan[][];
  /** Per sentence of the target text (see sentenceSpans): its top source spans. */
  sentences: WeightedSpan[][];
  /** Every sentence of the source with its share of the target's attention, in text order; weights sum to 1. */
  sourceSentences: WeightedSpan[];
}

/**
 * Attributes the words and sentences of a generated text to spans of its source.
 *
 * @example
 * ```ts
 * // source 'A dog. A cat.' (tokens 'A', ' dog.', ' A', ' cat.'), target 'Dog' (one token, one query row)
 * const maps = createAttentionMaps({
 *   kind: 'cross', layers: [0], heads: [0], queryLabels: ['Dog'], keyLabels: ['A', 'dog.', 'A', 'cat.'],
 *   data: new Float32Array([0.1, 0.6, 0.1, 0.2]),
 * });
 * const attribution = sourceAttribution(maps, {
 *   sourceText: 'A dog. A cat.', sourceOffsets: [[0, 1], [2, 6], [7, 8], [9, 13]],
 *   targetText: 'Dog', targetOffsets: [[0, 3]], topWords: 2,
 * });
 * attribution.words[0]; // [{ start: 2, end: 6, weight: 0.6 }, { start: 9, end: 13, weight: 0.2 }]  ('dog.', 'cat.')
 * attribution.sourceSentences; // [{ start: 0, end: 6, weight: 0.7 }, { start: 7, end: 13, weight: 0.3 }]  (0.1 + 0.6, 0.1 + 0.2)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the offsets do not match the attention's axes or point outside the texts,
 * or a layer or head is not covered.
 */
export function sourceAttribution(
  attention: AttentionMaps,
  options: SourceAttributionOptions,
): SourceAttribution {
  const { sourceText, sourceOffsets, targetText, targetOffsets, topWords } = options;
  const matrix = aggregateAttention(attention, {
    ...(options.layers === undefined ? {} : { layers: { select: options.layers } }),
    ...(options.heads === undefined ? {} : { heads: { select: options.heads } }),
  }); // [T, S]
  const sourceWordIds = wordIdsFromOffsets(sourceText, sourceOffsets);
  const sourceWords = wordSpans(sourceText);
  const sourceSentences = sentenceSpans(sourceText);
  const targetWords = wordIdsFromOffsets(targetText, targetOffsets);

  const byWord = poolSubwords(matrix, { rowWordIds: targetWords, columnWordIds: sourceWordIds }); // [U, V]
  const byTargetSentence = poolSubwords(matrix, {
    rowWordIds: spanIds(targetText, targetOffsets, sentenceSpans(targetText)),
    columnWordIds: sourceWordIds,
  }); // [sentences, V]
  const whole = poolSubwords(matrix, {
    rowWordIds: targetWords.map((word) => (word === null ? null : 0)),
    columnWordIds: spanIds(sourceText, sourceOffsets, sourceSentences),
  }); // [1, source sentences] (0 rows when the target has no words)

  const topSpans = (pooled: typeof byWord, row: number): WeightedSpan[] => {
    const V = pooled.dims[1] as number;
    const scores = pooled.data.subarray(row * V, (row + 1) * V);
    const offsets = sourceWords.slice(0, V).map((span): CharacterOffsets => [span.start, span.end]);
    return topEvidence(scores, offsets, topWords)
      .spans.filter((span) => span.score > 0)
      .map((span) => ({ start: span.start, end: span.end, weight: span.score }));
  };
  const rowsOf = (pooled: typeof byWord): WeightedSpan[][] =>
    Array.from({ length: pooled.dims[0] as number }, (_, row) => topSpans(pooled, row));
  const received = whole.dims[0] === 0 ? new Float32Array(0) : whole.data;
  return {
    words: rowsOf(byWord),
    sentences: rowsOf(byTargetSentence),
    sourceSentences: sourceSentences.map((span, index) => ({
      ...span,
      weight: received[index] ?? 0,
    })),
  };
}

/** Per token: the index of the span holding its first non-whitespace character, or null (special or blank token). */
function spanIds(
  text: string,
  offsets: readonly CharacterOffsets[],
  spans: readonly TextSpan[],
): (number | null)[] {
  return offsets.map(([start, end]) => {
    let character = start;
    while (character < end && /\s/.test(text[character] as string)) character++;
    if (character >= end) return null;
    const index = spans.findIndex((span) => span.start <= character && character < span.end);
    return index < 0 ? null : index;
  });
}
