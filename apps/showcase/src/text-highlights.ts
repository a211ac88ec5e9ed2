// A text shaded by weighted character spans (source attribution, QA evidence): the text is cut at every span
// boundary and each piece drawn by core-attention's tokenHighlights with the largest weight covering it.
import { tokenHighlights, type Html } from '@attn/core-attention';
import type { WeightedSpan } from '@attn/nlp';

/**
 * `text` as shaded pieces that concatenate to it; spans outside the text are clipped, pieces no span covers
 * get weight 0. The shading is relative to the heaviest piece.
 *
 * @example
 * ```ts
 * textHighlights('A dog runs.', [{ start: 2, end: 5, weight: 0.5 }]).html;
 * // '<div class="attn-tokens"><span class="attn-token" style="background-color: rgba(255, 140, 0, 0)" title="0">A </span>'
 * // + '<span class="attn-token" style="background-color: rgba(255, 140, 0, 1)" title="0.5">dog</span>'
 * // + '<span class="attn-token" style="background-color: rgba(255, 140, 0, 0)" title="0"> runs.</span></div>'
 * ```
 * @throws never.
 */
export function textHighlights(text: string, spans: readonly WeightedSpan[]): Html {
  const clip = (offset: number): number => Math.min(Math.max(offset, 0), text.length);
  const cuts = [
    ...new Set([0, text.length, ...spans.flatMap((span) => [clip(span.start), clip(span.end)])]),
  ].sort((first, second) => first - second);
  const pieces: string[] = [];
  const weights: number[] = [];
  for (let index = 0; index + 1 < cuts.length; index++) {
    const start = cuts[index] as number;
    const end = cuts[index + 1] as number;
    let weight = 0;
    for (const span of spans)
      if (span.start <= start && span.end >= end) weight = Math.max(weight, span.weight);
    pieces.push(text.slice(start, end));
    weights.push(weight);
  }
  return tokenHighlights(pieces, weights, { separator: '' });
}
