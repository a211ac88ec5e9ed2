import { describe, expect, it } from 'vitest';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectClose, randomInt, seededRandom } from '../testing/index.js';
import { randomTensor } from '../testing/naive-attention.js';
import { applyRotaryPositions } from './rotary-positions.js';

/** Float64 RoPE: pair j of the vector (its two feature indices per layout) times the complex number e^{i p θ_j}. */
function naiveRotate(
  vector: number[],
  position: number,
  rotaryDim: number,
  layout: 'half-split' | 'interleaved',
  base = 10000,
): number[] {
  const result = [...vector];
  for (let j = 0; j < rotaryDim / 2; j++) {
    const [a, b] = layout === 'interleaved' ? [2 * j, 2 * j + 1] : [j, j + rotaryDim / 2];
    const theta = 1 / base ** ((2 * j) / rotaryDim);
    const [re, im] = [Math.cos(position * theta), Math.sin(position * theta)];
    const [x, y] = [vector[a] as number, vector[b] as number];
    result[a] = x * re - y * im; // (x + iy)(re + i·im)
    result[b] = x * im + y * re;
  }
  return result;
}

const rowOf = (x: Tensor<'float32'>, index: number) => {
  const D = x.dims[3] as number;
  return Array.from(x.data.subarray(index * D, (index + 1) * D));
};

describe('applyRotaryPositions', () => {
  it('matches a float64 complex-rotation reference for both layouts, partial rotation and per-row positions', () => {
    const random = seededRandom(71);
    for (let trial = 0; trial < 30; trial++) {
      const layout = trial % 2 === 0 ? 'half-split' : 'interleaved';
      const [B, H, T] = [randomInt(random, 1, 3), randomInt(random, 1, 3), randomInt(random, 1, 5)];
      const D = 2 * randomInt(random, 1, 6);
      const rotaryDim = 2 * randomInt(random, 1, D / 2 + 1);
      const perRow = trial % 3 === 0;
      const positions = Array.from({ length: perRow ? B * T : T }, () => randomInt(random, 0, 500));
      const x = randomTensor(random, [B, H, T, D]);
      const rotated = applyRotaryPositions(x, { layout, rotaryDim, positions });
      const expected: number[] = [];
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          for (let t = 0; t < T; t++)
            expected.push(
              ...naiveRotate(
                rowOf(x, (b * H + h) * T + t),
                positions[perRow ? b * T + t : t] as number,
                rotaryDim,
                layout,
              ),
            );
        }
      }
      expectClose(rotated.data, expected, { label: `${layout}, trial ${trial}` });
    }
  });

  it('makes q · k depend only on the distance between their positions', () => {
    const random = seededRandom(72);
    const [q, k] = [randomTensor(random, [1, 1, 1, 8]), randomTensor(random, [1, 1, 1, 8])];
    const score = (p: number, r: number) => {
      const a = applyRotaryPositions(q, { positions: [p] }).data;
      const b = applyRotaryPositions(k, { positions: [r] }).data;
      return a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);
    };
    expectClose(
      [score(10, 3), score(107, 100), score(7, 0)],
      [score(7, 0), score(7, 0), score(7, 0)],
      { atol: 1e-4 },
    );
    expect(Math.abs(score(7, 0) - score(0, 7))).toBeGreaterThan(1e-3); // direction matters
  });

  it('rotates [1, 0] at position 1 by one radian and defaults to positions 0..T-1', () => {
    const x = createTensor('float32', [1, 1, 2, 2], new Float32Array([1, 0, 1, 0]));
    expectClose(applyRotaryPositions(x).data, [1, 0, Math.cos(1), Math.sin(1)]);
  });

  it('relates the layouts by a permutation of features: interleaved = P⁻¹ · half-split · P', () => {
    const random = seededRandom(73);
    const x = randomTensor(random, [1, 1, 3, 6]);
    const toHalfSplit = [0, 2, 4, 1, 3, 5]; // half-split feature f holds interleaved feature toHalfSplit[f]
    const permuted = createTensor('float32', [1, 1, 3, 6], new Float32Array(18));
    for (let t = 0; t < 3; t++)
      toHalfSplit.forEach(
        (from, to) => (permuted.data[t * 6 + to] = x.data[t * 6 + from] as number),
      );
    const halfSplit = applyRotaryPositions(permuted, { positions: [4, 9, 30] });
    const interleaved = applyRotaryPositions(x, { positions: [4, 9, 30], layout: 'interleaved' });
    for (let t = 0; t < 3; t++)
      toHalfSplit.forEach((from, to) =>
        expect(halfSplit.data[t * 6 + to]).toBeCloseTo(interleaved.data[t * 6 + from] as number, 6),
      );
  });

  it('rotates in place when output is the input', () => {
    const x = createTensor('float32', [1, 1, 2, 2], new Float32Array([1, 0, 1, 0]));
    expect(applyRotaryPositions(x, { output: x.data }).data).toBe(x.data);
    expectClose(x.data, [1, 0, Math.cos(1), Math.sin(1)]);
  });

  it('rejects a bad rotary width, positions and layout', () => {
    const x = createTensor('float32', [1, 2, 3, 4]);
    expect(() => applyRotaryPositions(x, { rotaryDim: 3 })).toThrow(
      'applyRotaryPositions(): options.rotaryDim must be an even integer <= D = 4, got 3.',
    );
    expect(() => applyRotaryPositions(x, { rotaryDim: 6 })).toThrow(/even integer <= D = 4, got 6/);
    expect(() => applyRotaryPositions(x, { positions: [0, 1] })).toThrow(
      'applyRotaryPositions(): options.positions must be 3 (T) or 3 (B·T) finite numbers, got [0,1].',
    );
    expect(() => applyRotaryPositions(x, { positions: [0, 1, Number.NaN] })).toThrow(
      /finite numbers, got \[0,1,NaN\]/,
    );
    expect(() => applyRotaryPositions(x, { layout: 'neox' as never })).toThrow(
      /options.layout must be 'half-split' or 'interleaved'/,
    );
    expect(() => applyRotaryPositions(createTensor('float32', [2, 4]))).toThrow(
      'applyRotaryPositions(): x must be a rank-4 tensor, got rank 2 [2,4].',
    );
  });
});
