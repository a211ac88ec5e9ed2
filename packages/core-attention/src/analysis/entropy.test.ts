import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '../testing/index.js';
import { createAttentionMaps, headEntropy, headStatistics } from './index.js';

const selfMaps = (heads: number, tokens: number, data: Float32Array) =>
  createAttentionMaps({
    kind: 'self',
    layers: [0],
    heads: Array.from({ length: heads }, (_, h) => h),
    queryLabels: Array.from({ length: tokens }, (_, t) => `t${t}`),
    keyLabels: Array.from({ length: tokens }, (_, t) => `t${t}`),
    data,
  });

describe('headEntropy', () => {
  it('gives ln S for uniform rows and 0 for one-hot rows', () => {
    const S = 7;
    const uniform = new Float32Array(S * S).fill(1 / S);
    const oneHot = new Float32Array(S * S);
    for (let t = 0; t < S; t++) oneHot[t * S + ((t + 3) % S)] = 1;
    const entropy = headEntropy(selfMaps(2, S, Float32Array.of(...uniform, ...oneHot)));
    expect(entropy.dims).toEqual([1, 2]);
    expectClose(entropy.data, [Math.log(S), 0], { atol: 1e-6 });
  });

  it('renormalises rows, skips masked rows, and gives NaN for a fully masked head', () => {
    // head 0: row 0 = (2, 2) -> (0.5, 0.5): ln 2; row 1 masked -> mean over row 0 only. head 1: all masked.
    const entropy = headEntropy(selfMaps(2, 2, new Float32Array([2, 2, 0, 0, 0, 0, 0, 0]))).data;
    expect(entropy[0]).toBeCloseTo(Math.log(2), 12);
    expect(entropy[1]).toBeNaN();
  });

  it('matches a float64 reference on random rows', () => {
    const T = 5;
    const data = Float32Array.from(randomNormal(seededRandom(5), 3 * T * T), (value) =>
      Math.exp(2 * value),
    );
    const reference: number[] = [];
    for (let h = 0; h < 3; h++) {
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const row = Array.from(data.subarray((h * T + t) * T, (h * T + t + 1) * T));
        const Z = row.reduce((a, b) => a + b);
        sum += -row.reduce((acc, w) => acc + (w / Z) * Math.log(w / Z), 0);
      }
      reference.push(sum / T);
    }
    expectClose(headEntropy(selfMaps(3, T, data)).data, reference, { atol: 1e-10 });
  });

  it('rejects negative weights', () => {
    expect(() => headEntropy(selfMaps(1, 2, new Float32Array([0.5, -0.5, 1, 0])))).toThrow(
      /headEntropy\(\): maps.data\[1\] must be a non-negative attention weight, got -0.5. Likely cause: the maps hold scores/,
    );
  });
});

describe('headStatistics', () => {
  it('reports peakedness and distance of hand-made heads', () => {
    // head 0: identity (each token reads itself): distance 0. head 1: uniform over 3 tokens:
    // distance per row = (|t−0| + |t−1| + |t−2|) / 3 = (3, 2, 3) / 3 for t = 0, 1, 2 -> mean 8/9.
    const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    const uniform = new Array<number>(9).fill(1 / 3);
    const [first, second] = headStatistics(
      selfMaps(2, 3, Float32Array.from([...identity, ...uniform])),
    );
    expect(first).toEqual({
      layer: 0,
      head: 0,
      entropy: 0,
      meanMaxWeight: 1,
      maxWeight: 1,
      distance: 0,
    });
    expect(second?.head).toBe(1);
    expect(second?.entropy).toBeCloseTo(Math.log(3), 6);
    expect(second?.meanMaxWeight).toBeCloseTo(1 / 3, 6);
    expect(second?.distance).toBeCloseTo(8 / 9, 6);
  });

  it('skips masked rows and reports NaN for a fully masked head', () => {
    // row 0 reads token 1 only (distance 1); row 1 is masked
    const [only] = headStatistics(selfMaps(1, 2, new Float32Array([0, 3, 0, 0])));
    expect(only).toEqual({
      layer: 0,
      head: 0,
      entropy: 0,
      meanMaxWeight: 1,
      maxWeight: 1,
      distance: 1,
    });
    expect(headStatistics(selfMaps(1, 2, new Float32Array(4)))[0]?.distance).toBeNaN();
  });
});
