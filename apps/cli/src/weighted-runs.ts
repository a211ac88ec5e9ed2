// A text cut into runs by weighted character spans (evidence, source attribution): each run carries the largest
// weight of the spans that cover it, 0 outside every span. The terminal and the HTML highlights both draw these.

/** [start, end) character offsets into a text, with a weight. */
export interface WeightedSpan {
  start: number;
  end: number;
  weight: number;
}

/** A piece of the text and the weight it is drawn with. */
export interface WeightedRun {
  text: string;
  weight: number;
}

/**
 * Cuts `text` at every span boundary (clipped to the text) and gives each piece the largest weight covering it;
 * neighbouring pieces of equal weight are merged. The runs concatenate to `text`.
 *
 * @example
 * ```ts
 * weightedRuns('A dog runs.', [{ start: 2, end: 5, weight: 0.5 }, { start: 6, end: 10, weight: 0.2 }]);
 * // [{ text: 'A ', weight: 0 }, { text: 'dog', weight: 0.5 }, { text: ' ', weight: 0 },
 * //  { text: 'runs', weight: 0.2 }, { text: '.', weight: 0 }]
 * ```
 * @throws never: spans outside the text are clipped, empty ones ignored.
 */
export function weightedRuns(text: string, spans: readonly WeightedSpan[]): WeightedRun[] {
  const clip = (offset: number): number => Math.min(Math.max(offset, 0), text.length);
  const cuts = [
    ...new Set([0, text.length, ...spans.flatMap(({ start, end }) => [clip(start), clip(end)])]),
  ].sort((first, second) => first - second);
  const runs: WeightedRun[] = [];
  for (let index = 0; index + 1 < cuts.length; index++) {
    const start = cuts[index] as number;
    const end = cuts[index + 1] as number;
    let weight = 0;
    for (const span of spans)
      if (span.start <= start && span.end >= end && span.weight > weight) weight = span.weight;
    const last = runs.at(-1);
    if (last !== undefined && last.weight === weight) last.text += text.slice(start, end);
    else runs.push({ text: text.slice(start, end), weight });
  }
  return runs;
}
