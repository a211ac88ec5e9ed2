// Character spans of the words and sentences of a text, the units attribution is reported in. Words are
// maximal runs of non-whitespace (as splitWords and the tokenizer's word ids count them); a sentence ends
// after . ! or ? (with any closing quotes or brackets) followed by whitespace, at a line break, or at the end.

/** [start, end) character offsets into a text. */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * The spans of the whitespace-separated words of `text`.
 *
 * @example
 * ```ts
 * wordSpans(' Two dogs,  run.'); // [{ start: 1, end: 4 }, { start: 5, end: 10 }, { start: 12, end: 16 }]
 * ```
 */
export function wordSpans(text: string): TextSpan[] {
  return [...text.matchAll(/\S+/g)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/**
 * The spans of the sentences of `text`, without surrounding whitespace; a text without closing punctuation is
 * one sentence.
 *
 * @example
 * ```ts
 * sentenceSpans('A dog runs. It is "fast!" Then\nit sleeps');
 * // [{ start: 0, end: 11 }, { start: 12, end: 25 }, { start: 26, end: 30 }, { start: 31, end: 40 }]
 * ```
 */
export function sentenceSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const match of text.matchAll(/[^\n]*?(?:[.!?]+["'”’)\]]*(?=\s|$)|(?=\n)|$)/g)) {
    const leading = match[0].length - match[0].trimStart().length;
    const body = match[0].trim();
    if (body !== '')
      spans.push({ start: match.index + leading, end: match.index + leading + body.length });
  }
  return spans;
}
