// Multiplicative (global) attention (Luong, Pham & Manning 2015, https://arxiv.org/abs/1508.04025, §3.1):
// dot: h_tᵀ h̄_s;  general: h_tᵀ W_a h̄_s;  concat: v_aᵀ tanh(W_a [h_t; h̄_s]); α = softmax over the unmasked s.
//
// B batch, S encoder positions, Dq decoder state width, Dk encoder state width, A attention width (concat).
// decoderState [B,Dq] (h_t)  encoderStates [B,S,Dk] (h̄_s)  weights [B,S] (a_t)  output [B,Dk] (context c_t)
// general: W_a [Dq,Dk]   concat: W_a [Dq+Dk,A] (rows for h_t first, then h̄_s), v_a [A]
import { describeValue, invalidArgument, shapeMismatch } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import { additiveScores } from './additive-attention.js';
import { attendEncoder, encoderDims, type EncoderAttentionOptions } from './encoder-attention.js';
import { linear } from './linear.js';
import type { AttentionResult } from './scaled-dot-product-attention.js';
import { expectDims, expectFloat32 } from './validation.js';
import { dot } from './vector-kernels.js';

/** Luong's score functions and their parameters ([in, out] as in x W). */
export type LuongScore =
  | { kind: 'dot' }
  | { kind: 'general'; weight: Tensor<'float32'> }
  | { kind: 'concat'; weight: Tensor<'float32'>; scoreVector: Tensor<'float32'> };

/**
 * Luong attention of one decoder state per batch row over the encoder states. The attentional hidden state
 * h̃_t = tanh(W_c [c_t; h_t]) is the model's next layer, not part of the attention, and is left to the caller.
 *
 * @example
 * ```ts
 * // dot score: h_t = [1, 0] against h̄ = [[0, 1], [ln 3, 0]] gives scores [0, ln 3], α = [0.25, 0.75].
 * const decoderState = createTensor('float32', [1, 2], new Float32Array([1, 0]));
 * const encoderStates = createTensor('float32', [1, 2, 2], new Float32Array([0, 1, Math.log(3), 0]));
 * const { output, weights } = multiplicativeAttention(decoderState, encoderStates, { kind: 'dot' });
 * weights?.data; // Float32Array [0.25, 0.75]
 * output.data; // Float32Array [0.8239…, 0.25] (0.75 · ln 3, 0.25 · 1)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for an unknown score kind, a wrong rank, a non-float32 or empty tensor, or a mask
 * that is not bool / uint8; SHAPE_MISMATCH when widths disagree (dot needs Dq = Dk).
 */
export function multiplicativeAttention(
  decoderState: Tensor<'float32'>,
  encoderStates: Tensor<'float32'>,
  score: LuongScore,
  options: EncoderAttentionOptions = {},
): AttentionResult {
  const fn = 'multiplicativeAttention';
  const dims = encoderDims(fn, decoderState, encoderStates, options.mask);
  const { batch: B, queryWidth: Dq, positions: S, keyWidth: Dk } = dims;
  let query = decoderState.data; // the vector each h̄_s is dotted with: h_t, or h_t W_a for general
  switch (score?.kind) {
    case 'dot':
      if (Dq !== Dk)
        throw shapeMismatch(
          fn,
          'encoderStates',
          `[${B},${S},${Dq}] (Dk = Dq for the dot score)`,
          describeValue([B, S, Dk]),
        );
      break;
    case 'general':
      expectDims(
        fn,
        'score.weight',
        expectFloat32(fn, 'score.weight', score.weight, 2),
        [Dq, Dk],
        '([Dq,Dk])',
      );
      query = linear(decoderState.data, B, Dq, score.weight.data, undefined, Dk); // [B,Dk]
      break;
    case 'concat': {
      const [, A] = expectFloat32(fn, 'score.weight', score.weight, 2) as [number, number];
      expectDims(fn, 'score.weight', score.weight.dims, [Dq + Dk, A], '([Dq+Dk,A])');
      expectDims(
        fn,
        'score.scoreVector',
        expectFloat32(fn, 'score.scoreVector', score.scoreVector, 1),
        [A],
        '([A])',
      );
      // [h_t; h̄_s] W_a = h_t W_a[:Dq] + h̄_s W_a[Dq:]: the decoder half once per row, the encoder half once per position
      const decoderHalf = linear(
        decoderState.data,
        B,
        Dq,
        score.weight.data.subarray(0, Dq * A),
        undefined,
        A,
      ); // [B,A]
      const encoderHalf = linear(
        encoderStates.data,
        B * S,
        Dk,
        score.weight.data.subarray(Dq * A),
        undefined,
        A,
      ); // [B·S,A]
      return attendEncoder(
        additiveScores(decoderHalf, encoderHalf, score.scoreVector.data, B, S, A),
        encoderStates,
        dims,
        options,
      );
    }
    default:
      throw invalidArgument(
        fn,
        'score.kind',
        "'dot', 'general' or 'concat'",
        describeValue((score as { kind?: unknown } | undefined)?.kind),
      );
  }
  const scores = new Float32Array(B * S);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < S; s++)
      scores[b * S + s] = dot(query, b * Dk, encoderStates.data, (b * S + s) * Dk, Dk);
  }
  return attendEncoder(scores, encoderStates, dims, options);
}
