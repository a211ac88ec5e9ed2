// Cutting a tokenized source to the model's positions: the tokens past the limit are dropped, the closing
// special token (end-of-sequence / [SEP]) is kept, so the model still sees a well-formed input.
import type { TokenizedText } from '@attn/core-attention/runtime';

/**
 * Truncates `encoding` in place to at most `maxPositions` tokens, keeping a final special token; returns the
 * character of the text where the kept tokens end, or undefined when nothing had to be cut.
 *
 * @example
 * ```ts
 * const encoding = tokenizer.encode('a b c'); // ['<s>', 'a', 'Ġb', 'Ġc', '</s>']
 * truncateEncoding(encoding, 4); // 3 — encoding.tokens is now ['<s>', 'a', 'Ġb', '</s>']
 * ```
 */
export function truncateEncoding(
  encoding: TokenizedText,
  maxPositions: number,
): number | undefined {
  if (encoding.ids.length <= maxPositions) return undefined;
  const eos = encoding.specialTokensMask.at(-1) === 1 ? 1 : 0;
  const keep = maxPositions - eos;
  for (const key of ['ids', 'tokens', 'offsets', 'wordIds', 'specialTokensMask'] as const) {
    const values = encoding[key] as unknown[];
    values.splice(keep, values.length - keep - eos);
  }
  return encoding.offsets[keep - 1]?.[1] ?? 0;
}
