// Multi-head attention (Vaswani et al. 2017 §3.2.2, https://arxiv.org/abs/1706.03762) with grouped-query attention
// (Ainslie et al. 2023, https://arxiv.org/abs/2305.13245): Hkv key/value heads, each shared by H / Hkv query heads.
//
// B batch, T queries, S context positions, E query width, Ec context width, H heads, Hkv key/value heads,
// D query/key head depth, Dv value head depth, Eo output width. Weights are [in, out] (y = x W + b, the papers' notation).
// query [B,T,E]  context [B,S,Ec]  Wq [E,H·D]  Wk [Ec,Hkv·D]  Wv [Ec,Hkv·Dv]  Wo [H·Dv,Eo]  output [B,T,Eo]  weights [B,H,T,S]
import { describeValue, invalidArgument } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import type { AttentionMask } from './attention-mask.js';
import { linear } from './linear.js';
import { scaledDotProductAttention, type AttentionResult } from './scaled-dot-product-attention.js';
import { expectDims, expectFloat32, expectInteger } from './validation.js';

/** Projection weights [in, out] and optional biases [out] of one attention block. */
export interface MultiHeadAttentionWeights {
  /** Wq [E, H·D] */
  queryWeight: Tensor<'float32'>;
  queryBias?: Tensor<'float32'>;
  /** Wk [Ec, Hkv·D] */
  keyWeight: Tensor<'float32'>;
  keyBias?: Tensor<'float32'>;
  /** Wv [Ec, Hkv·Dv] */
  valueWeight: Tensor<'float32'>;
  valueBias?: Tensor<'float32'>;
  /** Wo [H·Dv, Eo] */
  outputWeight: Tensor<'float32'>;
  outputBias?: Tensor<'float32'>;
}

/** Options of {@link multiHeadAttention}. */
export interface MultiHeadAttentionOptions {
  /** H, the number of query heads. */
  numHeads: number;
  /** Hkv, dividing H. Default H (plain multi-head attention); 1 is multi-query attention. */
  numKeyValueHeads?: number;
  /** Keep or additive mask broadcastable to [B,H,T,S] (see {@link AttentionMask}). */
  mask?: AttentionMask;
  /** Default 1 / sqrt(D). */
  scale?: number;
  /** Return the weights [B,H,T,S]. Default true. */
  returnWeights?: boolean;
}

/**
 * Multi-head (or grouped-query) attention of `query` [B,T,E] over `context` [B,S,Ec]: pass the same tensor twice
 * for self-attention, the encoder states as `context` for cross-attention.
 *
 * @example
 * ```ts
 * // E = 2, one head of depth 2, identity projections, scale 1: plain attention of x over itself.
 * const x = createTensor('float32', [1, 2, 2], new Float32Array([0, 0, Math.log(3), 0]));
 * const identity = createTensor('float32', [2, 2], new Float32Array([1, 0, 0, 1]));
 * const weights = { queryWeight: identity, keyWeight: identity, valueWeight: identity, outputWeight: identity };
 * const result = multiHeadAttention(x, x, weights, { numHeads: 1, scale: 1 });
 * result.weights?.data; // [0.5, 0.5, 0.2302…, 0.7698…]: row 0 scores [0, 0]; row 1 scores [0, (ln 3)²]
 * result.output.data; // [0.5493…, 0, 0.8457…, 0]: row t is Σ_s weight_s · x_s
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a wrong rank, a non-float32 or empty tensor, head counts that are not positive
 * integers or do not divide the projection widths; SHAPE_MISMATCH for weights or biases whose dims disagree.
 */
export function multiHeadAttention(
  query: Tensor<'float32'>,
  context: Tensor<'float32'>,
  weights: MultiHeadAttentionWeights,
  options: MultiHeadAttentionOptions,
): AttentionResult {
  const fn = 'multiHeadAttention';
  const [B, T, E] = expectFloat32(fn, 'query', query, 3) as [number, number, number];
  const [contextBatch, S, Ec] = expectFloat32(fn, 'context', context, 3) as [
    number,
    number,
    number,
  ];
  expectDims(fn, 'context', [contextBatch, S, Ec], [B, S, Ec], '([B,S,Ec], B as in query)');
  const H = expectInteger(fn, 'options.numHeads', options?.numHeads, 1);
  const Hkv = expectInteger(fn, 'options.numKeyValueHeads', options.numKeyValueHeads ?? H, 1);
  if (H % Hkv !== 0)
    throw invalidArgument(
      fn,
      'options.numKeyValueHeads',
      `a divisor of numHeads = ${H}`,
      describeValue(Hkv),
    );
  const D = headDepth(fn, 'weights.queryWeight', weights?.queryWeight, E, H, '[E,H·D]');
  expectMatrix(fn, 'weights.keyWeight', weights.keyWeight, [Ec, Hkv * D], '[Ec,Hkv·D]');
  const Dv = headDepth(fn, 'weights.valueWeight', weights.valueWeight, Ec, Hkv, '[Ec,Hkv·Dv]');
  const [, Eo] = expectFloat32(fn, 'weights.outputWeight', weights.outputWeight, 2) as [
    number,
    number,
  ];
  expectMatrix(fn, 'weights.outputWeight', weights.outputWeight, [H * Dv, Eo], '[H·Dv,Eo]');
  const queryBias = expectBias(fn, 'weights.queryBias', weights.queryBias, H * D);
  const keyBias = expectBias(fn, 'weights.keyBias', weights.keyBias, Hkv * D);
  const valueBias = expectBias(fn, 'weights.valueBias', weights.valueBias, Hkv * Dv);
  const outputBias = expectBias(fn, 'weights.outputBias', weights.outputBias, Eo);

  // 1) project
  const q = linear(query.data, B * T, E, weights.queryWeight.data, queryBias, H * D); // [B,T,H·D]
  const k = linear(context.data, B * S, Ec, weights.keyWeight.data, keyBias, Hkv * D); // [B,S,Hkv·D]
  const v = linear(context.data, B * S, Ec, weights.valueWeight.data, valueBias, Hkv * Dv); // [B,S,Hkv·Dv]
  // 2) split heads, 3) attend
  const attended = scaledDotProductAttention(
    { type: 'float32', data: swapMiddleAxes(q, B, T, H, D), dims: [B, H, T, D] },
    { type: 'float32', data: swapMiddleAxes(k, B, S, Hkv, D), dims: [B, Hkv, S, D] },
    { type: 'float32', data: swapMiddleAxes(v, B, S, Hkv, Dv), dims: [B, Hkv, S, Dv] },
    { mask: options.mask, scale: options.scale, returnWeights: options.returnWeights },
  );
  // 4) merge heads, project out
  const merged = swapMiddleAxes(attended.output.data, B, H, T, Dv); // [B,T,H·Dv]
  const output = linear(merged, B * T, H * Dv, weights.outputWeight.data, outputBias, Eo); // [B,T,Eo]
  return { output: { type: 'float32', data: output, dims: [B, T, Eo] }, weights: attended.weights };
}

/** [A,M,N,K] -> [A,N,M,K]: splits heads ([B,L,H,D] -> [B,H,L,D]) and merges them back. */
function swapMiddleAxes(x: Float32Array, A: number, M: number, N: number, K: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let a = 0; a < A; a++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        const from = ((a * M + i) * N + j) * K;
        const to = ((a * N + j) * M + i) * K;
        for (let k = 0; k < K; k++) y[to + k] = x[from + k] as number;
      }
    }
  }
  return y;
}

function headDepth(
  fn: string,
  argument: string,
  weight: Tensor<'float32'> | undefined,
  rows: number,
  heads: number,
  legend: string,
): number {
  const [weightRows, columns] = expectFloat32(fn, argument, weight as Tensor, 2) as [
    number,
    number,
  ];
  if (weightRows !== rows || columns % heads !== 0) {
    throw invalidArgument(
      fn,
      argument,
      `a ${legend} matrix with ${rows} rows and columns divisible by ${heads} heads`,
      describeValue([weightRows, columns]),
    );
  }
  return columns / heads;
}

function expectMatrix(
  fn: string,
  argument: string,
  weight: Tensor<'float32'>,
  dims: number[],
  legend: string,
): void {
  expectDims(fn, argument, expectFloat32(fn, argument, weight, 2), dims, legend);
}

function expectBias(
  fn: string,
  argument: string,
  bias: Tensor<'float32'> | undefined,
  width: number,
): Float32Array | undefined {
  if (bias === undefined) return undefined;
  expectDims(
    fn,
    argument,
    expectFloat32(fn, argument, bias, 1),
    [width],
    '(one per projected column)',
  );
  return bias.data;
}
