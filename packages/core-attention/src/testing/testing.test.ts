import { describe, expect, it } from 'vitest';
import { expectClose, randomInt, randomNormal, seededRandom } from './index.js';

describe('testing helpers', () => {
  it('repeats a seeded sequence and differs across seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });

  it('draws normals with mean near 0 and variance near 1', () => {
    const samples = randomNormal(seededRandom(1), 20_000);
    const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
    const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / samples.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('draws integers in [low, high)', () => {
    const random = seededRandom(2);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(randomInt(random, 1, 4));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('compares with tolerance and treats NaN as equal only to NaN', () => {
    expectClose([1, Number.NaN, Infinity], [1 + 1e-7, Number.NaN, Infinity]);
    expect(() => expectClose([1], [1.1])).toThrow(/differ at 1 of 1 positions/);
    expect(() => expectClose([Number.NaN], [0])).toThrow(/first at \[0\]/);
    expect(() => expectClose([1, 2], [1])).toThrow(/length 2 differs from expected 1/);
  });
});
