import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../tensor/index.js';
import { sampleIndex } from './random.js';

describe('sampleIndex', () => {
  it('inverts the cumulative distribution', () => {
    // probabilities 0.25, 0, 0.75: cumulative 0.25, 0.25, 1
    const logProbabilities = Float32Array.from([0.25, 0, 0.75], Math.log);
    expect(sampleIndex(logProbabilities, () => 0)).toBe(0);
    expect(sampleIndex(logProbabilities, () => 0.2499)).toBe(0);
    expect(sampleIndex(logProbabilities, () => 0.2501)).toBe(2);
    expect(sampleIndex(logProbabilities, () => 0.9999999)).toBe(2);
  });

  it('never draws -Infinity or NaN entries, and returns -1 when nothing is drawable', () => {
    const logProbabilities = new Float32Array([
      Number.NEGATIVE_INFINITY,
      Math.log(0.5),
      Number.NaN,
    ]);
    expect(sampleIndex(logProbabilities, () => 0.99)).toBe(1); // total 0.5 < 0.99: the last drawable
    expect(sampleIndex(new Float32Array([Number.NEGATIVE_INFINITY]), () => 0.5)).toBe(-1);
  });

  it('draws with the right frequencies', () => {
    const random = seededRandom(3);
    const logProbabilities = Float32Array.from([0.2, 0.5, 0.3], Math.log);
    const counts = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const index = sampleIndex(logProbabilities, random);
      counts[index] = (counts[index] as number) + 1;
    }
    // standard error ≤ sqrt(0.25 / 4000) ≈ 0.008; 0.03 is over 3.5 of them
    const expected = [0.2, 0.5, 0.3];
    counts.forEach((count, index) =>
      expect(Math.abs(count / 4000 - (expected[index] as number))).toBeLessThan(0.03),
    );
  });
});
