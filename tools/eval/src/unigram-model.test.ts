import { describe, expect, it } from 'vitest';
import { unigramModel } from './unigram-model.js';

describe('unigramModel', () => {
  it('gives add-one smoothed frequencies (hand-worked)', () => {
    const logProbability = unigramModel([[0, 0], [1]], 3); // counts 2, 1, 0; N = 3, V = 3
    expect(Math.exp(logProbability(0))).toBeCloseTo(3 / 6, 12);
    expect(Math.exp(logProbability(1))).toBeCloseTo(2 / 6, 12);
    expect(Math.exp(logProbability(2))).toBeCloseTo(1 / 6, 12);
  });

  it('sums to 1 over the vocabulary and rejects ids outside it', () => {
    const logProbability = unigramModel([[4, 4, 1, 0, 9]], 10);
    let total = 0;
    for (let id = 0; id < 10; id++) total += Math.exp(logProbability(id));
    expect(total).toBeCloseTo(1, 12);
    expect(() => unigramModel([[10]], 10)).toThrow(/token id 10 is outside the vocabulary of 10/);
    expect(() => unigramModel([], 0)).toThrow(/vocabularySize must be a positive integer/);
  });
});
