// Generated tokens grouped into the words of their text, by the leading-space convention of Whisper's
// byte-level BPE (a token whose bytes begin with white space starts a word, openai/whisper
// tokenizer.split_tokens_on_spaces). Text is the tokens' bytes read as UTF-8, as openai/whisper decodes it.
import { byteLevelTokenBytes, type TextTokenizer } from '@attn/core-attention/runtime';

/** Tokens [tokenStart, tokenEnd) spell `surface` (with its leading white space, if any). */
export interface WordGroup {
  surface: string;
  tokenStart: number;
  tokenEnd: number;
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Splits tokens (given as their bytes) into words: a new word at every token whose first byte is white space.
 * Punctuation stays with the word it touches — "Hello," is one word, as Whisper's merge_punctuations makes it —
 * so the words are exactly the white-space separated words of the text. A word's bytes are decoded together,
 * so a character split across tokens comes out whole.
 *
 * @example
 * ```ts
 * const bytes = [' Hel', 'lo', ',', ' wor', 'ld'].map((token) => new TextEncoder().encode(token));
 * wordGroups(bytes);
 * // [{ surface: ' Hello,', tokenStart: 0, tokenEnd: 3 }, { surface: ' world', tokenStart: 3, tokenEnd: 5 }]
 * ```
 */
export function wordGroups(tokenBytes: readonly Uint8Array[]): WordGroup[] {
  const groups: WordGroup[] = [];
  let start = 0;
  const close = (end: number): void => {
    if (end === start) return;
    let length = 0;
    for (let t = start; t < end; t++) length += (tokenBytes[t] as Uint8Array).length;
    const bytes = new Uint8Array(length);
    for (let t = start, at = 0; t < end; t++) {
      bytes.set(tokenBytes[t] as Uint8Array, at);
      at += (tokenBytes[t] as Uint8Array).length;
    }
    groups.push({ surface: decoder.decode(bytes), tokenStart: start, tokenEnd: end });
    start = end;
  };
  for (let t = 1; t < tokenBytes.length; t++)
    if (isWhiteSpaceByte((tokenBytes[t] as Uint8Array)[0])) close(t);
  close(tokenBytes.length);
  return groups;
}

/**
 * The bytes a generated token spells: its byte-level BPE bytes (every Whisper tokenizer), else the UTF-8 of the
 * token decoded alone.
 *
 * @example
 * ```ts
 * tokenBytes(tokenizer, 262); // Uint8Array [32, 116, 104, 101]: 'Ġthe' is ' the'
 * ```
 */
export function tokenBytes(tokenizer: TextTokenizer, id: number): Uint8Array {
  const token = tokenizer.idToToken(id);
  const bytes = token === undefined ? undefined : byteLevelTokenBytes(token);
  return bytes ?? encoder.encode(tokenizer.decode([id]));
}

function isWhiteSpaceByte(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
