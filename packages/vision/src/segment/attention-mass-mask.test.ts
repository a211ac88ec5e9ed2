import { seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { attentionMassMask } from './attention-mass-mask.js';

const kept = (mask: Uint8Array) => [...mask.keys()].filter((position) => mask[position] === 1);

describe('attentionMassMask', () => {
  it("keeps the hand-worked set of DINO's rule", () => {
    // Ascending: 0.1 (#0), 0.2 (#2), 0.3 (#3), 0.4 (#1); running sums 0.1, 0.3, 0.6, 1.0; keep those > 0.4.
    expect(attentionMassMask(new Float32Array([0.1, 0.4, 0.2, 0.3]), 0.6)).toEqual(
      new Uint8Array([0, 1, 0, 1]),
    );
    // Unnormalised weights: 8 patches, total 20. Ascending 0 (#5), 1 (#2), 1 (#6), 2 (#0), 2 (#7), 3 (#3), 5 (#1),
    // 6 (#4); running sums / 20: 0, .05, .10, .20, .30, .45, .70, 1.0; > 0.4 keeps #3, #1, #4 (14 / 20 = 70% of the mass).
    const weights = new Float32Array([2, 5, 1, 3, 6, 0, 1, 2]);
    expect(kept(attentionMassMask(weights))).toEqual([1, 3, 4]);
    // At 0.5 the threshold is 0.5: the running sum 0.45 of #3 no longer passes.
    expect(kept(attentionMassMask(weights, 0.5))).toEqual([1, 4]);
    // massFraction 1 keeps every non-zero weight; the zero at #5 has a running sum of 0, not > 0.
    expect(kept(attentionMassMask(weights, 1))).toEqual([0, 1, 2, 3, 4, 6, 7]);
  });

  it('breaks ties by position and keeps nothing of an all-zero map', () => {
    // four equal weights, 60%: running sums .25, .5, .75, 1 by position; > .4 keeps positions 1, 2, 3
    expect(kept(attentionMassMask(new Float32Array([1, 1, 1, 1])))).toEqual([1, 2, 3]);
    expect(attentionMassMask(new Float32Array(5))).toEqual(new Uint8Array(5));
  });

  it('keeps the fewest largest weights that reach the mass, on random maps', () => {
    const random = seededRandom(21);
    for (let trial = 0; trial < 100; trial++) {
      const weights = Float32Array.from({ length: 1 + (trial % 40) }, () => random() ** 3);
      const fraction = 0.1 + 0.9 * random();
      const mask = attentionMassMask(weights, fraction);
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      const keptWeights = kept(mask).map((position) => weights[position]!);
      const dropped = [...weights.keys()].filter((position) => mask[position] === 0);
      const keptMass = keptWeights.reduce((sum, weight) => sum + weight, 0);
      // enough mass (the rule keeps running sums above 1 - fraction)
      expect(keptMass / total).toBeGreaterThanOrEqual(fraction - 1e-6);
      // the largest weights: nothing dropped outweighs anything kept
      for (const position of dropped)
        expect(weights[position]!).toBeLessThanOrEqual(Math.min(...keptWeights));
      // the fewest: without the smallest kept weight the mass falls short
      expect((keptMass - Math.min(...keptWeights)) / total).toBeLessThan(fraction + 1e-6);
    }
  });

  it('refuses bad weights and fractions', () => {
    expect(() => attentionMassMask(new Float32Array([0.5, Number.NaN]))).toThrow(
      'attentionMassMask(): weights must be non-negative finite attention weights, got NaN at position 1.',
    );
    expect(() => attentionMassMask(new Float32Array([0.5, -0.1]))).toThrow('got -0.1');
    expect(() => attentionMassMask(new Float32Array(0))).toThrow(
      'attentionMassMask(): weights must be a non-empty Float32Array',
    );
    expect(() => attentionMassMask(new Float32Array([1]), 0)).toThrow(
      'attentionMassMask(): massFraction must be a number in (0, 1], got 0.',
    );
  });
});
