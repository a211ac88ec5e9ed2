import { describe, expect, it } from 'vitest';
import { topEvidence } from './index.js';

const text = 'Paris is the capital of France.';
// tokens: <s>, Paris, is, the, capital, of, France, ., </s>
const offsets = [
  [0, 0],
  [0, 5],
  [6, 8],
  [9, 12],
  [13, 20],
  [21, 23],
  [24, 30],
  [30, 31],
  [0, 0],
] as const;

describe('topEvidence', () => {
  it('returns the top-k tokens and merges neighbours into spans with summed scores', () => {
    const scores = [0.9, 0.05, 0.01, 0.02, 0.3, 0.1, 0.35, 0.02, 0.9]; // special tokens score high but are never chosen
    const { tokens, spans } = topEvidence(scores, offsets, 3, { text });
    expect(tokens).toEqual([
      { index: 6, score: 0.35, start: 24, end: 30 },
      { index: 4, score: 0.3, start: 13, end: 20 },
      { index: 5, score: 0.1, start: 21, end: 23 },
    ]);
    // tokens 4, 5, 6 are consecutive: one span "capital of France", score 0.3 + 0.1 + 0.35 = 0.75
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      start: 13,
      end: 30,
      tokenIndices: [4, 5, 6],
      text: 'capital of France',
    });
    expect(spans[0]?.score).toBeCloseTo(0.75, 12);
  });

  it('orders separate spans by summed score, breaks ties by index, and returns all when fewer than k qualify', () => {
    const scores = [0, 0.2, 0.2, 0, 0, 0, 0.3, 0, 0];
    const { tokens, spans } = topEvidence(scores, offsets, 3);
    expect(tokens.map((token) => token.index)).toEqual([6, 1, 2]);
    expect(spans.map((span) => [span.start, span.end])).toEqual([
      [0, 8],
      [24, 30],
    ]); // "Paris is" 0.4 > "France" 0.3
    expect(spans[0]?.text).toBeUndefined();
    expect(
      topEvidence(
        [1, 2],
        [
          [0, 0],
          [0, 1],
        ],
        5,
      ).tokens,
    ).toHaveLength(1);
  });

  it('rejects bad k, mismatched lengths, NaN scores and offsets outside the text', () => {
    expect(() => topEvidence([1], [[0, 1]], 0)).toThrow(
      'topEvidence(): k must be a positive integer, got 0.',
    );
    expect(() => topEvidence([1, 2], [[0, 1]], 1)).toThrow(
      /offsets must be one \[start, end\] pair per score \(2\)/,
    );
    expect(() => topEvidence([Number.NaN], [[0, 1]], 1)).toThrow(
      /scores\[0\] must be a number, got NaN/,
    );
    expect(() => topEvidence([1], [[0, 9]], 1, { text: 'abc' })).toThrow(
      /offsets\[0\] must be integers \[start, end\]/,
    );
  });
});
