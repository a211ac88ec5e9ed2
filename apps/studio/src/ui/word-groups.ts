// Subword tokens grouped into the words they spell, and an attention matrix pooled from tokens to those words: a
// word's row is the mean of its tokens' rows (each still a distribution), a word's column the sum of its tokens'
// columns (the attention the word received).
import { tokenLabel } from './token-label.js';

/** A word: its text as shown and the indices of its tokens. */
export interface WordGroup {
  text: string;
  tokens: number[];
}

const special = /^(<.*>|\[.*\])$/;

/**
 * Consecutive tokens joined into words. SentencePiece ('▁') and byte-level BPE ('Ġ') mark the first token of a
 * word; without those marks the tokens are WordPiece, where every token but a '##' continuation starts a word.
 * Special tokens (</s>, [CLS]) are words of their own.
 *
 * @example
 * ```ts
 * wordGroups(['▁Ein', '▁Hund', 'e', '.', '</s>']);
 * // [{ text: 'Ein', tokens: [0] }, { text: 'Hunde.', tokens: [1, 2, 3] }, { text: '</s>', tokens: [4] }]
 * wordGroups(['[CLS]', 'play', '##ing']); // [{ text: '[CLS]', tokens: [0] }, { text: 'playing', tokens: [1, 2] }]
 * ```
 */
export function wordGroups(tokens: readonly string[]): WordGroup[] {
  const marked = tokens.some((token) => token.startsWith('▁') || token.startsWith('Ġ'));
  const groups: WordGroup[] = [];
  tokens.forEach((token, index) => {
    const { text, startsWord } = tokenLabel(token);
    const previous = groups[groups.length - 1];
    const startsGroup =
      previous === undefined ||
      special.test(token) ||
      special.test(tokens[index - 1]!) ||
      (marked ? startsWord : !token.startsWith('##'));
    if (startsGroup) groups.push({ text, tokens: [index] });
    else {
      previous.text += text;
      previous.tokens.push(index);
    }
  });
  return groups;
}

/**
 * The [rowWords, keyWords] matrix of a [rows, keys] token matrix (row-major): rows averaged within a word, columns
 * summed within a word.
 *
 * @example
 * ```ts
 * // rows: tokens 0 and 1 form one word; keys: tokens 0 and 1 form one word, token 2 another
 * wordMatrix(new Float32Array([0.5, 0.25, 0.25, 0.1, 0.1, 0.8]), 3, [{ text: 'ab', tokens: [0, 1] }],
 *   [{ text: 'xy', tokens: [0, 1] }, { text: 'z', tokens: [2] }]); // Float32Array [0.475, 0.525]
 * ```
 */
export function wordMatrix(
  matrix: Float32Array,
  keys: number,
  rowWords: readonly WordGroup[],
  keyWords: readonly WordGroup[],
): Float32Array {
  const pooled = new Float32Array(rowWords.length * keyWords.length);
  rowWords.forEach((row, r) => {
    keyWords.forEach((key, k) => {
      let sum = 0;
      for (const query of row.tokens)
        for (const column of key.tokens) sum += matrix[query * keys + column]!;
      pooled[r * keyWords.length + k] = sum / row.tokens.length;
    });
  });
  return pooled;
}
