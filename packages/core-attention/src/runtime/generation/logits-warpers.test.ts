import { describe, expect, it } from 'vitest';
import { randomNormal, seededRandom } from '../../testing/index.js';
import { applyTemperature, applyTopK, applyTopP } from './logits-warpers.js';

const minus = Number.NEGATIVE_INFINITY;
const kept = (values: Float32Array): number[] =>
  Array.from(values.keys()).filter((index) => (values[index] as number) > minus);

describe('applyTemperature', () => {
  it('divides every logit', () => {
    expect(Array.from(applyTemperature(new Float32Array([1, -2, 0]), 0.5))).toEqual([2, -4, 0]);
  });
});

describe('applyTopK', () => {
  it('keeps the k largest and anything tied with the k-th', () => {
    expect(Array.from(applyTopK(new Float32Array([1, 3, 2, 3]), 2))).toEqual([minus, 3, minus, 3]);
    expect(Array.from(applyTopK(new Float32Array([1, 3, 2, 2]), 2))).toEqual([minus, 3, 2, 2]);
  });

  it('keeps everything for k = 0 or k ≥ length, and exactly the argmax for k = 1 on distinct values', () => {
    expect(Array.from(applyTopK(new Float32Array([1, 2]), 0))).toEqual([1, 2]);
    expect(Array.from(applyTopK(new Float32Array([1, 2]), 5))).toEqual([1, 2]);
    const values = randomNormal(seededRandom(2), 50);
    const argmax = values.indexOf(Math.max(...values));
    expect(kept(applyTopK(values, 1))).toEqual([argmax]);
  });
});

describe('applyTopP', () => {
  // probabilities 0.1, 0.5, 0.3, 0.1 (tokens 0..3): sorted 0.5 (1), 0.3 (2), 0.1 (0), 0.1 (3)
  const logits = (): Float32Array => Float32Array.from([0.1, 0.5, 0.3, 0.1], Math.log);

  it('keeps the smallest most likely set whose mass reaches p', () => {
    expect(kept(applyTopP(logits(), 0.45))).toEqual([1]); // 0.5 ≥ 0.45
    expect(kept(applyTopP(logits(), 0.7))).toEqual([1, 2]); // 0.5 < 0.7 ≤ 0.8
    expect(kept(applyTopP(logits(), 0.85))).toEqual([0, 1, 2]); // 0.8 < 0.85 ≤ 0.9 (tie: lower index first)
    expect(kept(applyTopP(logits(), 1))).toEqual([0, 1, 2, 3]);
  });

  it('always keeps the most likely token and leaves kept logits unchanged', () => {
    const values = logits();
    applyTopP(values, 1e-9);
    expect(kept(values)).toEqual([1]);
    expect(values[1]).toBe(Math.fround(Math.log(0.5)));
  });

  it('ignores tokens already removed by top-k', () => {
    const values = Float32Array.from([0.1, 0.5, 0.3, 0.1], Math.log);
    applyTopK(values, 2); // renormalised over {1, 2}: 0.625, 0.375
    expect(kept(applyTopP(Float32Array.from(values), 0.6))).toEqual([1]);
    expect(kept(applyTopP(Float32Array.from(values), 0.7))).toEqual([1, 2]);
  });
});
