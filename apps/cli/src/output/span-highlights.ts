// A text with weighted spans as HTML: core-attention's tokenHighlights over the text's weighted runs, so the
// shading of each stretch follows its weight and its tooltip shows it.
import { tokenHighlights, type Html, type TokenHighlightsOptions } from '@attn/core-attention';
import { weightedRuns, type WeightedSpan } from '../weighted-runs.js';

/**
 * `<div class="attn-tokens">` with one shaded `<span>` per run of `text`, shaded relative to the heaviest run unless
 * `options.maxWeight` fixes the scale (1 for probabilities).
 *
 * @example
 * ```ts
 * spanHighlights('A dog.', [{ start: 2, end: 5, weight: 0.5 }]).html;
 * // '<div class="attn-tokens"><span class="attn-token" style="background-color: rgba(255, 140, 0, 0)" title="0">A </span>'
 * // + '<span class="attn-token" style="background-color: rgba(255, 140, 0, 1)" title="0.5">dog</span>'
 * // + '<span class="attn-token" style="background-color: rgba(255, 140, 0, 0)" title="0">.</span></div>'
 * ```
 * @throws never.
 */
export function spanHighlights(
  text: string,
  spans: readonly WeightedSpan[],
  options: Pick<TokenHighlightsOptions, 'maxWeight' | 'color'> = {},
): Html {
  const runs = weightedRuns(text, spans);
  return tokenHighlights(
    runs.map((run) => run.text),
    runs.map((run) => run.weight),
    { ...options, separator: '' },
  );
}
