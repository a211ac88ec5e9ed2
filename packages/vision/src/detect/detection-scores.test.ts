import { randomNormal, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { detectionScores } from './detection-scores.js';

/** float64 softmax, written out plainly, as the reference. */
function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

describe('detectionScores', () => {
  it('does what its example says', () => {
    expect(detectionScores(new Float32Array([2, 0, 0, 0, 1, 3]), 2, 3)).toEqual([
      { labelId: 0, score: 0.7869860421615984 }, // e^2 / (e^2 + 2) = 0.7869860421615984990...
      { labelId: 1, score: 0.11419519938459449 }, // e / (1 + e + e^3) = 0.1141951993845944789...
    ]);
  });

  it('matches a plain softmax with the no-object class included, on random logits', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 50; trial++) {
      const queries = 1 + (trial % 7);
      const classes = 2 + (trial % 5);
      const logits = randomNormal(random, queries * classes, 4);
      const result = detectionScores(logits, queries, classes);
      for (let q = 0; q < queries; q++) {
        const probabilities = softmax(Array.from(logits.subarray(q * classes, (q + 1) * classes)));
        const real = probabilities.slice(0, -1);
        const best = real.indexOf(Math.max(...real));
        expect(result[q]!.labelId).toBe(best);
        expect(result[q]!.score).toBeCloseTo(probabilities[best]!, 12);
      }
    }
  });

  it('stays finite for huge logits and picks the lowest label on ties', () => {
    const [huge] = detectionScores(new Float32Array([1000, 999, -1000]), 1, 3);
    expect(huge!.labelId).toBe(0);
    expect(huge!.score).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(detectionScores(new Float32Array([1, 1, 1, 1]), 1, 4)).toEqual([
      { labelId: 0, score: 0.25 },
    ]);
  });

  it('refuses logits that do not match the sizes', () => {
    expect(() => detectionScores(new Float32Array(5), 2, 3)).toThrow(
      'detectionScores(): logits must be a Float32Array of numQueries x numClasses = 6 values',
    );
    expect(() => detectionScores(new Float32Array(2), 2, 1)).toThrow(
      'detectionScores(): numClasses must be an integer of at least 2 (labels + no-object), got 1.',
    );
  });
});
