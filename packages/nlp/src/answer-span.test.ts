import { describe, expect, it } from 'vitest';
import { seededRandom } from '@attn/core-attention/testing';
import { bestAnswerSpan, spanProbability } from './answer-span.js';

/** Every allowed span, best first (logit, then earlier start, then shorter), by enumeration. */
function rankedSpans(start: number[], end: number[], isContext: boolean[], maxLength: number) {
  const spans: { i: number; j: number; logit: number }[] = [];
  for (let i = 0; i < isContext.length; i++)
    for (let j = i; j < isContext.length; j++) {
      const inside = isContext.slice(i, j + 1).every(Boolean);
      if (inside && j - i + 1 <= maxLength) spans.push({ i, j, logit: start[i]! + end[j]! });
    }
  return spans.sort((a, b) => b.logit - a.logit || a.i - b.i || a.j - b.j);
}

function softmaxAt(logits: number[], allowed: boolean[], index: number): number {
  const total = logits.reduce((sum, value, i) => sum + (allowed[i] ? Math.exp(value) : 0), 0);
  return Math.exp(logits[index]!) / total;
}

describe('bestAnswerSpan', () => {
  it('scores the hand-worked example', () => {
    const span = bestAnswerSpan(
      [0, 0, 0, 2, 1, 0],
      [0, 0, 0, 0, 3, 0],
      [false, false, false, true, true, false],
      0,
      30,
    )!;
    expect(span).toMatchObject({ startToken: 3, endToken: 4, logit: 5, nullLogit: 0 });
    // softmax([0, 2, 1])[1] · softmax([0, 0, 3])[2] = (e² / (1 + e² + e)) · (e³ / (2 + e³))
    const expected = (Math.exp(2) / (1 + Math.exp(2) + Math.E)) * (Math.exp(3) / (2 + Math.exp(3)));
    expect(span.probability).toBeCloseTo(expected, 12);
    expect(span.nullProbability).toBeCloseTo(
      (1 / (1 + Math.exp(2) + Math.E)) * (1 / (2 + Math.exp(3))),
      12,
    );
  });

  it('finds the best span of an exhaustive enumeration on random windows', () => {
    const random = seededRandom(17);
    for (let trial = 0; trial < 200; trial++) {
      const length = 2 + Math.floor(random() * 14);
      const start = Array.from({ length }, () => (random() - 0.5) * 8);
      const end = Array.from({ length }, () => (random() - 0.5) * 8);
      // [CLS] at 0, then a random pattern with gaps (a gap stands for question or special tokens)
      const isContext = Array.from({ length }, (_, i) => i > 0 && random() < 0.7);
      const maxLength = 1 + Math.floor(random() * 5);
      const expected = rankedSpans(start, end, isContext, maxLength)[0];
      const span = bestAnswerSpan(start, end, isContext, 0, maxLength);
      if (expected === undefined) {
        expect(span).toBeUndefined();
        continue;
      }
      expect([span?.startToken, span?.endToken]).toEqual([expected.i, expected.j]);
      const allowed = isContext.map((context, i) => context || i === 0);
      expect(span!.probability).toBeCloseTo(
        softmaxAt(start, allowed, expected.i) * softmaxAt(end, allowed, expected.j),
        10,
      );
      expect(spanProbability(start, end, isContext, 0, expected.i, expected.j)).toBeCloseTo(
        span!.probability,
        12,
      );
    }
  });

  it('breaks ties by earlier start, then shorter span, and handles huge logits', () => {
    const span = bestAnswerSpan([0, 1, 1, 1], [0, 1, 1, 1], [false, true, true, true], 0, 3)!;
    expect([span.startToken, span.endToken]).toEqual([1, 1]);
    const huge = bestAnswerSpan([0, 1000, -1000], [0, 1000, 999], [false, true, true], 0, 2)!;
    expect(huge.probability).toBeCloseTo(1 / (1 + Math.exp(-1)), 10);
    expect(Number.isFinite(huge.nullProbability)).toBe(true);
  });
});
