// T5's relative position bias (Raffel et al. 2020, https://arxiv.org/abs/1910.10683 §2.1): each key-minus-query offset
// falls in one of numBuckets buckets (exact for small offsets, logarithmic up to maxDistance), and a learned table
// [numBuckets, H] gives each head's scalar bias for its bucket.
import { describeValue, invalidArgument } from '../errors/index.js';
import type { Tensor } from '../tensor/index.js';
import { expectFloat32, expectInteger } from './validation.js';

/** Options of {@link relativePositionBucket} and {@link relativePositionBias}. */
export interface RelativePositionOptions {
  /** True for encoders (keys on both sides, half the buckets each); false for causal decoders. Default true. */
  bidirectional?: boolean;
  /** Offsets at or beyond this share the last bucket. Default 128 (T5). */
  maxDistance?: number;
}

/**
 * The bucket of `relativePosition` = key position - query position.
 *
 * @example
 * ```ts
 * // 32 buckets, bidirectional: 16 per side, 8 exact, then logarithmic up to 128
 * relativePositionBucket(-3, 32); // 3
 * relativePositionBucket(3, 32); // 19 (16 + 3: keys after the query use the upper half)
 * relativePositionBucket(-16, 32); // 10 (8 + floor(ln 2 / ln 16 · 8))
 * relativePositionBucket(-500, 32); // 15
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `relativePosition` is not an integer, `numBuckets` not an integer >= 2
 * (>= 4 bidirectional), or `maxDistance` not an integer above the exact range.
 */
export function relativePositionBucket(
  relativePosition: number,
  numBuckets: number,
  options: RelativePositionOptions = {},
): number {
  const fn = 'relativePositionBucket';
  if (!Number.isInteger(relativePosition))
    throw invalidArgument(fn, 'relativePosition', 'an integer', describeValue(relativePosition));
  const { bidirectional, maxDistance } = bucketParameters(fn, numBuckets, options);
  return bucketOf(relativePosition, numBuckets, bidirectional, maxDistance);
}

/**
 * The bias [1,H,T,S] from a learned table [numBuckets, H] (Hugging Face T5's relative_attention_bias weight), to pass
 * as an additive mask. Query t sits at position offset + t; key s at s.
 *
 * @example
 * ```ts
 * // 4 buckets, 1 head, causal: distances 0 and 1 exact, 2 -> bucket 2, 3 -> bucket 3 (2 + floor(log2(1.5) · 2))
 * const table = createTensor('float32', [4, 1], new Float32Array([0, -1, -2, -3]));
 * // one query at position 3 (offset S - T) against keys 0..3, distances 3, 2, 1, 0
 * relativePositionBias(table, 1, 4, { bidirectional: false, maxDistance: 4 }).data; // Float32Array [-3, -2, -1, 0]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `table` is not a float32 [numBuckets, H] tensor, a length is not a positive
 * integer, `offset` not an integer, or the bucket options are invalid (see {@link relativePositionBucket}).
 */
export function relativePositionBias(
  table: Tensor<'float32'>,
  queryLength: number,
  keyLength: number,
  options: RelativePositionOptions & { offset?: number } = {},
): Tensor<'float32'> {
  const fn = 'relativePositionBias';
  const [numBuckets, H] = expectFloat32(fn, 'table', table, 2) as [number, number];
  const { bidirectional, maxDistance } = bucketParameters(fn, numBuckets, options);
  expectInteger(fn, 'queryLength', queryLength, 1);
  expectInteger(fn, 'keyLength', keyLength, 1);
  const offset = options.offset ?? keyLength - queryLength;
  if (!Number.isInteger(offset))
    throw invalidArgument(fn, 'options.offset', 'an integer', describeValue(options.offset));
  const data = new Float32Array(H * queryLength * keyLength);
  for (let t = 0; t < queryLength; t++) {
    for (let s = 0; s < keyLength; s++) {
      const bucket = bucketOf(s - (offset + t), numBuckets, bidirectional, maxDistance);
      for (let h = 0; h < H; h++)
        data[(h * queryLength + t) * keyLength + s] = table.data[bucket * H + h] as number;
    }
  }
  return { type: 'float32', data, dims: [1, H, queryLength, keyLength] };
}

function bucketParameters(
  fn: string,
  numBuckets: number,
  options: RelativePositionOptions,
): { bidirectional: boolean; maxDistance: number } {
  const bidirectional = options.bidirectional ?? true;
  expectInteger(fn, 'numBuckets', numBuckets, bidirectional ? 4 : 2);
  const exact = Math.floor((bidirectional ? Math.floor(numBuckets / 2) : numBuckets) / 2);
  const maxDistance = options.maxDistance ?? 128;
  if (!Number.isInteger(maxDistance) || maxDistance <= exact) {
    throw invalidArgument(
      fn,
      'options.maxDistance',
      `an integer > ${exact} (the exact buckets)`,
      describeValue(maxDistance),
    );
  }
  return { bidirectional, maxDistance };
}

/** T5's bucketing: exact below `exact`, then logarithmic up to maxDistance, truncated as PyTorch's .to(long) does. */
function bucketOf(
  relativePosition: number,
  numBuckets: number,
  bidirectional: boolean,
  maxDistance: number,
): number {
  let buckets = numBuckets;
  let bucket = 0;
  let distance: number;
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (relativePosition > 0) bucket += buckets; // keys after the query
    distance = Math.abs(relativePosition);
  } else {
    distance = Math.max(-relativePosition, 0); // keys after the query all fall in bucket 0
  }
  const exact = Math.floor(buckets / 2);
  if (distance < exact) return bucket + distance;
  const logarithmic =
    (Math.log(distance / exact) / Math.log(maxDistance / exact)) * (buckets - exact);
  return bucket + Math.min(exact + Math.trunc(logarithmic), buckets - 1);
}
