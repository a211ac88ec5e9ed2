// Additive attention (Bahdanau, Cho & Bengio 2014, https://arxiv.org/abs/1409.0473, §3.1 and appendix A.1.2):
// e_s = vᵀ tanh(W_q q + W_k h_s + b), α = softmax(e) over the unmasked positions, context = Σ_s α_s h_s.
//
// B batch, S encoder positions, Dq decoder state width, Dk encoder state width, A attention width.
// decoderState [B,Dq] (the paper's s_{i-1})  encoderStates [B,S,Dk] (annotations h_j)
// W_q [Dq,A]  W_k [Dk,A]  v [A]  b [A]  weights [B,S] (α)  output [B,Dk] (context c_i)
import type { Tensor } from '../tensor/index.js';
import { attendEncoder, encoderDims, type EncoderAttentionOptions } from './encoder-attention.js';
import { linear } from './linear.js';
import type { AttentionResult } from './scaled-dot-product-attention.js';
import { expectDims, expectFloat32 } from './validation.js';

/** Parameters of additive attention, [in, out] as in x W. */
export interface AdditiveAttentionWeights {
  /** W_q [Dq, A] (the paper's W_a) */
  queryWeight: Tensor<'float32'>;
  /** W_k [Dk, A] (the paper's U_a) */
  keyWeight: Tensor<'float32'>;
  /** v [A] (the paper's v_a) */
  scoreVector: Tensor<'float32'>;
  /** b [A], absent in the paper, present in most implementations. */
  bias?: Tensor<'float32'>;
}

/**
 * Bahdanau attention of one decoder state per batch row over the encoder states.
 *
 * @example
 * ```ts
 * // Dq = Dk = A = 1, W_q = 0, W_k = 1, v = 1: e_s = tanh(h_s); h = [0, 10] gives e = [0, ~1], α = [0.269, 0.731].
 * const decoderState = createTensor('float32', [1, 1], new Float32Array([5]));
 * const encoderStates = createTensor('float32', [1, 2, 1], new Float32Array([0, 10]));
 * const one = (value: number) => createTensor('float32', [1, 1], new Float32Array([value]));
 * const { output, weights } = additiveAttention(decoderState, encoderStates, {
 *   queryWeight: one(0),
 *   keyWeight: one(1),
 *   scoreVector: createTensor('float32', [1], new Float32Array([1])),
 * });
 * weights?.data; // Float32Array [0.2689…, 0.7310…]
 * output.data; // Float32Array [7.3105…] (0.7310… · 10)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a wrong rank, a non-float32 or empty tensor, or a mask that is not bool / uint8;
 * SHAPE_MISMATCH when B, Dq, Dk or A disagree between the inputs, the weights and the mask.
 */
export function additiveAttention(
  decoderState: Tensor<'float32'>,
  encoderStates: Tensor<'float32'>,
  weights: AdditiveAttentionWeights,
  options: EncoderAttentionOptions = {},
): AttentionResult {
  const fn = 'additiveAttention';
  const dims = encoderDims(fn, decoderState, encoderStates, options.mask);
  const { batch: B, queryWidth: Dq, positions: S, keyWidth: Dk } = dims;
  const [, A] = expectFloat32(fn, 'weights.queryWeight', weights?.queryWeight, 2) as [
    number,
    number,
  ];
  expectDims(fn, 'weights.queryWeight', weights.queryWeight.dims, [Dq, A], '([Dq,A])');
  expectDims(
    fn,
    'weights.keyWeight',
    expectFloat32(fn, 'weights.keyWeight', weights.keyWeight, 2),
    [Dk, A],
    '([Dk,A], A as in queryWeight)',
  );
  expectDims(
    fn,
    'weights.scoreVector',
    expectFloat32(fn, 'weights.scoreVector', weights.scoreVector, 1),
    [A],
    '([A])',
  );
  if (weights.bias !== undefined)
    expectDims(
      fn,
      'weights.bias',
      expectFloat32(fn, 'weights.bias', weights.bias, 1),
      [A],
      '([A])',
    );

  const projectedQuery = linear(
    decoderState.data,
    B,
    Dq,
    weights.queryWeight.data,
    weights.bias?.data,
    A,
  ); // [B,A]
  const projectedKeys = linear(encoderStates.data, B * S, Dk, weights.keyWeight.data, undefined, A); // [B·S,A]
  const scores = additiveScores(projectedQuery, projectedKeys, weights.scoreVector.data, B, S, A);
  return attendEncoder(scores, encoderStates, dims, options);
}

/** e [B,S] with e[b,s] = vᵀ tanh(projectedQuery[b] + projectedKeys[b,s]) (internal; Luong's concat score too). */
export function additiveScores(
  projectedQuery: Float32Array,
  projectedKeys: Float32Array,
  scoreVector: Float32Array,
  B: number,
  S: number,
  A: number,
): Float32Array {
  const scores = new Float32Array(B * S);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < S; s++) {
      let score = 0;
      const keyBase = (b * S + s) * A;
      for (let a = 0; a < A; a++) {
        score +=
          (scoreVector[a] as number) *
          Math.tanh((projectedQuery[b * A + a] as number) + (projectedKeys[keyBase + a] as number));
      }
      scores[b * S + s] = score;
    }
  }
  return scores;
}
