import { describe, expect, it } from 'vitest';
import { exactMatch, f1Score, normalizeAnswer } from './squad-metrics.js';

describe('SQuAD metrics', () => {
  it('normalises as the official script: lower, punctuation, articles, white space', () => {
    expect(normalizeAnswer("The  Cat's, hat!")).toBe('cats hat');
    expect(normalizeAnswer('An apple a day')).toBe('apple day');
    expect(normalizeAnswer('theater')).toBe('theater'); // articles only as whole words
    expect(normalizeAnswer('  ')).toBe('');
  });

  it('scores exact match against the best gold answer', () => {
    expect(exactMatch('The Eiffel tower.', ['Paris', 'eiffel tower'])).toBe(1);
    expect(exactMatch('tower', ['eiffel tower'])).toBe(0);
  });

  it('scores token F1 by hand-worked counts', () => {
    // 'cat sat' vs 'cat sat down': 2 common, P = 1, R = 2/3 → F1 = 0.8
    expect(f1Score('the cat sat', ['a cat sat down'])).toBeCloseTo(0.8, 12);
    // repeated tokens are clipped: 'cat cat dog' vs 'cat dog dog' → common cat 1 + dog 1 = 2, P = R = 2/3
    expect(f1Score('cat cat dog', ['cat dog dog'])).toBeCloseTo(2 / 3, 12);
    expect(f1Score('red', ['blue', 'red ball'])).toBeCloseTo(2 / 3, 12);
    expect(f1Score('nothing', ['else'])).toBe(0);
  });

  it('treats no gold answers as unanswerable: only an empty prediction scores', () => {
    expect(exactMatch('', [])).toBe(1);
    expect(f1Score('', [])).toBe(1);
    expect(exactMatch('a dog', [])).toBe(0);
    expect(f1Score('a dog', [])).toBe(0);
    expect(f1Score('the', ['dog'])).toBe(0); // normalises to empty
  });
});
