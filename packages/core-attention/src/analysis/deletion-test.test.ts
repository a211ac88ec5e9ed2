import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/index.js';
import { deletionTest } from './index.js';

const n = 12;
// The synthetic model relies on inputs 0, 1 and 2 only: its confidence is 0.1 plus 0.3 per kept input among them.
const reliesOnFirstThree = (keep: boolean[]) => 0.1 + 0.3 * [0, 1, 2].filter((i) => keep[i]).length;

describe('deletionTest', () => {
  it('shows a top-k drop far above random when attention points at the inputs the model uses', async () => {
    const scores = Array.from({ length: n }, (_, i) => (i < 3 ? 0.2 : 0.4 / (n - 3)));
    const result = await deletionTest({
      confidence: reliesOnFirstThree,
      scores,
      k: 3,
      trials: 50,
      seed: 1,
    });
    expect(result.baseline).toBeCloseTo(1, 12);
    expect(result.topIndices).toEqual([0, 1, 2]);
    expect(result.topDrop).toBeCloseTo(0.9, 12);
    // a random 3-subset of 12 contains on average 3 · 3/12 = 0.75 of the used inputs: expected drop 0.225
    expect(result.randomMean).toBeGreaterThan(0.1);
    expect(result.randomMean).toBeLessThan(0.4);
    expect(result.randomMax).toBeLessThan(result.topDrop + 1e-12);
    expect(result.randomAtLeastTop).toBeLessThan(0.05);
  });

  it('shows no gap when attention is uninformative', async () => {
    // attention favours inputs 9, 10, 11, which the model ignores
    const scores = Array.from({ length: n }, (_, i) => (i >= 9 ? 0.3 : 0.01));
    const result = await deletionTest({
      confidence: reliesOnFirstThree,
      scores,
      k: 3,
      trials: 50,
      seed: 2,
    });
    expect(result.topIndices).toEqual([9, 10, 11]);
    expect(result.topDrop).toBeCloseTo(0, 12);
    expect(result.randomMean).toBeGreaterThan(result.topDrop);
    expect(result.randomAtLeastTop).toBe(1); // every random drop is ≥ 0 = the top-k drop
  });

  it('reports statistics consistent with its draws, repeats with the seed, and awaits async scorers one at a time', async () => {
    let inFlight = 0;
    let calls = 0;
    const random = seededRandom(5);
    const weights = Array.from({ length: n }, () => random());
    const asyncScorer = async (keep: boolean[]): Promise<number> => {
      inFlight++;
      calls++;
      expect(inFlight).toBe(1);
      await Promise.resolve();
      inFlight--;
      return keep.reduce((sum, kept, i) => sum + (kept ? weights[i]! : 0), 0);
    };
    const options = { confidence: asyncScorer, scores: weights, k: 4, trials: 15, seed: 7 };
    const result = await deletionTest(options);
    expect(calls).toBe(2 + 15);
    const drops = result.randomDrops;
    const mean = drops.reduce((a, b) => a + b) / drops.length;
    expect(result.randomMean).toBeCloseTo(mean, 12);
    expect(result.randomStd).toBeCloseTo(
      Math.sqrt(drops.reduce((sum, drop) => sum + (drop - mean) ** 2, 0) / drops.length),
      12,
    );
    expect(result.randomMin).toBe(Math.min(...drops));
    expect(result.randomMax).toBe(Math.max(...drops));
    // with an additive model the top-k drop is the sum of the k largest weights, the largest any deletion of k can cause
    expect(result.topDrop).toBeCloseTo(
      [...weights]
        .sort((a, b) => b - a)
        .slice(0, 4)
        .reduce((a, b) => a + b),
      12,
    );
    expect((await deletionTest(options)).randomDrops).toEqual(drops);
    expect((await deletionTest({ ...options, seed: 8 })).randomDrops).not.toEqual(drops);
  });

  it('never deletes ineligible inputs', async () => {
    const deleted = new Set<number>();
    const eligible = Array.from({ length: n }, (_, i) => i % 2 === 0);
    await deletionTest({
      confidence: (keep) => {
        keep.forEach((kept, i) => kept || deleted.add(i));
        return 1;
      },
      scores: Array.from({ length: n }, (_, i) => i),
      k: 2,
      eligible,
    });
    expect([...deleted].every((i) => eligible[i])).toBe(true);
  });

  it('rejects bad arguments and scorers that return non-numbers', async () => {
    const base = { confidence: () => 1, scores: [0.5, 0.5], k: 1 };
    await expect(deletionTest({ ...base, k: 3 })).rejects.toThrow(
      'deletionTest(): k must be an integer in [1, 2] (the eligible inputs), got 3.',
    );
    await expect(deletionTest({ ...base, trials: 0 })).rejects.toThrow(
      /trials must be a positive integer, got 0/,
    );
    await expect(deletionTest({ ...base, eligible: [true] })).rejects.toThrow(
      /eligible must be 2 booleans, one per score/,
    );
    await expect(deletionTest({ ...base, confidence: () => Number.NaN })).rejects.toThrow(
      /confidence must be a scorer that returns finite numbers, got NaN/,
    );
  });
});
