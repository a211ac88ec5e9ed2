import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '../testing/index.js';
import {
  aggregateAttention,
  aggregateHeads,
  createAttentionMaps,
  type AttentionMaps,
} from './index.js';

const [L, H, T, S] = [3, 4, 2, 5];
const maps = createAttentionMaps({
  kind: 'cross',
  layers: [1, 2, 4],
  heads: [0, 1, 2, 3],
  queryLabels: ['q0', 'q1'],
  keyLabels: ['k0', 'k1', 'k2', 'k3', 'k4'],
  data: Float32Array.from(randomNormal(seededRandom(11), L * H * T * S), Math.abs),
});

/** Float64 reference: value of (layer position l, head position h) at cell x. */
const at = (m: AttentionMaps, l: number, h: number, x: number): number =>
  m.data[(l * H + h) * T * S + x] as number;

describe('aggregateHeads', () => {
  it('matches a float64 reference for mean, max, select and weights', () => {
    const weights = [1, 0, 2, 5];
    const reference = {
      mean: new Float64Array(L * T * S),
      max: new Float64Array(L * T * S),
      select: new Float64Array(L * T * S),
      weights: new Float64Array(L * T * S),
    };
    for (let l = 0; l < L; l++) {
      for (let x = 0; x < T * S; x++) {
        const values = [0, 1, 2, 3].map((h) => at(maps, l, h, x));
        reference.mean[l * T * S + x] = values.reduce((a, b) => a + b) / H;
        reference.max[l * T * S + x] = Math.max(...values);
        reference.select[l * T * S + x] = ((values[1] as number) + (values[3] as number)) / 2;
        reference.weights[l * T * S + x] =
          values.reduce((sum, value, h) => sum + value * (weights[h] as number), 0) / 8;
      }
    }
    expect(aggregateHeads(maps).dims).toEqual([L, T, S]);
    expectClose(aggregateHeads(maps).data, reference.mean, { label: 'mean' });
    expectClose(aggregateHeads(maps, 'max').data, reference.max, { label: 'max' });
    expectClose(aggregateHeads(maps, { select: [3, 1] }).data, reference.select, {
      label: 'select',
    });
    expectClose(aggregateHeads(maps, { weights }).data, reference.weights, { label: 'weights' });
  });

  it('rejects malformed reductions', () => {
    expect(() => aggregateHeads(maps, { select: [9] })).toThrow(
      /reduction.select must be one of the covered indices \[0,1,2,3\], got 9/,
    );
    expect(() => aggregateHeads(maps, { weights: [1, 1] })).toThrow(
      /reduction.weights must be 4 non-negative finite weights/,
    );
    expect(() => aggregateHeads(maps, { weights: [0, 0, 0, 0] })).toThrow(/positive sum/);
    expect(() => aggregateHeads(maps, 'median' as never)).toThrow(
      /reduction must be 'mean', 'max'/,
    );
  });
});

describe('aggregateAttention', () => {
  it('combines heads then layers, and averages listed pairs', () => {
    const meanAll = new Float64Array(T * S);
    const maxThenLayer2 = new Float64Array(T * S);
    const pairs = new Float64Array(T * S);
    for (let x = 0; x < T * S; x++) {
      for (let l = 0; l < L; l++)
        for (let h = 0; h < H; h++)
          meanAll[x] = (meanAll[x] as number) + at(maps, l, h, x) / (L * H);
      maxThenLayer2[x] = Math.max(...[0, 1, 2, 3].map((h) => at(maps, 1, h, x)));
      pairs[x] = (at(maps, 0, 2, x) + at(maps, 2, 0, x)) / 2; // original (1, 2) and (4, 0)
    }
    expectClose(aggregateAttention(maps).data, meanAll, { label: 'mean of all' });
    expectClose(
      aggregateAttention(maps, { heads: 'max', layers: { select: [2] } }).data,
      maxThenLayer2,
      { label: 'max, layer 2' },
    );
    expectClose(
      aggregateAttention(maps, {
        pairs: [
          [1, 2],
          [4, 0],
        ],
      }).data,
      pairs,
      { label: 'pairs' },
    );
  });

  it('keeps distributions as distributions under mean and weighted mean', () => {
    const rows = Float32Array.from(randomNormal(seededRandom(3), 2 * 2 * 1 * 4), (value) =>
      Math.exp(value),
    );
    for (let row = 0; row < 4; row++) {
      const sum = rows.subarray(row * 4, row * 4 + 4).reduce((a, b) => a + b);
      for (let k = 0; k < 4; k++) rows[row * 4 + k] = (rows[row * 4 + k] as number) / sum;
    }
    const distributions = createAttentionMaps({
      kind: 'self',
      layers: [0, 1],
      heads: [0, 1],
      queryLabels: ['a'],
      keyLabels: ['a', 'b', 'c', 'd'],
      data: rows,
    });
    const combined = aggregateAttention(distributions, { heads: { weights: [0.2, 3] } }).data;
    expect(combined.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
  });

  it('rejects pairs mixed with reductions, repeated or uncovered pairs', () => {
    expect(() => aggregateAttention(maps, { pairs: [[1, 0]], heads: 'max' })).toThrow(
      /either pairs or heads \/ layers, not both/,
    );
    expect(() =>
      aggregateAttention(maps, {
        pairs: [
          [1, 0],
          [1, 0],
        ],
      }),
    ).toThrow(/distinct \[layer, head\] pairs, got \[1,0\]/);
    expect(() => aggregateAttention(maps, { pairs: [[3, 0]] })).toThrow(
      /options.pairs layer must be one of the covered indices \[1,2,4\], got 3/,
    );
    expect(() => aggregateAttention(maps, { pairs: [] })).toThrow(/non-empty list/);
  });
});
