// A text with its weighted spans marked for the terminal: on a colour terminal each span's background shows its
// weight (relative to the heaviest); in plain text highlighted stretches are bracketed, [like this].
import { weightedRuns, type WeightedSpan } from '../weighted-runs.js';
import type { TerminalStyle } from './terminal-style.js';

/**
 * `text` with `spans` highlighted in `style`.
 *
 * @example
 * ```ts
 * const plain = terminalStyle({ isTTY: false }, {});
 * highlightSpans('A dog runs after a ball.', [{ start: 2, end: 5, weight: 0.4 }, { start: 5, end: 10, weight: 0.1 }], plain);
 * // 'A [dog runs] after a ball.'
 * ```
 * @throws never.
 */
export function highlightSpans(
  text: string,
  spans: readonly WeightedSpan[],
  style: TerminalStyle,
): string {
  const runs = weightedRuns(text, spans);
  const heaviest = Math.max(0, ...runs.map((run) => run.weight));
  if (style.color)
    return runs
      .map((run) => style.heat(run.text, heaviest > 0 ? run.weight / heaviest : 0))
      .join('');
  let marked = '';
  let inside = false;
  for (const run of runs) {
    const highlighted = run.weight > 0;
    if (highlighted !== inside) marked += highlighted ? '[' : ']';
    marked += run.text;
    inside = highlighted;
  }
  return inside ? `${marked}]` : marked;
}
