import { describe, expect, it } from 'vitest';
import { distinctN } from './distinct-n.js';

describe('distinctN', () => {
  it('counts distinct n-grams over all responses (hand-worked)', () => {
    expect(distinctN(['i am fine', 'i am ok'], 1)).toBeCloseTo(4 / 6, 12);
    expect(distinctN(['i am fine', 'i am ok'], 2)).toBeCloseTo(3 / 4, 12);
    // case folded, punctuation split off: 'yes', '!', 'yes', '.' → 3 distinct of 4
    expect(distinctN(['Yes!', 'yes.'], 1)).toBeCloseTo(3 / 4, 12);
  });

  it('gives 0 when there are no n-grams', () => {
    expect(distinctN([], 1)).toBe(0);
    expect(distinctN(['one'], 2)).toBe(0);
  });
});
