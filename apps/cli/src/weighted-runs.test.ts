import { seededRandom, randomInt } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { weightedRuns } from './weighted-runs.js';

describe('weightedRuns', () => {
  it('cuts a text at span boundaries and keeps the largest covering weight', () => {
    // 'A dog runs.': [2, 5) 'dog' 0.5, [6, 10) 'runs' 0.2; [4, 8) 'g ru' 0.3 overlaps both
    expect(
      weightedRuns('A dog runs.', [
        { start: 2, end: 5, weight: 0.5 },
        { start: 6, end: 10, weight: 0.2 },
        { start: 4, end: 8, weight: 0.3 },
      ]),
    ).toEqual([
      { text: 'A ', weight: 0 },
      { text: 'dog', weight: 0.5 },
      { text: ' ru', weight: 0.3 },
      { text: 'ns', weight: 0.2 },
      { text: '.', weight: 0 },
    ]);
  });

  it('clips spans to the text, ignores empty ones and merges equal neighbours', () => {
    expect(
      weightedRuns('abc', [
        { start: -4, end: 1, weight: 1 },
        { start: 1, end: 9, weight: 1 },
      ]),
    ).toEqual([{ text: 'abc', weight: 1 }]);
    expect(weightedRuns('abc', [{ start: 2, end: 2, weight: 1 }])).toEqual([
      { text: 'abc', weight: 0 },
    ]);
    expect(weightedRuns('', [])).toEqual([]);
  });

  it('matches a per-character maximum on random spans (seeded)', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 50; trial++) {
      const text = 'x'.repeat(randomInt(random, 1, 30));
      const spans = Array.from({ length: randomInt(random, 0, 6) }, () => {
        const start = randomInt(random, -3, text.length + 3);
        return {
          start,
          end: start + randomInt(random, 0, 10),
          weight: randomInt(random, 0, 4) / 4,
        };
      });
      const perCharacter = Array.from(text, (_, offset) =>
        Math.max(
          0,
          ...spans
            .filter((span) => span.start <= offset && offset < span.end)
            .map((span) => span.weight),
        ),
      );
      const runs = weightedRuns(text, spans);
      expect(runs.map((run) => run.text).join('')).toBe(text);
      expect(runs.flatMap((run) => Array.from(run.text, () => run.weight))).toEqual(perCharacter);
      runs.slice(1).forEach((run, index) => expect(run.weight).not.toBe(runs[index]?.weight));
    }
  });
});
