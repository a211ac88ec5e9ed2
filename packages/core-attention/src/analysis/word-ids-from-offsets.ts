// Subword tokens to words from the tokens' character offsets: a word is a maximal run of non-whitespace
// characters, and a token belongs to the word holding its first non-whitespace character.
import { describeValue, invalidArgument } from '../errors/index.js';

/** A token's [start, end) character offsets in the text, as tokenizers report them. */
export type CharacterOffsets = readonly [number, number];

/**
 * The word id of each token: the index of its word among the text's whitespace-separated words, or null for a
 * token whose span is empty or only whitespace (special tokens such as `<s>` report [0, 0]). Offsets that
 * include a leading space (byte-level BPE's "Ġworld") still land on their word. Punctuation stays with its word
 * ("Hello," is one word).
 *
 * @example
 * ```ts
 * wordIdsFromOffsets('Hello, world', [[0, 0], [0, 4], [4, 6], [6, 12], [0, 0]]);
 * // [null, 0, 0, 1, null]   ('<s>', 'Hell', 'o,', ' world', '</s>')
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when an offset pair is not integers with 0 ≤ start ≤ end ≤ text.length.
 */
export function wordIdsFromOffsets(
  text: string,
  offsets: readonly CharacterOffsets[],
): (number | null)[] {
  const fn = 'wordIdsFromOffsets';
  if (typeof text !== 'string') throw invalidArgument(fn, 'text', 'a string', describeValue(text));
  if (!Array.isArray(offsets))
    throw invalidArgument(fn, 'offsets', 'an array of [start, end] pairs', describeValue(offsets));
  // wordOfCharacter[c] = index of the word holding character c, or -1 for whitespace
  const wordOfCharacter = new Int32Array(text.length).fill(-1);
  let word = -1;
  for (let c = 0; c < text.length; c++) {
    if (/\s/.test(text[c] as string)) continue;
    if (c === 0 || /\s/.test(text[c - 1] as string)) word++;
    wordOfCharacter[c] = word;
  }
  return offsets.map((pair, token) => {
    const valid =
      Array.isArray(pair) &&
      Number.isInteger(pair[0]) &&
      Number.isInteger(pair[1]) &&
      pair[0] >= 0 &&
      pair[0] <= pair[1] &&
      pair[1] <= text.length;
    if (!valid) {
      throw invalidArgument(
        fn,
        `offsets[${token}]`,
        `[start, end] with 0 ≤ start ≤ end ≤ ${text.length}`,
        describeValue(pair),
      );
    }
    for (let c = pair[0]; c < pair[1]; c++)
      if ((wordOfCharacter[c] as number) >= 0) return wordOfCharacter[c] as number;
    return null;
  });
}
