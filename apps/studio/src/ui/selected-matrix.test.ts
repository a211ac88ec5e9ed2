import { createAttentionMaps } from '@attn/core-attention';
import { expectClose, randomInt, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { selectedMatrix, type LayerOrMean } from './selected-matrix.js';

/** float64 reference: mean over the chosen layers and heads, straight from [L, H, Q, K]. */
function naiveSelection(
  data: Float32Array,
  dims: readonly [number, number, number, number],
  layers: readonly number[],
  heads: readonly number[],
): Float64Array {
  const [, H, Q, K] = dims;
  const out = new Float64Array(Q * K);
  for (const l of layers)
    for (const h of heads)
      for (let q = 0; q < Q; q++)
        for (let k = 0; k < K; k++)
          out[q * K + k]! += data[((l * H + h) * Q + q) * K + k]! / (layers.length * heads.length);
  return out;
}

describe('selectedMatrix', () => {
  it('works the docs example by hand', () => {
    const maps = createAttentionMaps({
      kind: 'cross',
      layers: [0, 1],
      heads: [0, 1],
      queryLabels: ['x'],
      keyLabels: ['a', 'b'],
      data: new Float32Array([1, 0, 0, 1, 0.5, 0.5, 0.25, 0.75]),
    });
    // layer 1, heads averaged: ([0.5, 0.5] + [0.25, 0.75]) / 2
    expect([...selectedMatrix(maps, 1, 'mean')]).toEqual([0.375, 0.625]);
    // head 0, layers averaged: ([1, 0] + [0.5, 0.5]) / 2
    expect([...selectedMatrix(maps, 'mean', 0)]).toEqual([0.75, 0.25]);
    expect([...selectedMatrix(maps, 0, 1)]).toEqual([0, 1]);
  });

  it('equals a float64 mean over the chosen layers and heads on random maps', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const dims = [
        randomInt(random, 1, 4),
        randomInt(random, 1, 5),
        randomInt(random, 1, 6),
        randomInt(random, 1, 7),
      ] as const;
      const data = Float32Array.from({ length: dims[0] * dims[1] * dims[2] * dims[3] }, () =>
        random(),
      );
      // covered layers and heads need not start at 0 (a model tapped at some layers only)
      const layers = Array.from({ length: dims[0] }, (_, index) => 2 * index + 1);
      const heads = Array.from({ length: dims[1] }, (_, index) => index);
      const maps = createAttentionMaps({
        kind: 'self',
        layers,
        heads,
        queryLabels: Array.from({ length: dims[2] }, (_, index) => `q${index}`),
        keyLabels: Array.from({ length: dims[3] }, (_, index) => `k${index}`),
        data,
      });
      const layer: LayerOrMean = random() < 0.5 ? 'mean' : layers[randomInt(random, 0, dims[0])]!;
      const head: LayerOrMean = random() < 0.5 ? 'mean' : randomInt(random, 0, dims[1]);
      const expected = naiveSelection(
        data,
        dims,
        layer === 'mean' ? layers.map((_, index) => index) : [layers.indexOf(layer)],
        head === 'mean' ? heads : [head],
      );
      expectClose(selectedMatrix(maps, layer, head), expected, { atol: 1e-6 });
    }
  });

  it('refuses a layer the maps do not cover', () => {
    const maps = createAttentionMaps({
      kind: 'self',
      layers: [3],
      heads: [0],
      queryLabels: ['a'],
      keyLabels: ['a'],
      data: new Float32Array([1]),
    });
    expect(() => selectedMatrix(maps, 0, 'mean')).toThrow(
      /must be one of the covered indices \[3\], got 0/,
    );
  });
});
