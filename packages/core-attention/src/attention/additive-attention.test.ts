import { describe, expect, it } from 'vitest';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectClose, randomInt, seededRandom } from '../testing/index.js';
import { additiveAttention, type AdditiveAttentionWeights } from './additive-attention.js';
import { naiveSoftmax, randomTensor } from '../testing/naive-attention.js';

/** Float64 Bahdanau attention: e_s = Σ_a v_a tanh(Σ_i q_i Wq[i,a] + Σ_j h_sj Wk[j,a] + b_a). */
function naiveAdditive(
  query: Tensor<'float32'>,
  states: Tensor<'float32'>,
  w: AdditiveAttentionWeights,
  keep?: Uint8Array,
) {
  const [B, Dq] = query.dims as [number, number];
  const [, S, Dk] = states.dims as [number, number, number];
  const A = w.scoreVector.dims[0] as number;
  const output: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < B; b++) {
    const scores: number[] = [];
    for (let s = 0; s < S; s++) {
      let score = 0;
      for (let a = 0; a < A; a++) {
        let hidden = w.bias === undefined ? 0 : (w.bias.data[a] as number);
        for (let i = 0; i < Dq; i++)
          hidden += (query.data[b * Dq + i] as number) * (w.queryWeight.data[i * A + a] as number);
        for (let j = 0; j < Dk; j++)
          hidden +=
            (states.data[(b * S + s) * Dk + j] as number) * (w.keyWeight.data[j * A + a] as number);
        score += (w.scoreVector.data[a] as number) * Math.tanh(hidden);
      }
      scores.push(keep === undefined || keep[b * S + s] ? score : -Infinity);
    }
    const row = naiveSoftmax(scores);
    weights.push(...row);
    for (let j = 0; j < Dk; j++)
      output.push(
        row.reduce(
          (sum, weight, s) => sum + weight * (states.data[(b * S + s) * Dk + j] as number),
          0,
        ),
      );
  }
  return { output, weights };
}

describe('additiveAttention', () => {
  it('matches a float64 reference on random sizes, with and without bias and mask', () => {
    const random = seededRandom(41);
    for (let trial = 0; trial < 30; trial++) {
      const [B, S, Dq, Dk, A] = [
        randomInt(random, 1, 4),
        randomInt(random, 1, 8),
        randomInt(random, 1, 6),
        randomInt(random, 1, 6),
        randomInt(random, 1, 6),
      ];
      const [query, states] = [randomTensor(random, [B, Dq]), randomTensor(random, [B, S, Dk])];
      const weights: AdditiveAttentionWeights = {
        queryWeight: randomTensor(random, [Dq, A]),
        keyWeight: randomTensor(random, [Dk, A]),
        scoreVector: randomTensor(random, [A], 2),
        bias: trial % 2 === 0 ? randomTensor(random, [A]) : undefined,
      };
      const mask =
        trial % 3 === 0
          ? createTensor(
              'bool',
              [B, S],
              Uint8Array.from({ length: B * S }, () => (random() < 0.7 ? 1 : 0)),
            )
          : undefined;
      const result = additiveAttention(query, states, weights, { mask });
      const expected = naiveAdditive(query, states, weights, mask?.data);
      expect(result.output.dims).toEqual([B, Dk]);
      expectClose(result.output.data, expected.output, { label: `output, trial ${trial}` });
      expectClose(result.weights?.data ?? [], expected.weights, {
        label: `weights, trial ${trial}`,
      });
    }
  });

  it('works through a hand-worked example', () => {
    // W_q = 0, W_k = 1, v = 1: e = tanh(h) = [tanh 0, tanh 10] ≈ [0, 1]; α = [1, e] / (1 + e) = [0.2689, 0.7311]
    const one = (value: number) => createTensor('float32', [1, 1], new Float32Array([value]));
    const result = additiveAttention(
      one(5),
      createTensor('float32', [1, 2, 1], new Float32Array([0, 10])),
      {
        queryWeight: one(0),
        keyWeight: one(1),
        scoreVector: createTensor('float32', [1], new Float32Array([1])),
      },
    );
    const alpha = Math.exp(Math.tanh(10)) / (1 + Math.exp(Math.tanh(10)));
    expectClose(result.weights?.data ?? [], [1 - alpha, alpha]);
    expectClose(result.output.data, [10 * alpha]);
  });

  it('gives zeros for a fully masked row and skips the weights when asked', () => {
    const random = seededRandom(42);
    const weights = {
      queryWeight: randomTensor(random, [2, 3]),
      keyWeight: randomTensor(random, [2, 3]),
      scoreVector: randomTensor(random, [3]),
    };
    const mask = createTensor('uint8', [2, 2], new Uint8Array([0, 0, 1, 1]));
    const result = additiveAttention(
      randomTensor(random, [2, 2]),
      randomTensor(random, [2, 2, 2]),
      weights,
      { mask },
    );
    expect(Array.from(result.output.data.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(result.weights?.data.subarray(0, 2) ?? [])).toEqual([0, 0]);
    expect(
      additiveAttention(randomTensor(random, [1, 2]), randomTensor(random, [1, 2, 2]), weights, {
        returnWeights: false,
      }).weights,
    ).toBeUndefined();
  });

  it('rejects mismatched widths and masks', () => {
    const random = seededRandom(43);
    const weights = {
      queryWeight: randomTensor(random, [2, 3]),
      keyWeight: randomTensor(random, [2, 3]),
      scoreVector: randomTensor(random, [3]),
    };
    const [query, states] = [randomTensor(random, [1, 2]), randomTensor(random, [1, 4, 2])];
    expect(() =>
      additiveAttention(query, states, { ...weights, keyWeight: randomTensor(random, [2, 4]) }),
    ).toThrow(
      'additiveAttention(): weights.keyWeight must have shape [2,3] ([Dk,A], A as in queryWeight), got [2,4].',
    );
    expect(() => additiveAttention(query, randomTensor(random, [2, 4, 2]), weights)).toThrow(
      'additiveAttention(): encoderStates must have shape [1,4,2] ([B,S,Dk], B as in decoderState), got [2,4,2].',
    );
    expect(() =>
      additiveAttention(query, states, weights, { mask: createTensor('bool', [1, 3]) }),
    ).toThrow('additiveAttention(): options.mask must have shape [1,4] ([B,S]), got [1,3].');
    expect(() => additiveAttention(query, createTensor('float32', [1, 0, 2]), weights)).toThrow(
      /encoderStates must be a non-empty tensor/,
    );
  });
});
