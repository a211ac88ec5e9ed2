import { describe, expect, it } from 'vitest';
import { expectClose, randomInt, randomNormal, seededRandom } from '../testing/index.js';
import { createTensor } from '../tensor/index.js';
import { medianFilter, standardizeAlignmentHeads } from './index.js';

/** Naive reference: pad each row by reflection (no edge repeat), then sort every window. */
function naiveMedian(row: number[], width: number): number[] {
  const half = (width - 1) / 2;
  if (row.length <= half) return row;
  const padded = [
    ...row.slice(1, half + 1).reverse(),
    ...row,
    ...row.slice(-half - 1, -1).reverse(),
  ];
  return row.map((_, f) => [...padded.slice(f, f + width)].sort((a, b) => a - b)[half] as number);
}

describe('medianFilter', () => {
  it('matches the hand example', () => {
    // width 3, padded [2 | 1 2 9 3 | 9] -> medians (2,1,2)=2 (1,2,9)=2 (2,9,3)=3 (9,3,9)=9
    expect([
      ...medianFilter(createTensor('float32', [4], new Float32Array([1, 2, 9, 3])), 3).data,
    ]).toEqual([2, 2, 3, 9]);
  });

  it('matches a naive padded-and-sorted reference along the last axis', () => {
    const random = seededRandom(31);
    for (let trial = 0; trial < 30; trial++) {
      const rows = randomInt(random, 1, 4);
      const length = randomInt(random, 1, 12);
      const width = 2 * randomInt(random, 0, 5) + 1; // 1, 3, ..., 9
      const values = randomNormal(random, rows * length);
      const filtered = medianFilter(createTensor('float32', [rows, length], values), width);
      const expected: number[] = [];
      for (let r = 0; r < rows; r++)
        expected.push(
          ...naiveMedian(Array.from(values.subarray(r * length, (r + 1) * length)), width),
        );
      expectClose(filtered.data, expected, {
        atol: 0,
        rtol: 0,
        label: `rows ${rows}, length ${length}, width ${width}`,
      });
    }
  });

  it('keeps the element type and returns a copy when the axis is too short to reflect', () => {
    const input = createTensor('float64', [2, 3], new Float64Array([3, 1, 2, 6, 5, 4]));
    const unchanged = medianFilter(input, 7); // 3 ≤ 7 // 2
    expect(unchanged.type).toBe('float64');
    expect([...unchanged.data]).toEqual([3, 1, 2, 6, 5, 4]);
    expect(unchanged.data).not.toBe(input.data);
  });

  it('rejects even or non-positive widths', () => {
    const input = createTensor('float32', [3]);
    expect(() => medianFilter(input, 4)).toThrow(
      'medianFilter(): width must be a positive odd integer, got 4.',
    );
    expect(() => medianFilter(input, -1)).toThrow(/positive odd integer, got -1/);
  });
});

describe('standardizeAlignmentHeads', () => {
  it('standardises each frame across tokens, per head, with the population std', () => {
    // head 0: frame 0 = (0.2, 0.6): mean .4, std .2 -> (−1, 1); frame 1 = (0.8, 0.4) -> (1, −1)
    // head 1: frame 0 = (1, 1, 1)-like constant column -> zeros; here 2 tokens (3, 3) -> (0, 0); frame 1 = (0, 4) -> (−1, 1)
    const weights = createTensor(
      'float64',
      [2, 2, 2],
      new Float64Array([0.2, 0.8, 0.6, 0.4, 3, 0, 3, 4]),
    );
    expectClose(standardizeAlignmentHeads(weights).data, [-1, 1, 1, -1, 0, -1, 0, 1], {
      atol: 1e-12,
    });
  });

  it('matches a float64 reference on random heads', () => {
    const [K, T, F] = [3, 4, 6];
    const values = randomNormal(seededRandom(12), K * T * F);
    const expected = new Float64Array(K * T * F);
    for (let k = 0; k < K; k++) {
      for (let f = 0; f < F; f++) {
        const column = Array.from({ length: T }, (_, t) => values[(k * T + t) * F + f] as number);
        const mean = column.reduce((a, b) => a + b) / T;
        const std = Math.sqrt(column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / T);
        column.forEach((value, t) => (expected[(k * T + t) * F + f] = (value - mean) / std));
      }
    }
    expectClose(
      standardizeAlignmentHeads(createTensor('float32', [K, T, F], values)).data,
      expected,
      { atol: 1e-5 },
    );
  });

  it('rejects tensors of rank below 2', () => {
    expect(() => standardizeAlignmentHeads(createTensor('float32', [3]))).toThrow(
      /weights must be a tensor of rank ≥ 2 \(\[..., tokens, frames\]\), got rank 1/,
    );
  });
});
