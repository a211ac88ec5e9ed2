// Tokens shaded by weight (attention, attribution): background alpha proportional to the weight,
// the weight as a tooltip. The HTML counterpart of a text heatmap.
import { describeValue, invalidArgument } from '../errors/index.js';
import type { Rgb } from './colormaps.js';
import { h, type Html } from './html.js';

export interface TokenHighlightsOptions {
  /** The highlight colour at full weight. Default [255, 140, 0] (orange). */
  color?: Readonly<Rgb>;
  /** The weight shown fully opaque; larger weights saturate. Default: the largest finite weight. */
  maxWeight?: number;
  /** Text between tokens. Default ' '; pass '' for tokens that carry their own spacing. */
  separator?: string;
}

/**
 * One `<span class="attn-token">` per token inside a `<div class="attn-tokens">`, with background
 * alpha = weight / maxWeight clamped to [0, 1] (0 for NaN) and a `title` showing the weight.
 *
 * @example
 * ```ts
 * tokenHighlights(['the', '<cat>'], [0.25, 0.5]).html;
 * // '<div class="attn-tokens"><span class="attn-token" style="background-color: rgba(255, 140, 0, 0.5)" title="0.25">the</span> '
 * // + '<span class="attn-token" style="background-color: rgba(255, 140, 0, 1)" title="0.5">&lt;cat&gt;</span></div>'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `tokens` is not an array of strings, `weights` has another
 * length, `maxWeight` is not a positive finite number or `color` is not three numbers in [0, 255].
 */
export function tokenHighlights(
  tokens: readonly string[],
  weights: ArrayLike<number>,
  options: TokenHighlightsOptions = {},
): Html {
  const fn = 'tokenHighlights';
  const { color = [255, 140, 0], separator = ' ' } = options;
  if (!Array.isArray(tokens) || tokens.some((token) => typeof token !== 'string')) {
    throw invalidArgument(fn, 'tokens', 'an array of strings', describeValue(tokens));
  }
  if (weights?.length !== tokens.length) {
    throw invalidArgument(
      fn,
      'weights',
      `${tokens.length} weights, one per token`,
      describeValue(weights),
    );
  }
  if (
    !Array.isArray(color) ||
    color.length !== 3 ||
    !color.every((channel) => channel >= 0 && channel <= 255)
  ) {
    throw invalidArgument(
      fn,
      'options.color',
      '[red, green, blue] in [0, 255]',
      describeValue(color),
    );
  }
  const maxWeight = options.maxWeight ?? largestFinite(weights);
  if (options.maxWeight !== undefined && !(Number.isFinite(maxWeight) && maxWeight > 0)) {
    throw invalidArgument(
      fn,
      'options.maxWeight',
      'a positive finite number',
      describeValue(maxWeight),
    );
  }
  const [red, green, blue] = color.map(Math.round);
  const spans = tokens.map((token, index) => {
    const weight = weights[index] as number;
    const alpha = maxWeight > 0 && weight > 0 ? Math.min(weight / maxWeight, 1) : 0;
    const style = `background-color: rgba(${red}, ${green}, ${blue}, ${Number(alpha.toFixed(3))})`;
    const title = Number.isFinite(weight) ? String(Number(weight.toPrecision(3))) : String(weight);
    return [index > 0 ? separator : null, h('span', { class: 'attn-token', style, title }, token)];
  });
  return h('div', { class: 'attn-tokens' }, spans);
}

function largestFinite(weights: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] as number;
    if (Number.isFinite(weight) && weight > largest) largest = weight;
  }
  return largest;
}
