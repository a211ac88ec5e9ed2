// Subword tokens as text to show: the word-start marks of SentencePiece ('▁', Marian, T5), byte-level BPE
// ('Ġ', GPT-2, BART) and the continuation mark of WordPiece ('##', BERT) become a flag instead of a glyph.

/** A token's text without its marks, and whether it starts a word (is shown after a space). */
export interface TokenLabel {
  text: string;
  startsWord: boolean;
}

/**
 * How to show `token`.
 *
 * @example
 * ```ts
 * tokenLabel('▁Hund'); // { text: 'Hund', startsWord: true }
 * tokenLabel('m'); // { text: 'm', startsWord: false }
 * tokenLabel('##ing'); // { text: 'ing', startsWord: false }
 * tokenLabel('</s>'); // { text: '</s>', startsWord: true }
 * ```
 */
export function tokenLabel(token: string): TokenLabel {
  if (token.startsWith('▁') || token.startsWith('Ġ'))
    return { text: token.slice(1) || token, startsWord: true };
  if (token.startsWith('##') && token.length > 2)
    return { text: token.slice(2), startsWord: false };
  // special tokens (<s>, </s>, [CLS], <|endoftext|>) stand apart
  if (/^(<.*>|\[.*\])$/.test(token)) return { text: token, startsWord: true };
  return { text: token, startsWord: false };
}
