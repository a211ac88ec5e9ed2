import { describe, expect, it } from 'vitest';
import { createTensor, type Tensor } from '../tensor/index.js';
import { expectClose, randomInt, seededRandom, type Random } from '../testing/index.js';
import { combineMasks } from './attention-mask.js';
import { causalMask, paddingMask } from './masks.js';
import { multiHeadAttention, type MultiHeadAttentionWeights } from './multi-head-attention.js';
import { naiveLinear, naiveSoftmax, randomTensor } from '../testing/naive-attention.js';

interface Sizes {
  B: number;
  T: number;
  S: number;
  E: number;
  Ec: number;
  H: number;
  Hkv: number;
  D: number;
  Dv: number;
  Eo: number;
}

function randomWeights(
  random: Random,
  { E, Ec, H, Hkv, D, Dv, Eo }: Sizes,
  withBias: boolean,
): MultiHeadAttentionWeights {
  const bias = (width: number) => (withBias ? randomTensor(random, [width], 0.5) : undefined);
  return {
    queryWeight: randomTensor(random, [E, H * D], 0.5),
    queryBias: bias(H * D),
    keyWeight: randomTensor(random, [Ec, Hkv * D], 0.5),
    keyBias: bias(Hkv * D),
    valueWeight: randomTensor(random, [Ec, Hkv * Dv], 0.5),
    valueBias: bias(Hkv * Dv),
    outputWeight: randomTensor(random, [H * Dv, Eo], 0.5),
    outputBias: bias(Eo),
  };
}

/** Float64 multi-head attention straight from the projections: head h of Q reads key/value head floor(h · Hkv / H). */
function naiveMultiHead(
  query: Tensor<'float32'>,
  context: Tensor<'float32'>,
  w: MultiHeadAttentionWeights,
  { B, T, S, H, Hkv, D, Dv }: Sizes,
  keep: (b: number, t: number, s: number) => boolean,
): { output: number[]; weights: number[] } {
  const q = naiveLinear(query.data, B * T, w.queryWeight, w.queryBias); // [B,T,H·D]
  const k = naiveLinear(context.data, B * S, w.keyWeight, w.keyBias); // [B,S,Hkv·D]
  const v = naiveLinear(context.data, B * S, w.valueWeight, w.valueBias); // [B,S,Hkv·Dv]
  const heads = new Array<number>(B * T * H * Dv).fill(0); // [B,T,H·Dv]
  const weights: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor((h * Hkv) / H);
      for (let t = 0; t < T; t++) {
        const scores: number[] = [];
        for (let s = 0; s < S; s++) {
          let score = 0;
          for (let d = 0; d < D; d++)
            score +=
              (q[(b * T + t) * H * D + h * D + d] as number) *
              (k[(b * S + s) * Hkv * D + g * D + d] as number);
          scores.push(keep(b, t, s) ? score / Math.sqrt(D) : -Infinity);
        }
        const row = naiveSoftmax(scores);
        weights.push(...row);
        for (let e = 0; e < Dv; e++) {
          let sum = 0;
          for (let s = 0; s < S; s++)
            sum += (row[s] as number) * (v[(b * S + s) * Hkv * Dv + g * Dv + e] as number);
          heads[(b * T + t) * H * Dv + h * Dv + e] = sum;
        }
      }
    }
  }
  return { output: naiveLinear(heads, B * T, w.outputWeight, w.outputBias), weights };
}

function randomSizes(random: Random, self: boolean): Sizes {
  const H = randomInt(random, 1, 5);
  const divisors = [1, 2, 3, 4].filter((n) => H % n === 0);
  const [B, T, E] = [randomInt(random, 1, 3), randomInt(random, 1, 5), randomInt(random, 1, 9)];
  return {
    B,
    T,
    S: self ? T : randomInt(random, 1, 7),
    E,
    Ec: self ? E : randomInt(random, 1, 9),
    H,
    Hkv: divisors[randomInt(random, 0, divisors.length)] as number,
    D: randomInt(random, 1, 6),
    Dv: randomInt(random, 1, 6),
    Eo: randomInt(random, 1, 9),
  };
}

describe('multiHeadAttention', () => {
  it('matches a float64 reference for self-attention with padding + causal masks and grouped heads', () => {
    const random = seededRandom(31);
    for (let trial = 0; trial < 25; trial++) {
      const sizes = randomSizes(random, true);
      const { B, T, E, H, Hkv } = sizes;
      const x = randomTensor(random, [B, T, E]);
      const weights = randomWeights(random, sizes, trial % 2 === 0);
      const lengths = Array.from({ length: B }, () => randomInt(random, 1, T + 1));
      const attentionMask = createTensor(
        'int64',
        [B, T],
        BigInt64Array.from({ length: B * T }, (_, i) =>
          i % T < (lengths[Math.floor(i / T)] as number) ? 1n : 0n,
        ),
      );
      const mask = combineMasks(paddingMask(attentionMask), causalMask(T, T));
      const result = multiHeadAttention(x, x, weights, {
        numHeads: H,
        numKeyValueHeads: Hkv,
        mask,
      });
      const expected = naiveMultiHead(
        x,
        x,
        weights,
        sizes,
        (b, t, s) => s <= t && s < (lengths[b] as number),
      );
      expect(result.output.dims).toEqual([B, T, sizes.Eo]);
      expectClose(result.output.data, expected.output, { label: `output, trial ${trial}` });
      expectClose(result.weights?.data ?? [], expected.weights, {
        label: `weights, trial ${trial}`,
      });
    }
  });

  it('matches a float64 reference for cross-attention over a context of another length and width', () => {
    const random = seededRandom(32);
    for (let trial = 0; trial < 25; trial++) {
      const sizes = randomSizes(random, false);
      const { B, T, S, E, Ec, H, Hkv } = sizes;
      const [query, context] = [randomTensor(random, [B, T, E]), randomTensor(random, [B, S, Ec])];
      const weights = randomWeights(random, sizes, trial % 2 === 1);
      const result = multiHeadAttention(query, context, weights, {
        numHeads: H,
        numKeyValueHeads: Hkv,
      });
      const expected = naiveMultiHead(query, context, weights, sizes, () => true);
      expectClose(result.output.data, expected.output, { label: `output, trial ${trial}` });
      expectClose(result.weights?.data ?? [], expected.weights, {
        label: `weights, trial ${trial}`,
      });
    }
  });

  it('equals plain multi-head attention when numKeyValueHeads = numHeads, and when grouped heads are repeated', () => {
    const random = seededRandom(33);
    const sizes: Sizes = { B: 2, T: 3, S: 4, E: 6, Ec: 5, H: 4, Hkv: 4, D: 3, Dv: 2, Eo: 6 };
    const [query, context] = [randomTensor(random, [2, 3, 6]), randomTensor(random, [2, 4, 5])];
    const full = randomWeights(random, sizes, true);
    const plain = multiHeadAttention(query, context, full, { numHeads: 4 });
    const explicit = multiHeadAttention(query, context, full, { numHeads: 4, numKeyValueHeads: 4 });
    expect(Array.from(explicit.output.data)).toEqual(Array.from(plain.output.data));
    // Hkv = 2: repeating each key/value head's columns for its 2 query heads gives an equivalent MHA
    const grouped = randomWeights(random, { ...sizes, Hkv: 2 }, true);
    const repeatHeads = (matrix: Tensor<'float32'>, depth: number): Tensor<'float32'> => {
      const rows = matrix.dims.length === 1 ? 1 : (matrix.dims[0] as number);
      const data = new Float32Array(rows * 4 * depth);
      for (let r = 0; r < rows; r++) {
        for (let h = 0; h < 4; h++) {
          for (let d = 0; d < depth; d++)
            data[r * 4 * depth + h * depth + d] = matrix.data[
              r * 2 * depth + Math.floor(h / 2) * depth + d
            ] as number;
        }
      }
      return {
        type: 'float32',
        data,
        dims: matrix.dims.length === 1 ? [4 * depth] : [rows, 4 * depth],
      };
    };
    const expanded = {
      ...grouped,
      keyWeight: repeatHeads(grouped.keyWeight, 3),
      keyBias: repeatHeads(grouped.keyBias as Tensor<'float32'>, 3),
      valueWeight: repeatHeads(grouped.valueWeight, 2),
      valueBias: repeatHeads(grouped.valueBias as Tensor<'float32'>, 2),
    };
    const gqa = multiHeadAttention(query, context, grouped, { numHeads: 4, numKeyValueHeads: 2 });
    const mha = multiHeadAttention(query, context, expanded, { numHeads: 4 });
    expectClose(gqa.output.data, mha.output.data);
    expectClose(gqa.weights?.data ?? [], mha.weights?.data ?? []);
  });

  it('skips the weights when asked', () => {
    const random = seededRandom(34);
    const sizes: Sizes = { B: 1, T: 2, S: 2, E: 4, Ec: 4, H: 2, Hkv: 2, D: 2, Dv: 2, Eo: 4 };
    const x = randomTensor(random, [1, 2, 4]);
    const result = multiHeadAttention(x, x, randomWeights(random, sizes, false), {
      numHeads: 2,
      returnWeights: false,
    });
    expect(result.weights).toBeUndefined();
    expect(result.output.dims).toEqual([1, 2, 4]);
  });

  it('rejects bad head counts and mismatched weights with readable messages', () => {
    const random = seededRandom(35);
    const sizes: Sizes = { B: 1, T: 2, S: 2, E: 4, Ec: 4, H: 2, Hkv: 2, D: 3, Dv: 3, Eo: 4 };
    const weights = randomWeights(random, sizes, true);
    const x = randomTensor(random, [1, 2, 4]);
    expect(() => multiHeadAttention(x, x, weights, { numHeads: 4 })).toThrow(
      'multiHeadAttention(): weights.queryWeight must be a [E,H·D] matrix with 4 rows and columns divisible by 4 heads, got [4,6].',
    );
    expect(() => multiHeadAttention(x, x, weights, { numHeads: 2, numKeyValueHeads: 3 })).toThrow(
      'multiHeadAttention(): options.numKeyValueHeads must be a divisor of numHeads = 2, got 3.',
    );
    expect(() => multiHeadAttention(x, x, weights, { numHeads: 0 })).toThrow(
      'multiHeadAttention(): options.numHeads must be a positive integer, got 0.',
    );
    expect(() =>
      multiHeadAttention(x, randomTensor(random, [1, 2, 5]), weights, { numHeads: 2 }),
    ).toThrow(
      'multiHeadAttention(): weights.keyWeight must have shape [5,6] [Ec,Hkv·D], got [4,6].',
    );
    expect(() =>
      multiHeadAttention(x, randomTensor(random, [2, 2, 4]), weights, { numHeads: 2 }),
    ).toThrow(/context must have shape \[1,2,4\]/);
    expect(() =>
      multiHeadAttention(
        x,
        x,
        { ...weights, outputBias: randomTensor(random, [3]) },
        { numHeads: 2 },
      ),
    ).toThrow(
      'multiHeadAttention(): weights.outputBias must have shape [4] (one per projected column), got [3].',
    );
    expect(() =>
      multiHeadAttention(randomTensor(random, [2, 4]), x, weights, { numHeads: 2 }),
    ).toThrow(/query must be a rank-3 tensor/);
  });
});
