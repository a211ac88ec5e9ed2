import { seededRandom, randomInt } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { weightedSegments } from './weighted-segments.js';

describe('weightedSegments', () => {
  it('cuts the text at span edges, overlaps keeping the larger weight', () => {
    expect(
      weightedSegments(10, [
        { start: 2, end: 5, weight: 0.5 },
        { start: 4, end: 6, weight: 0.75 },
      ]),
    ).toEqual([
      { start: 0, end: 2, weight: 0 },
      { start: 2, end: 4, weight: 0.5 },
      { start: 4, end: 6, weight: 0.75 },
      { start: 6, end: 10, weight: 0 },
    ]);
    expect(weightedSegments(4, [])).toEqual([{ start: 0, end: 4, weight: 0 }]);
    expect(weightedSegments(3, [{ start: -2, end: 9, weight: 1 }])).toEqual([
      { start: 0, end: 3, weight: 1 },
    ]);
  });

  it('tiles the text, and each character gets the largest weight over it (random spans)', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 50; trial++) {
      const length = randomInt(random, 1, 40);
      const spans = Array.from({ length: randomInt(random, 0, 6) }, () => {
        const start = randomInt(random, 0, length);
        return {
          start,
          end: randomInt(random, start, length + 1),
          weight: Math.round(random() * 8) / 8,
        };
      });
      const segments = weightedSegments(length, spans);
      expect(segments[0]!.start).toBe(0);
      expect(segments.at(-1)!.end).toBe(length);
      for (let index = 1; index < segments.length; index++) {
        expect(segments[index]!.start).toBe(segments[index - 1]!.end);
        expect(segments[index]!.weight).not.toBe(segments[index - 1]!.weight); // neighbours merged
      }
      for (let character = 0; character < length; character++) {
        const expected = Math.max(
          0,
          ...spans
            .filter((span) => span.start <= character && character < span.end)
            .map((span) => span.weight),
        );
        const segment = segments.find(
          (candidate) => candidate.start <= character && character < candidate.end,
        )!;
        expect(segment.weight).toBe(expected);
      }
    }
  });
});
