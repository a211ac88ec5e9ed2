// A text cut into consecutive pieces by weighted character spans, so each piece can be drawn with its weight:
// overlapping spans keep the larger weight, text outside every span has weight 0.

/** Characters [start, end) of a text and their weight. */
export interface WeightedSegment {
  start: number;
  end: number;
  weight: number;
}

/**
 * Pieces covering [0, length) in order, each with the largest weight of the spans over it (0 for none).
 *
 * @example
 * ```ts
 * weightedSegments(10, [{ start: 2, end: 5, weight: 0.5 }, { start: 4, end: 6, weight: 0.75 }]);
 * // [{ start: 0, end: 2, weight: 0 }, { start: 2, end: 4, weight: 0.5 },
 * //  { start: 4, end: 6, weight: 0.75 }, { start: 6, end: 10, weight: 0 }]
 * ```
 */
export function weightedSegments(
  length: number,
  spans: readonly WeightedSegment[],
): WeightedSegment[] {
  const cuts = new Set([0, length]);
  for (const { start, end } of spans) {
    cuts.add(Math.max(0, Math.min(length, start)));
    cuts.add(Math.max(0, Math.min(length, end)));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const segments: WeightedSegment[] = [];
  for (let index = 0; index + 1 < sorted.length; index++) {
    const start = sorted[index]!;
    const end = sorted[index + 1]!;
    let weight = 0;
    for (const span of spans)
      if (span.start <= start && span.end >= end) weight = Math.max(weight, span.weight);
    const previous = segments.at(-1);
    if (previous !== undefined && previous.weight === weight) previous.end = end;
    else segments.push({ start, end, weight });
  }
  return segments;
}
