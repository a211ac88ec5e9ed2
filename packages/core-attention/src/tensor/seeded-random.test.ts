import { describe, expect, it } from 'vitest';
import { seededRandom } from './index.js';

describe('seededRandom', () => {
  it('matches published mulberry32 outputs and stays in [0, 1)', () => {
    // mulberry32(42), first draw: 0.6011037519201636 (the reference C and JS implementations agree)
    expect(seededRandom(42)()).toBe(0.6011037519201636);
    const random = seededRandom(2 ** 32 + 42); // seeds are taken modulo 2^32
    expect(random()).toBe(0.6011037519201636);
    for (let i = 0; i < 1000; i++) {
      const value = random();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});
