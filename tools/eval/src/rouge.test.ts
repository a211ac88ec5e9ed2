import { describe, expect, it } from 'vitest';
import { corpusRouge, rougeScores, tokenizeRouge } from './rouge.js';

describe('ROUGE', () => {
  it("tokenizes as rouge-score's default tokenizer (lowercase, [a-z0-9] runs, no stemming)", () => {
    expect(tokenizeRouge('Hello, World! Café-au-lait 3.5')).toEqual([
      'hello',
      'world',
      'caf',
      'au',
      'lait',
      '3',
      '5',
    ]);
    expect(tokenizeRouge('Running dogs')).toEqual(['running', 'dogs']);
    expect(tokenizeRouge(' ...  ')).toEqual([]);
  });

  it('scores a hand-worked pair', () => {
    // hypothesis 'the cat sat on the mat' vs reference 'the cat is on the mat' (6 tokens each):
    // unigrams: the ×2, cat, on, mat in common = 5 → P = R = F = 5/6
    // bigrams: 'the cat', 'on the', 'the mat' in common = 3 of 5 each → 0.6
    // LCS: 'the cat on the mat' = 5 → 5/6
    const scores = rougeScores('The cat sat on the mat.', ['the cat is on the mat']);
    expect(scores.rouge1.fmeasure).toBeCloseTo(5 / 6, 12);
    expect(scores.rouge2.fmeasure).toBeCloseTo(0.6, 12);
    expect(scores.rougeL.fmeasure).toBeCloseTo(5 / 6, 12);
  });

  it('separates precision from recall, and LCS from bag overlap', () => {
    // hypothesis 'a b' vs reference 'b a c': unigrams 2 in common → P = 1, R = 2/3, F = 0.8;
    // bigrams: 'a b' vs 'b a', 'a c' → 0; LCS 1 ('a' or 'b') → P = 1/2, R = 1/3, F = 0.4
    const scores = rougeScores('a b', ['b a c']);
    expect(scores.rouge1).toEqual({ precision: 1, recall: 2 / 3, fmeasure: 0.8 });
    expect(scores.rouge2.fmeasure).toBe(0);
    expect(scores.rougeL.fmeasure).toBeCloseTo(0.4, 12);
  });

  it('takes the best reference per metric, clips repeated n-grams and handles empty text', () => {
    expect(rougeScores('dog dog dog', ['dog']).rouge1.precision).toBeCloseTo(1 / 3, 12);
    expect(rougeScores('a b', ['c d', 'a b']).rouge2.fmeasure).toBe(1);
    expect(rougeScores('', ['a b']).rouge1).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
    expect(() => rougeScores('a', [])).toThrow(/references must not be empty/);
  });

  it('averages F-measures over a corpus (× 100)', () => {
    expect(corpusRouge(['a b', 'c'], [['a b'], ['d']])).toEqual({
      rouge1: 50,
      rouge2: 50,
      rougeL: 50,
    });
    expect(() => corpusRouge(['a'], [])).toThrow(/expected as many reference lists/);
  });
});
