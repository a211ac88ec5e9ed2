// ALiBi, attention with linear biases (Press, Smith & Lewis 2022, https://arxiv.org/abs/2108.12409): head h adds
// -m_h · distance to its scores, with slopes m_h a geometric sequence; no position embeddings at all.
import { describeValue, invalidArgument } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import type { CausalMaskOptions } from './masks.js';
import { expectInteger } from './validation.js';

/**
 * The head slopes m_1 .. m_n. For n a power of two, m_h = 2^(-8h/n). Otherwise, as the paper's code does: the slopes
 * for the largest power of two k < n, then every other slope of the 2k sequence for the remaining n - k heads.
 *
 * @example
 * ```ts
 * alibiSlopes(8); // [1/2, 1/4, 1/8, ..., 1/256]
 * alibiSlopes(6); // [1/4, 1/16, 1/64, 1/256] then [2^-1, 2^-3]: [0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `numHeads` is not a positive integer.
 */
export function alibiSlopes(numHeads: number): number[] {
  expectInteger('alibiSlopes', 'numHeads', numHeads, 1);
  const geometric = (n: number): number[] =>
    Array.from({ length: n }, (_, h) => Math.pow(2, (-8 * (h + 1)) / n));
  const k = Math.pow(2, Math.floor(Math.log2(numHeads)));
  if (k === numHeads) return geometric(numHeads);
  const extra = geometric(2 * k)
    .filter((_, index) => index % 2 === 0)
    .slice(0, numHeads - k);
  return [...geometric(k), ...extra];
}

/**
 * The ALiBi bias [1,H,T,S] to pass as an additive mask: bias[h,t,s] = -m_h · |p - s|, p = offset + t the query's
 * position. Keys after the query (seen only without a causal mask) count their distance too, as symmetric
 * bidirectional ALiBi does; combine with {@link causalMask} for the paper's decoder.
 *
 * @example
 * ```ts
 * // 1 head (m = 1/256), one query at position 2 (offset S - T = 2) over 3 keys
 * alibiBias(1, 1, 3).data; // Float32Array [-2/256, -1/256, 0]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a count or length is not a positive integer or `offset` is not an integer.
 */
export function alibiBias(
  numHeads: number,
  queryLength: number,
  keyLength: number,
  options: CausalMaskOptions = {},
): Tensor<'float32'> {
  const fn = 'alibiBias';
  const slopes = alibiSlopes(numHeads);
  expectInteger(fn, 'queryLength', queryLength, 1);
  expectInteger(fn, 'keyLength', keyLength, 1);
  const offset = options.offset ?? keyLength - queryLength;
  if (!Number.isInteger(offset))
    throw invalidArgument(fn, 'options.offset', 'an integer', describeValue(options.offset));
  const data = new Float32Array(numHeads * queryLength * keyLength);
  for (let h = 0; h < numHeads; h++) {
    const slope = slopes[h] as number;
    for (let t = 0; t < queryLength; t++) {
      for (let s = 0; s < keyLength; s++)
        data[(h * queryLength + t) * keyLength + s] = 0 - slope * Math.abs(offset + t - s); // 0 - x: no -0
    }
  }
  return { type: 'float32', data, dims: [1, numHeads, queryLength, keyLength] };
}
