// Scaled dot-product attention (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762):
// weights = softmax(Q Kᵀ · scale + mask), output = weights V — the readable reference every faster kernel is held to.
//
// B batch, H query heads, Hkv key/value heads (H / Hkv query heads share one: grouped-query attention, Ainslie et al. 2023),
// T queries, S keys, D query/key depth, Dv value depth.
// query [B,H,T,D]  key [B,Hkv,S,D]  value [B,Hkv,S,Dv]  mask broadcast to [B,H,T,S]  weights [B,H,T,S]  output [B,H,T,Dv]
import { describeValue, shapeMismatch } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import { broadcastMask, type AttentionMask, type BroadcastMask } from './attention-mask.js';
import { softmaxRow } from './softmax.js';
import { expectFloat32, outputBuffer, resolveScale } from './validation.js';
import { addScaled, dot } from './vector-kernels.js';

/** Options of {@link scaledDotProductAttention}. */
export interface AttentionOptions {
  /** Keep mask (bool / uint8, 1 keeps) or additive float32 mask, broadcastable to [B,H,T,S]. */
  mask?: AttentionMask;
  /** Multiplies Q Kᵀ; finite and > 0. Default 1 / sqrt(D). */
  scale?: number;
  /** Return the weights [B,H,T,S]. Default true; with false they are never allocated (one row of S is). */
  returnWeights?: boolean;
  /** Caller-owned buffer for the output [B,H,T,Dv]. */
  output?: Float32Array;
}

/** What every attention function returns: the output, and the weights unless they were turned off. */
export interface AttentionResult {
  readonly output: Tensor<'float32'>;
  readonly weights: Tensor<'float32'> | undefined;
}

/** The dims of validated attention inputs (internal). */
export interface AttentionDims {
  batch: number;
  heads: number;
  keyValueHeads: number;
  queries: number;
  keys: number;
  depth: number;
  valueDepth: number;
}

/**
 * softmax(Q Kᵀ · scale + mask) V for query [B,H,T,D], key [B,Hkv,S,D], value [B,Hkv,S,Dv], with Hkv dividing H.
 *
 * @example
 * ```ts
 * // One query against two keys; scale 1 makes the scores 0 and ln 3, so the weights are 1/4 and 3/4.
 * const query = createTensor('float32', [1, 1, 1, 1], new Float32Array([1]));
 * const key = createTensor('float32', [1, 1, 2, 1], new Float32Array([0, Math.log(3)]));
 * const value = createTensor('float32', [1, 1, 2, 1], new Float32Array([4, 8]));
 * const { output, weights } = scaledDotProductAttention(query, key, value, { scale: 1 });
 * weights?.data; // Float32Array [0.25, 0.75]
 * output.data; // Float32Array [7] (0.25 · 4 + 0.75 · 8)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a non-float32 or empty input, a wrong rank, a bad scale or output buffer;
 * SHAPE_MISMATCH when B, D, S or the head counts disagree, or the mask does not broadcast to [B,H,T,S].
 */
export function scaledDotProductAttention(
  query: Tensor<'float32'>,
  key: Tensor<'float32'>,
  value: Tensor<'float32'>,
  options: AttentionOptions = {},
): AttentionResult {
  const fn = 'scaledDotProductAttention';
  const dims = attentionDims(fn, query, key, value);
  const {
    batch: B,
    heads: H,
    keyValueHeads: Hkv,
    queries: T,
    keys: S,
    depth: D,
    valueDepth: Dv,
  } = dims;
  const scale = resolveScale(fn, options.scale, D);
  const mask =
    options.mask === undefined
      ? undefined
      : broadcastMask(fn, 'options.mask', options.mask, [B, H, T, S]);
  const output = outputBuffer(fn, 'options.output', options.output, B * H * T * Dv);
  const returnWeights = options.returnWeights ?? true;
  const scores = new Float32Array(returnWeights ? B * H * T * S : S);
  const accumulator = new Float64Array(Dv);
  const q = query.data;
  const k = key.data;
  const v = value.data;
  const group = H / Hkv;

  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const kvHead = Math.floor(h / group);
      const keyBase = (b * Hkv + kvHead) * S * D;
      const valueBase = (b * Hkv + kvHead) * S * Dv;
      for (let t = 0; t < T; t++) {
        const row = (b * H + h) * T + t;
        const queryBase = row * D;
        const scoreBase = returnWeights ? row * S : 0;
        // 1) scores = q · k_s · scale, masked
        for (let s = 0; s < S; s++)
          scores[scoreBase + s] = dot(q, queryBase, k, keyBase + s * D, D) * scale;
        if (mask !== undefined) applyMaskRow(mask, b, h, t, scores, scoreBase, 0, S);
        // 2) weights = softmax(scores)
        softmaxRow(scores, scoreBase, scoreBase + S);
        // 3) output = Σ_s weight_s · v_s
        accumulator.fill(0);
        for (let s = 0; s < S; s++)
          addScaled(accumulator, 0, scores[scoreBase + s] as number, v, valueBase + s * Dv, Dv);
        const outputBase = row * Dv;
        for (let e = 0; e < Dv; e++) output[outputBase + e] = accumulator[e] as number;
      }
    }
  }
  return {
    output: { type: 'float32', data: output, dims: [B, H, T, Dv] },
    weights: returnWeights ? { type: 'float32', data: scores, dims: [B, H, T, S] } : undefined,
  };
}

/**
 * Masks the scores of keys `from .. to` of row (b, h, t), held at `scores[offset + s]`: a keep mask sets -Infinity
 * where it is 0, an additive mask adds (internal, shared with streaming attention).
 */
export function applyMaskRow(
  mask: BroadcastMask,
  b: number,
  h: number,
  t: number,
  scores: Float32Array,
  offset: number,
  from: number,
  to: number,
): void {
  const [strideB, strideH, strideT, strideS] = mask.strides;
  const maskBase = b * strideB + h * strideH + t * strideT;
  for (let s = from; s < to; s++) {
    const m = mask.data[maskBase + s * strideS] as number;
    if (mask.additive) scores[offset + s] = (scores[offset + s] as number) + m;
    else if (m === 0) scores[offset + s] = -Infinity;
  }
}

/** Validates query, key and value and names their dims (internal, shared with streaming attention). */
export function attentionDims(
  fn: string,
  query: Tensor<'float32'>,
  key: Tensor<'float32'>,
  value: Tensor<'float32'>,
): AttentionDims {
  const [batch, heads, queries, depth] = expectFloat32(fn, 'query', query, 4) as [
    number,
    number,
    number,
    number,
  ];
  const keyDims = expectFloat32(fn, 'key', key, 4);
  const [keyBatch, keyValueHeads, keys, keyDepth] = keyDims as [number, number, number, number];
  if (keyBatch !== batch || keyDepth !== depth || heads % keyValueHeads !== 0) {
    throw shapeMismatch(
      fn,
      'key',
      `[${batch},Hkv,S,${depth}] with Hkv dividing H = ${heads} (query is [B,H,T,D] = ${describeValue([...query.dims])})`,
      describeValue(keyDims),
    );
  }
  const valueDims = expectFloat32(fn, 'value', value, 4);
  const [valueBatch, valueHeads, valueKeys, valueDepth] = valueDims as [
    number,
    number,
    number,
    number,
  ];
  if (valueBatch !== batch || valueHeads !== keyValueHeads || valueKeys !== keys) {
    throw shapeMismatch(
      fn,
      'value',
      `[${batch},${keyValueHeads},${keys},Dv] (B, Hkv, S as in key)`,
      describeValue(valueDims),
    );
  }
  return { batch, heads, keyValueHeads, queries, keys, depth, valueDepth };
}
