// Character offsets of tokens in the text they came from. @huggingface/tokenizers returns no
// offsets, so they are recovered by aligning each token's surface form with the original text:
// byte-exact for byte-level BPE (GPT-2, Whisper), and on case- and accent-folded characters for
// Metaspace (SentencePiece, Marian, T5) and WordPiece (BERT) vocabularies.
import { byteLevelTokenBytes as byteLevelBytes } from './byte-level.js';

/** [start, end) in UTF-16 code units of the original text; special tokens get an empty span. */
export type TokenOffset = readonly [start: number, end: number];

export type SurfaceStyle = 'byte-level' | 'metaspace' | 'wordpiece' | 'plain';

/**
 * Offsets of `tokens` in `text`. Tokens listed in `specialTokens` get an empty span at the current
 * position; a token that cannot be found (an unknown-token placeholder) spans the text up to the next
 * token that can.
 *
 * @example
 * ```ts
 * tokenOffsets('Hello world', ['▁Hello', '▁wor', 'ld', '</s>'], 'metaspace', new Set(['</s>']));
 * // [[0, 5], [6, 9], [9, 11], [11, 11]]
 * ```
 */
export function tokenOffsets(
  text: string,
  tokens: readonly string[],
  style: SurfaceStyle,
  specialTokens: ReadonlySet<string> = new Set(),
): TokenOffset[] {
  return style === 'byte-level'
    ? byteLevelOffsets(text, tokens, specialTokens)
    : foldedOffsets(text, tokens, style, specialTokens);
}

function byteLevelOffsets(
  text: string,
  tokens: readonly string[],
  specialTokens: ReadonlySet<string>,
): TokenOffset[] {
  // byteToChar[b] = index of the UTF-16 code unit where the character holding byte b starts
  const encoded = new TextEncoder().encode(text);
  const byteToChar = new Int32Array(encoded.length + 1);
  let byte = 0;
  for (let char = 0; char < text.length;) {
    const codePoint = text.codePointAt(char) as number;
    const units = codePoint > 0xffff ? 2 : 1;
    const width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) byteToChar[byte + k] = char;
    byte += width;
    char += units;
  }
  byteToChar[encoded.length] = text.length;
  const charEnd = (b: number): number => {
    // end of the character that holds byte b - 1
    if (b >= encoded.length) return text.length;
    const start = byteToChar[b] as number;
    return start === byteToChar[b - 1] ? nextCharStart(text, start) : start;
  };

  const offsets: TokenOffset[] = [];
  let cursor = 0;
  for (const token of tokens) {
    const bytes = specialTokens.has(token) ? undefined : byteLevelBytes(token);
    if (bytes === undefined || bytes.length === 0) {
      const at = byteToChar[Math.min(cursor, encoded.length)] as number;
      offsets.push([at, at]);
      continue;
    }
    const start = matchBytes(encoded, bytes, cursor);
    if (start < 0 && bytes[0] === 0x20) {
      // decoded text may have lost the space before punctuation (" ." → "."): match the rest
      const rest = bytes.subarray(bytes.findIndex((value) => value !== 0x20));
      const restStart = rest.length === 0 ? -1 : matchBytes(encoded, rest, cursor);
      if (restStart >= 0) {
        offsets.push([byteToChar[restStart] as number, charEnd(restStart + rest.length)]);
        cursor = restStart + rest.length;
        continue;
      }
    }
    if (start < 0) {
      const at = byteToChar[Math.min(cursor, encoded.length)] as number;
      offsets.push([at, at]);
      continue;
    }
    // a leading space byte belongs to the token but not to the word it spells
    let first = start;
    while (first < start + bytes.length - 1 && encoded[first] === 0x20) first++;
    offsets.push([byteToChar[first] as number, charEnd(start + bytes.length)]);
    cursor = start + bytes.length;
  }
  return offsets;
}

function matchBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let start = from; start + needle.length <= haystack.length; start++) {
    for (let k = 0; k < needle.length; k++) if (haystack[start + k] !== needle[k]) continue outer;
    return start;
  }
  return -1;
}

function nextCharStart(text: string, char: number): number {
  return char + ((text.codePointAt(char) as number) > 0xffff ? 2 : 1);
}

/** Lower-cased, accent-stripped, compatibility-decomposed: what BERT and SentencePiece normalizers roughly do. */
function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function surfaceOf(token: string, style: SurfaceStyle): string {
  if (style === 'metaspace') return token.replaceAll('▁', ' ').trim();
  if (style === 'wordpiece') return token.startsWith('##') ? token.slice(2) : token;
  return token.trim();
}

function foldedOffsets(
  text: string,
  tokens: readonly string[],
  style: SurfaceStyle,
  specialTokens: ReadonlySet<string>,
): TokenOffset[] {
  // folded text with, for every folded code unit, the original index it came from
  let folded = '';
  const origin: number[] = [];
  for (let char = 0; char < text.length;) {
    const next = nextCharStart(text, char);
    const piece = fold(text.slice(char, next));
    folded += piece;
    for (let k = 0; k < piece.length; k++) origin.push(char);
    char = next;
  }
  origin.push(text.length);
  const originalEnd = (foldedEnd: number): number => {
    if (foldedEnd >= folded.length) return text.length;
    const start = origin[foldedEnd] as number;
    return start === origin[foldedEnd - 1] ? nextCharStart(text, start) : start;
  };

  const offsets: (TokenOffset | undefined)[] = [];
  let cursor = 0;
  let unknownPending = false;
  for (const token of tokens) {
    const surface = specialTokens.has(token) ? '' : fold(surfaceOf(token, style));
    const start = surface.length === 0 ? -1 : folded.indexOf(surface, cursor);
    // skipping text is only allowed over white space, or over what unknown tokens before this one stand for
    if (start < 0 || (!unknownPending && folded.slice(cursor, start).trim() !== '')) {
      const special = specialTokens.has(token);
      offsets.push(special ? [origin[cursor] as number, origin[cursor] as number] : undefined);
      unknownPending ||= !special;
      continue;
    }
    offsets.push([origin[start] as number, originalEnd(start + surface.length)]);
    cursor = start + surface.length;
    unknownPending = false;
  }
  // a run of unknown tokens spans, together, the text between the tokens around it, trimmed
  const resolved: TokenOffset[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const offset = offsets[i];
    if (offset !== undefined) {
      resolved.push(offset);
      continue;
    }
    let runEnd = i;
    while (runEnd < offsets.length && offsets[runEnd] === undefined) runEnd++;
    let from = i === 0 ? 0 : (resolved[i - 1] as TokenOffset)[1];
    let to = runEnd < offsets.length ? (offsets[runEnd] as TokenOffset)[0] : text.length;
    while (from < to && /\s/.test(text[from] as string)) from++;
    while (to > from && /\s/.test(text[to - 1] as string)) to--;
    for (; i < runEnd; i++) resolved.push([from, to]);
    i--;
  }
  return resolved;
}

/**
 * Word index of every token: words are the white-space separated pieces of the original text;
 * tokens with empty spans (special tokens) get null.
 *
 * @example
 * ```ts
 * wordIds('a cat sat', [[0, 1], [2, 4], [4, 5], [6, 9], [9, 9]]); // [0, 1, 1, 2, null]
 * ```
 */
export function wordIds(text: string, offsets: readonly TokenOffset[]): (number | null)[] {
  const ids: (number | null)[] = [];
  let word = -1;
  let previousEnd = -1;
  for (const [start, end] of offsets) {
    if (end <= start) {
      ids.push(null);
      continue;
    }
    if (previousEnd < 0 || (start > previousEnd && /\s/.test(text.slice(previousEnd, start))))
      word++;
    ids.push(word);
    previousEnd = end;
  }
  return ids;
}
