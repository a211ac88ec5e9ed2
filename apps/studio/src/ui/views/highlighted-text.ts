// A text drawn with weighted character spans shaded (summary sources, answer evidence).
import { element } from '../dom.js';
import { weightBackground } from '../weight-color.js';
import { weightedSegments, type WeightedSegment } from '../weighted-segments.js';

/**
 * Fills `target` with `text`, each piece under a span shaded by its weight (relative to the largest).
 *
 * @example
 * ```ts
 * highlightText(paragraph, 'A dog runs.', [{ start: 2, end: 5, weight: 0.8 }]);
 * // <span>A </span><span class="weighted" data-weight="0.8" …>dog</span><span> runs.</span>
 * ```
 */
export function highlightText(
  target: HTMLElement,
  text: string,
  spans: readonly WeightedSegment[],
): void {
  const segments = weightedSegments(text.length, spans);
  const maxWeight = Math.max(0, ...segments.map((segment) => segment.weight));
  target.replaceChildren(
    ...segments.map(({ start, end, weight }) =>
      weight > 0
        ? element(
            'span',
            {
              class: 'weighted',
              'data-weight': weight.toFixed(4),
              title: weight.toFixed(3),
              style: `background-color: ${weightBackground(weight, maxWeight)}`,
            },
            [text.slice(start, end)],
          )
        : element('span', {}, [text.slice(start, end)]),
    ),
  );
}
