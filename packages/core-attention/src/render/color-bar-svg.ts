// A vertical colour bar for SVG figures: the colormap as stacked bands (no gradient ids, so several
// figures can share one HTML page) with "nice" ticks at 1, 2 or 5 times a power of ten (Heckbert 1990).
import { colormap, rgbToHex, type ColormapName } from './colormaps.js';
import { svgNumber } from './svg-number.js';
import { escapeMarkup } from './escape-markup.js';

const bands = 64;
const tickLength = 4;

/**
 * Tick values inside [low, high] spaced 1, 2 or 5 x 10^k apart, about `count` of them; `[low]` when
 * the range is empty. Returns the decimals that print them exactly.
 *
 * @example
 * ```ts
 * niceTicks(0, 1); // { ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], decimals: 1 } (values up to float rounding)
 * niceTicks(3, 3); // { ticks: [3], decimals: 0 }
 * ```
 */
export function niceTicks(
  low: number,
  high: number,
  count = 5,
): { ticks: number[]; decimals: number } {
  if (!(high > low)) return { ticks: [low], decimals: decimalsOf(low) };
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((multiple) => multiple * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  const slack = step * 1e-9;
  for (let k = Math.ceil((low - slack) / step); k * step <= high + slack; k++) ticks.push(k * step);
  return { ticks, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

function decimalsOf(value: number): number {
  const text = String(value);
  return text.includes('.') && !text.includes('e')
    ? Math.min(text.length - text.indexOf('.') - 1, 6)
    : 0;
}

/**
 * The colour bar's width in SVG units, including its tick labels, for laying out a figure.
 *
 * @example
 * ```ts
 * colorBarWidth([0, 1], 12); // about 41.6: 12 + 4 + 4 + 3 characters ('0.0') * 7.2
 * ```
 */
export function colorBarWidth(domain: readonly [number, number], fontSize: number): number {
  const { ticks, decimals } = niceTicks(domain[0], domain[1]);
  const longest = Math.max(...ticks.map((tick) => tick.toFixed(decimals).length));
  return 12 + tickLength + 4 + longest * 0.6 * fontSize;
}

/**
 * SVG markup of a colour bar 12 units wide with its top-left corner at (x, y), low values at the bottom.
 *
 * @example
 * ```ts
 * colorBarSvg({ x: 0, y: 0, height: 100, domain: [0, 1], colormap: 'viridis', fontSize: 12 });
 * // '<g class="color-bar" shape-rendering="crispEdges"><rect class="color-bar-band" x="0" y="98.44" width="12" height="1.56" fill="#450457"/>...</g>'
 * ```
 */
export function colorBarSvg(layout: {
  x: number;
  y: number;
  height: number;
  domain: readonly [number, number];
  colormap: ColormapName;
  fontSize: number;
}): string {
  const { x, y, height, domain, fontSize } = layout;
  const colorOf = colormap(layout.colormap);
  const bandHeight = height / bands;
  const parts = ['<g class="color-bar" shape-rendering="crispEdges">'];
  for (let band = 0; band < bands; band++) {
    const top = y + height - (band + 1) * bandHeight;
    parts.push(
      `<rect class="color-bar-band" x="${svgNumber(x)}" y="${svgNumber(top)}" width="12" height="${svgNumber(bandHeight)}" fill="${rgbToHex(colorOf((band + 0.5) / bands))}"/>`,
    );
  }
  parts.push(
    `<rect x="${svgNumber(x)}" y="${svgNumber(y)}" width="12" height="${svgNumber(height)}" fill="none" stroke="#555"/>`,
  );
  const [low, high] = domain;
  const { ticks, decimals } = niceTicks(low, high);
  for (const tick of ticks) {
    const tickY = svgNumber(y + height - (high > low ? ((tick - low) / (high - low)) * height : 0));
    parts.push(
      `<line x1="${svgNumber(x + 12)}" y1="${tickY}" x2="${svgNumber(x + 12 + tickLength)}" y2="${tickY}" stroke="#555"/>`,
      `<text x="${svgNumber(x + 12 + tickLength + 4)}" y="${tickY}" dominant-baseline="middle" font-size="${svgNumber(fontSize)}">${escapeMarkup(tick.toFixed(decimals))}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}
