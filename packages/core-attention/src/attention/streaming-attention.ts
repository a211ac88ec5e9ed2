// Streaming attention: scaled dot-product attention over key chunks with the online softmax
// (Milakov & Gimelshein 2018, https://arxiv.org/abs/1805.02867; the recurrence of FlashAttention, Dao et al. 2022).
// Memory O(T·Dv + chunk) for the output and one chunk of scores, instead of the O(T·S) weights; equal to scaledDotProductAttention within float32 rounding.
//
// query [B,H,T,D]  key [B,Hkv,S,D]  value [B,Hkv,S,Dv]  mask broadcast to [B,H,T,S]  output [B,H,T,Dv]
// Per query row, after each chunk: m = running max score, l = Σ exp(score - m), acc [Dv] = Σ exp(score - m) · v.
import type { Tensor } from '../tensor/index.js';
import { broadcastMask } from './attention-mask.js';
import {
  applyMaskRow,
  attentionDims,
  type AttentionOptions,
  type AttentionResult,
} from './scaled-dot-product-attention.js';
import { expectInteger, outputBuffer, resolveScale } from './validation.js';
import { addScaled, dot } from './vector-kernels.js';

/** Options of {@link streamingAttention}. */
export interface StreamingAttentionOptions extends AttentionOptions {
  /** Keys per chunk: a positive integer. Default 256. */
  chunkSize?: number;
  /**
   * Return the weights [B,H,T,S]. Default false — the point of streaming is not to hold them; with true, the raw scores
   * are kept in the weights buffer and normalised once each row's max and sum are final.
   */
  returnWeights?: boolean;
}

/**
 * Same result as {@link scaledDotProductAttention}, computed one key chunk at a time without the T × S weights.
 *
 * @example
 * ```ts
 * const query = createTensor('float32', [1, 1, 1, 1], new Float32Array([1]));
 * const key = createTensor('float32', [1, 1, 2, 1], new Float32Array([0, Math.log(3)]));
 * const value = createTensor('float32', [1, 1, 2, 1], new Float32Array([4, 8]));
 * const { output, weights } = streamingAttention(query, key, value, { scale: 1, chunkSize: 1 });
 * output.data; // Float32Array [7] (0.25 · 4 + 0.75 · 8, as from scaledDotProductAttention)
 * weights; // undefined
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a chunk size that is not a positive integer, and everything
 * {@link scaledDotProductAttention} rejects; SHAPE_MISMATCH as it does.
 */
export function streamingAttention(
  query: Tensor<'float32'>,
  key: Tensor<'float32'>,
  value: Tensor<'float32'>,
  options: StreamingAttentionOptions = {},
): AttentionResult {
  const fn = 'streamingAttention';
  const {
    batch: B,
    heads: H,
    keyValueHeads: Hkv,
    queries: T,
    keys: S,
    depth: D,
    valueDepth: Dv,
  } = attentionDims(fn, query, key, value);
  const chunkSize = expectInteger(fn, 'options.chunkSize', options.chunkSize ?? 256, 1);
  const scale = resolveScale(fn, options.scale, D);
  const mask =
    options.mask === undefined
      ? undefined
      : broadcastMask(fn, 'options.mask', options.mask, [B, H, T, S]);
  const output = outputBuffer(fn, 'options.output', options.output, B * H * T * Dv);
  const returnWeights = options.returnWeights ?? false;
  const weights = returnWeights ? new Float32Array(B * H * T * S) : undefined;
  const chunkScores = weights ?? new Float32Array(Math.min(chunkSize, S));
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
        let m = -Infinity;
        let l = 0;
        accumulator.fill(0);
        for (let start = 0; start < S; start += chunkSize) {
          const length = Math.min(chunkSize, S - start);
          // 1) this chunk's scores, at chunkScores[base + j] for key s = start + j
          const base = weights === undefined ? 0 : row * S + start;
          for (let j = 0; j < length; j++)
            chunkScores[base + j] = dot(q, row * D, k, keyBase + (start + j) * D, D) * scale;
          if (mask !== undefined)
            applyMaskRow(mask, b, h, t, chunkScores, base - start, start, start + length);
          let chunkMax = -Infinity;
          for (let j = 0; j < length; j++) {
            const x = chunkScores[base + j] as number;
            if (x > chunkMax || x !== x) chunkMax = x; // NaN sticks, as in softmaxRow
          }
          const newMax = Math.max(m, chunkMax);
          if (newMax === -Infinity) continue; // every key so far masked: nothing to add
          // 2) rescale what was summed against the old max (exp(-Infinity) = 0 on the first live chunk)
          const correction = Math.exp(m - newMax);
          l *= correction;
          for (let e = 0; e < Dv; e++) accumulator[e] = (accumulator[e] as number) * correction;
          // 3) add this chunk: l += Σ p, acc += Σ p · v, with p = exp(score - m)
          for (let j = 0; j < length; j++) {
            const p = Math.exp((chunkScores[base + j] as number) - newMax);
            l += p;
            addScaled(accumulator, 0, p, v, valueBase + (start + j) * Dv, Dv);
          }
          m = newMax;
        }
        // 4) output = acc / l; a fully masked row has l = 0 and yields zeros, as softmaxRow does
        const inverse = l > 0 || l !== l ? 1 / l : 0;
        for (let e = 0; e < Dv; e++) output[row * Dv + e] = (accumulator[e] as number) * inverse;
        if (weights === undefined) continue;
        for (let s = row * S; s < (row + 1) * S; s++)
          weights[s] = inverse === 0 ? 0 : Math.exp((weights[s] as number) - m) * inverse;
      }
    }
  }
  return {
    output: { type: 'float32', data: output, dims: [B, H, T, Dv] },
    weights:
      weights === undefined ? undefined : { type: 'float32', data: weights, dims: [B, H, T, S] },
  };
}
