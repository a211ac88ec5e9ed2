import { describe, expect, it } from 'vitest';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectClose, randomInt, seededRandom } from '../testing/index.js';
import { multiplicativeAttention, type LuongScore } from './multiplicative-attention.js';
import { naiveSoftmax, randomTensor } from '../testing/naive-attention.js';

/** Float64 Luong attention with the score written out per kind. */
function naiveLuong(
  query: Tensor<'float32'>,
  states: Tensor<'float32'>,
  score: LuongScore,
  keep?: Uint8Array,
) {
  const [B, Dq] = query.dims as [number, number];
  const [, S, Dk] = states.dims as [number, number, number];
  const h = (b: number, i: number) => query.data[b * Dq + i] as number;
  const hBar = (b: number, s: number, j: number) => states.data[(b * S + s) * Dk + j] as number;
  const scoreOf = (b: number, s: number): number => {
    let sum = 0;
    if (score.kind === 'dot') for (let i = 0; i < Dq; i++) sum += h(b, i) * hBar(b, s, i);
    if (score.kind === 'general') {
      for (let i = 0; i < Dq; i++)
        for (let j = 0; j < Dk; j++)
          sum += h(b, i) * (score.weight.data[i * Dk + j] as number) * hBar(b, s, j);
    }
    if (score.kind === 'concat') {
      const A = score.scoreVector.dims[0] as number;
      const joined = [
        ...Array.from({ length: Dq }, (_, i) => h(b, i)),
        ...Array.from({ length: Dk }, (_, j) => hBar(b, s, j)),
      ];
      for (let a = 0; a < A; a++) {
        const hidden = joined.reduce(
          (acc, x, row) => acc + x * (score.weight.data[row * A + a] as number),
          0,
        );
        sum += (score.scoreVector.data[a] as number) * Math.tanh(hidden);
      }
    }
    return sum;
  };
  const output: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < B; b++) {
    const row = naiveSoftmax(
      Array.from({ length: S }, (_, s) =>
        keep === undefined || keep[b * S + s] ? scoreOf(b, s) : -Infinity,
      ),
    );
    weights.push(...row);
    for (let j = 0; j < Dk; j++)
      output.push(row.reduce((acc, weight, s) => acc + weight * hBar(b, s, j), 0));
  }
  return { output, weights };
}

describe('multiplicativeAttention', () => {
  it('matches a float64 reference for the dot, general and concat scores', () => {
    const random = seededRandom(51);
    for (let trial = 0; trial < 36; trial++) {
      const kind = (['dot', 'general', 'concat'] as const)[trial % 3] as LuongScore['kind'];
      const [B, S, Dq, A] = [
        randomInt(random, 1, 4),
        randomInt(random, 1, 8),
        randomInt(random, 1, 6),
        randomInt(random, 1, 5),
      ];
      const Dk = kind === 'dot' ? Dq : randomInt(random, 1, 6);
      const [query, states] = [randomTensor(random, [B, Dq]), randomTensor(random, [B, S, Dk])];
      const score: LuongScore =
        kind === 'dot'
          ? { kind }
          : kind === 'general'
            ? { kind, weight: randomTensor(random, [Dq, Dk]) }
            : {
                kind,
                weight: randomTensor(random, [Dq + Dk, A]),
                scoreVector: randomTensor(random, [A], 2),
              };
      const mask =
        trial % 4 === 0
          ? createTensor(
              'bool',
              [B, S],
              Uint8Array.from({ length: B * S }, () => (random() < 0.7 ? 1 : 0)),
            )
          : undefined;
      const result = multiplicativeAttention(query, states, score, { mask });
      const expected = naiveLuong(query, states, score, mask?.data);
      expectClose(result.output.data, expected.output, { label: `${kind} output, trial ${trial}` });
      expectClose(result.weights?.data ?? [], expected.weights, {
        label: `${kind} weights, trial ${trial}`,
      });
    }
  });

  it('works through a hand-worked dot example', () => {
    // h_t = [1, 0]; h̄ = [[0, 1], [ln 3, 0]]: scores [0, ln 3] -> α = [1/4, 3/4]; c = [3/4 · ln 3, 1/4]
    const result = multiplicativeAttention(
      createTensor('float32', [1, 2], new Float32Array([1, 0])),
      createTensor('float32', [1, 2, 2], new Float32Array([0, 1, Math.log(3), 0])),
      { kind: 'dot' },
    );
    expectClose(result.weights?.data ?? [], [0.25, 0.75]);
    expectClose(result.output.data, [0.75 * Math.log(3), 0.25]);
  });

  it('gives zeros for a fully masked row', () => {
    const random = seededRandom(52);
    const mask = createTensor('bool', [1, 3], new Uint8Array([0, 0, 0]));
    const result = multiplicativeAttention(
      randomTensor(random, [1, 2]),
      randomTensor(random, [1, 3, 2]),
      { kind: 'dot' },
      { mask },
    );
    expect(Array.from(result.output.data)).toEqual([0, 0]);
  });

  it('rejects unknown kinds and mismatched widths', () => {
    const random = seededRandom(53);
    const [query, states] = [randomTensor(random, [1, 2]), randomTensor(random, [1, 3, 4])];
    expect(() => multiplicativeAttention(query, states, { kind: 'dot' })).toThrow(
      'multiplicativeAttention(): encoderStates must have shape [1,3,2] (Dk = Dq for the dot score), got [1,3,4].',
    );
    expect(() => multiplicativeAttention(query, states, { kind: 'bilinear' } as never)).toThrow(
      "multiplicativeAttention(): score.kind must be 'dot', 'general' or 'concat', got 'bilinear'.",
    );
    expect(() =>
      multiplicativeAttention(query, states, {
        kind: 'general',
        weight: randomTensor(random, [4, 2]),
      }),
    ).toThrow(
      'multiplicativeAttention(): score.weight must have shape [2,4] ([Dq,Dk]), got [4,2].',
    );
    expect(() =>
      multiplicativeAttention(query, states, {
        kind: 'concat',
        weight: randomTensor(random, [5, 3]),
        scoreVector: randomTensor(random, [3]),
      }),
    ).toThrow(/score.weight must have shape \[6,3\] \(\[Dq\+Dk,A\]\)/);
  });
});
