import { describe, expect, it } from 'vitest';
import { expectClose, randomNormal, seededRandom } from '../testing/index.js';
import { attentionRollout, createAttentionMaps } from './index.js';

const tokens = (T: number) => Array.from({ length: T }, (_, t) => `t${t}`);
const selfMaps = (L: number, H: number, T: number, data: Float32Array) =>
  createAttentionMaps({
    kind: 'self',
    layers: [...Array(L).keys()],
    heads: [...Array(H).keys()],
    queryLabels: tokens(T),
    keyLabels: tokens(T),
    data,
  });

/** Float64 reference: Ã_l = (1 − r)·mean_h A + r·I, rows normalised, R = Ã_L ··· Ã_1 by naive matrix products. */
function referenceRollout(
  data: Float32Array,
  L: number,
  H: number,
  T: number,
  r: number,
): number[][] {
  let R: number[][] | undefined;
  for (let l = 0; l < L; l++) {
    const mixed = Array.from({ length: T }, (_, i) => {
      const row = Array.from({ length: T }, (_, j) => {
        let mean = 0;
        for (let h = 0; h < H; h++) mean += (data[((l * H + h) * T + i) * T + j] as number) / H;
        return (1 - r) * mean + (i === j ? r : 0);
      });
      const Z = row.reduce((a, b) => a + b);
      return row.map((value) => value / Z);
    });
    const previous = R;
    R =
      previous === undefined
        ? mixed
        : mixed.map((row) =>
            previous[0]!.map((_, j) => row.reduce((sum, a, k) => sum + a * previous[k]![j]!, 0)),
          );
  }
  return R!;
}

describe('attentionRollout', () => {
  it('matches a hand-worked example', () => {
    // 3 tokens, 2 layers, one head, r = 0.5.
    // A_1 = [[1,0,0],[1,0,0],[0,1,0]] -> Ã_1 = 0.5·A_1 + 0.5·I = [[1,0,0],[.5,.5,0],[0,.5,.5]]
    // A_2 = [[0,0,1],[0,0,1],[0,0,1]] -> Ã_2 = [[.5,0,.5],[0,.5,.5],[0,0,1]]
    // R = Ã_2 · Ã_1:
    //   row 0 = .5·[1,0,0] + .5·[0,.5,.5]  = [.5, .25, .25]
    //   row 1 = .5·[.5,.5,0] + .5·[0,.5,.5] = [.25, .5, .25]
    //   row 2 = 1·[0,.5,.5]                 = [0, .5, .5]
    const data = new Float32Array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    const rollout = attentionRollout(selfMaps(2, 1, 3, data));
    expect(rollout.dims).toEqual([3, 3]);
    expectClose(rollout.data, [0.5, 0.25, 0.25, 0.25, 0.5, 0.25, 0, 0.5, 0.5]);
  });

  it('matches a float64 reference on random multi-head maps, with rows summing to 1', () => {
    const [L, H, T] = [4, 3, 5];
    const data = Float32Array.from(randomNormal(seededRandom(21), L * H * T * T), (value) =>
      Math.exp(value),
    );
    for (const r of [0.5, 0.2]) {
      const rollout = attentionRollout(selfMaps(L, H, T, data), { residualWeight: r }).data;
      expectClose(rollout, referenceRollout(data, L, H, T, r).flat(), {
        atol: 1e-6,
        label: `r = ${r}`,
      });
      for (let i = 0; i < T; i++)
        expect(rollout.subarray(i * T, (i + 1) * T).reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    }
  });

  it('computes chosen rows alone (queries) equal to those rows of the full product', () => {
    const [L, H, T] = [5, 2, 7];
    const data = Float32Array.from(randomNormal(seededRandom(5), L * H * T * T), (value) =>
      Math.exp(value),
    );
    const maps = selfMaps(L, H, T, data);
    const full = attentionRollout(maps, { residualWeight: 0.3 });
    const rows = attentionRollout(maps, { residualWeight: 0.3, queries: [0, 6, 3] });
    expect(rows.dims).toEqual([3, T]);
    expectClose(
      rows.data,
      [0, 6, 3].flatMap((query) => [...full.data.subarray(query * T, (query + 1) * T)]),
      { atol: 1e-6 },
    );
    expect(
      attentionRollout(selfMaps(1, 1, 2, new Float32Array([1, 0, 0, 1])), { queries: [1] }).data,
    ).toEqual(new Float32Array([0, 1]));
    for (const queries of [[7], [-1], [0.5], 'all'])
      expect(() => attentionRollout(maps, { queries: queries as number[] })).toThrow(
        /attentionRollout\(\): options.queries must be an array of token indices in \[0, 7\)/,
      );
  });

  it('is the identity when the residual weight is 1, and turns masked rows into identity rows', () => {
    const data = Float32Array.from(randomNormal(seededRandom(2), 2 * 9), Math.abs);
    expectClose(
      attentionRollout(selfMaps(2, 1, 3, data), { residualWeight: 1 }).data,
      [1, 0, 0, 0, 1, 0, 0, 0, 1],
    );
    // one layer, row 1 masked: Ã row 1 = 0.5·0 + 0.5·e_1, renormalised to e_1
    expectClose(
      attentionRollout(selfMaps(1, 1, 2, new Float32Array([0.5, 0.5, 0, 0]))).data,
      [0.75, 0.25, 0, 1],
    );
  });

  it('rejects cross-attention and a residual weight outside [0, 1]', () => {
    const cross = createAttentionMaps({
      kind: 'cross',
      layers: [0],
      heads: [0],
      queryLabels: ['a'],
      keyLabels: ['b', 'c'],
      data: new Float32Array([0.5, 0.5]),
    });
    expect(() => attentionRollout(cross)).toThrow(
      /attentionRollout\(\): maps must be square self-attention maps \(queries = keys\), got cross maps \[1,1,1,2\]/,
    );
    expect(() =>
      attentionRollout(selfMaps(1, 1, 1, new Float32Array([1])), { residualWeight: 2 }),
    ).toThrow(/residualWeight must be a number in \[0, 1\], got 2/);
  });
});
