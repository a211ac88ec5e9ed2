// What additive (Bahdanau) and multiplicative (Luong) attention share: a decoder state [B,Dq] scored against
// encoder states [B,S,Dk], the scores masked and softmaxed into weights [B,S], and the context [B,Dk] = Σ_s α_s h_s.
import { describeValue, invalidArgument } from '../errors/index.js';
import { expectRank, type Tensor } from '../tensor/index.js';
import type { AttentionResult } from './scaled-dot-product-attention.js';
import { softmaxRow } from './softmax.js';
import { expectDims, expectFloat32 } from './validation.js';
import { addScaled } from './vector-kernels.js';

/** Options of {@link additiveAttention} and {@link multiplicativeAttention}. */
export interface EncoderAttentionOptions {
  /** Keep mask [B,S] over the encoder positions (1 = real token, 0 = padding), bool or uint8. */
  mask?: Tensor<'bool'> | Tensor<'uint8'>;
  /** Return the weights [B,S]. Default true. */
  returnWeights?: boolean;
}

/** Validated dims of a decoder state [B,Dq] and encoder states [B,S,Dk] (internal). */
export interface EncoderDims {
  batch: number;
  queryWidth: number;
  positions: number;
  keyWidth: number;
}

/** Checks the decoder state, encoder states and mask (internal). */
export function encoderDims(
  fn: string,
  decoderState: Tensor<'float32'>,
  encoderStates: Tensor<'float32'>,
  mask: EncoderAttentionOptions['mask'],
): EncoderDims {
  const [batch, queryWidth] = expectFloat32(fn, 'decoderState', decoderState, 2) as [
    number,
    number,
  ];
  const [encoderBatch, positions, keyWidth] = expectFloat32(
    fn,
    'encoderStates',
    encoderStates,
    3,
  ) as [number, number, number];
  expectDims(
    fn,
    'encoderStates',
    [encoderBatch, positions, keyWidth],
    [batch, positions, keyWidth],
    '([B,S,Dk], B as in decoderState)',
  );
  if (mask !== undefined) {
    if ((mask?.type !== 'bool' && mask?.type !== 'uint8') || !(mask.data instanceof Uint8Array)) {
      throw invalidArgument(
        fn,
        'options.mask',
        'a bool or uint8 Tensor [B,S]',
        mask?.type ?? describeValue(mask),
      );
    }
    expectDims(
      fn,
      'options.mask',
      expectRank(fn, 'options.mask', mask, 2),
      [batch, positions],
      '([B,S])',
    );
  }
  return { batch, queryWidth, positions, keyWidth };
}

/** Masks and softmaxes `scores` [B,S] in place, then forms the context [B,Dk] (internal). */
export function attendEncoder(
  scores: Float32Array,
  encoderStates: Tensor<'float32'>,
  { batch: B, positions: S, keyWidth: Dk }: EncoderDims,
  options: EncoderAttentionOptions,
): AttentionResult {
  const keep = options.mask?.data;
  const context = new Float32Array(B * Dk);
  const accumulator = new Float64Array(Dk);
  for (let b = 0; b < B; b++) {
    if (keep !== undefined)
      for (let s = 0; s < S; s++) if (keep[b * S + s] === 0) scores[b * S + s] = -Infinity;
    softmaxRow(scores, b * S, (b + 1) * S);
    accumulator.fill(0);
    for (let s = 0; s < S; s++)
      addScaled(
        accumulator,
        0,
        scores[b * S + s] as number,
        encoderStates.data,
        (b * S + s) * Dk,
        Dk,
      );
    context.set(accumulator, b * Dk);
  }
  return {
    output: { type: 'float32', data: context, dims: [B, Dk] },
    weights:
      (options.returnWeights ?? true) ? { type: 'float32', data: scores, dims: [B, S] } : undefined,
  };
}
