import { describe, expect, it } from 'vitest';
import { finiteRange, normalizeHeatmap } from './normalize-heatmap.js';

describe('finiteRange', () => {
  it('skips NaN and infinities, and gives [0, 0] when nothing is finite', () => {
    expect(finiteRange(new Float32Array([3, Number.NaN, -1, Infinity, -Infinity]))).toEqual([
      -1, 3,
    ]);
    expect(finiteRange(new Float32Array([5, 1, 2, 9]), 1, 3)).toEqual([1, 2]);
    expect(finiteRange(new Float32Array([Number.NaN, Infinity]))).toEqual([0, 0]);
  });
});

describe('normalizeHeatmap', () => {
  it('stretches min-max, per row, or a fixed domain to [0, 1], keeping NaN', () => {
    const values = new Float32Array([1, 3, 10, Number.NaN]);
    // min-max over {1, 3, 10}: (v - 1) / 9.
    expect([...normalizeHeatmap('f', values, 2, 2, 'min-max')]).toEqual([
      0,
      Math.fround(2 / 9),
      1,
      Number.NaN,
    ]);
    // per row: row 0 over {1, 3}; row 1 has the single finite value 10, a zero range -> 0.
    expect([...normalizeHeatmap('f', values, 2, 2, 'per-row')]).toEqual([0, 1, 0, Number.NaN]);
    // fixed [0, 4]: 10 saturates at 1.
    expect([...normalizeHeatmap('f', values, 2, 2, [0, 4])]).toEqual([0.25, 0.75, 1, Number.NaN]);
  });
});
