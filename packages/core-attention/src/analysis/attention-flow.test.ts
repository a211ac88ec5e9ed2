import { describe, expect, it } from 'vitest';
import { AttnError } from '../errors/index.js';
import { expectClose, randomNormal, seededRandom } from '../testing/index.js';
import { ATTENTION_FLOW_MAX_WORK, attentionFlow, createAttentionMaps } from './index.js';
import { layeredMaxFlow, maxFlowScratch } from './layered-max-flow.js';

const tokens = (T: number) => Array.from({ length: T }, (_, t) => `t${t}`);
const selfMaps = (L: number, T: number, data: Float32Array) =>
  createAttentionMaps({
    kind: 'self',
    layers: [...Array(L).keys()],
    heads: [0],
    queryLabels: tokens(T),
    keyLabels: tokens(T),
    data,
  });

/**
 * Independent reference: max-flow = min-cut (Ford–Fulkerson theorem). Enumerates every node set X that holds
 * the source and not the sink, and sums the capacities of the edges leaving X.
 */
function bruteForceMinCut(
  C: Float64Array,
  L: number,
  T: number,
  source: number,
  sink: number,
): number {
  const nodes = (L + 1) * T;
  const sinkNode = L * T + sink;
  let best = Infinity;
  for (let subset = 0; subset < 2 ** nodes; subset++) {
    const inX = (node: number) => ((subset >> node) & 1) === 1;
    if (!inX(source) || inX(sinkNode)) continue;
    let cut = 0;
    for (let l = 1; l <= L; l++) {
      for (let i = 0; i < T; i++) {
        for (let j = 0; j < T; j++)
          if (inX((l - 1) * T + j) && !inX(l * T + i))
            cut += C[(l - 1) * T * T + i * T + j] as number;
      }
    }
    best = Math.min(best, cut);
  }
  return best;
}

describe('layeredMaxFlow', () => {
  it('solves a hand-worked two-layer graph', () => {
    // 2 nodes per level. Level 0 -> 1: from node 0: to 0 cap 0.5, to 1 cap 0.5; from node 1: anything.
    // Level 1 -> 2 into sink node 0: from 0 cap 0.2, from 1 cap 0.9.
    // Paths from source 0: 0→0→0 carries min(0.5, 0.2) = 0.2; 0→1→0 carries min(0.5, 0.9) = 0.5; total 0.7.
    // C[l][i, j] is the edge j -> i:
    const C = new Float64Array([0.5, 1, 0.5, 1, /* layer 2 */ 0.2, 0.9, 0, 0]);
    expect(layeredMaxFlow(C, 2, 2, 0, 0, maxFlowScratch(2, 2))).toBeCloseTo(0.7, 12);
  });

  it('equals the brute-force minimum cut on random graphs, including ones that need flow undone', () => {
    const random = seededRandom(9);
    for (const [L, T] of [
      [1, 3],
      [2, 2],
      [2, 3],
      [3, 2],
    ] as const) {
      for (let trial = 0; trial < 4; trial++) {
        // sparse random capacities (about a third zero) make augmenting paths that later need cancelling
        const C = Float64Array.from({ length: L * T * T }, () => (random() < 0.35 ? 0 : random()));
        const scratch = maxFlowScratch(L, T);
        for (let source = 0; source < T; source++) {
          for (let sink = 0; sink < T; sink++) {
            expect(layeredMaxFlow(C, L, T, source, sink, scratch)).toBeCloseTo(
              bruteForceMinCut(C, L, T, source, sink),
              10,
            );
          }
        }
      }
    }
  });
});

describe('attentionFlow', () => {
  it('is the residual-mixed attention itself for one layer', () => {
    // A = [[0.2, 0.8], [0.6, 0.4]], r = 0.5 -> Ã = [[0.6, 0.4], [0.3, 0.7]]
    expectClose(
      attentionFlow(selfMaps(1, 2, new Float32Array([0.2, 0.8, 0.6, 0.4]))).data,
      [0.6, 0.4, 0.3, 0.7],
    );
  });

  it('matches the brute-force minimum cut through the residual-mixed graph', () => {
    const [L, T] = [2, 3];
    const data = Float32Array.from(randomNormal(seededRandom(4), L * T * T), (value) =>
      Math.exp(value),
    );
    const flow = attentionFlow(selfMaps(L, T, data), { residualWeight: 0.3 }).data;
    // rebuild Ã independently: (1 − r)·A + r·I with rows normalised
    const C = new Float64Array(L * T * T);
    for (let row = 0; row < L * T; row++) {
      const values = Array.from(
        { length: T },
        (_, j) => 0.7 * (data[row * T + j] as number) + (j === row % T ? 0.3 : 0),
      );
      const Z = values.reduce((a, b) => a + b);
      values.forEach((value, j) => (C[row * T + j] = value / Z));
    }
    for (let i = 0; i < T; i++)
      for (let j = 0; j < T; j++)
        expect(flow[i * T + j]).toBeCloseTo(bruteForceMinCut(C, L, T, j, i), 5);
  });

  it('refuses graphs over the work limit with UNSUPPORTED', () => {
    const T = 33; // 1 · 33⁴ > 2²⁰
    expect(T ** 4).toBeGreaterThan(ATTENTION_FLOW_MAX_WORK);
    const maps = selfMaps(1, T, new Float32Array(T * T).fill(1 / T));
    expect(() => attentionFlow(maps)).toThrow(AttnError);
    expect(() => attentionFlow(maps)).toThrow(
      /attentionFlow\(\): 1 layers × 33 tokens needs L·T⁴ = 1185921 steps.*Fix: select fewer layers/,
    );
    try {
      attentionFlow(maps);
    } catch (error) {
      expect((error as AttnError).code).toBe('UNSUPPORTED');
    }
  });

  it('bounds each flow by the capacity into the output node, which is at most 1', () => {
    const [L, T] = [4, 6];
    const data = Float32Array.from(randomNormal(seededRandom(8), L * T * T), (value) =>
      Math.exp(value),
    );
    const flow = attentionFlow(selfMaps(L, T, data)).data;
    expect(flow.every((value) => value > 0 && value <= 1 + 1e-6)).toBe(true);
  });
});
