// Builders for the common attention masks, all bool (1 keeps) and shaped to broadcast against scores [B,H,T,S]:
// padding [B,1,1,S] from a Hugging Face attention_mask, causal and sliding-window [1,1,T,S].
import { describeValue, invalidArgument } from '../errors/index.js';
import { expectRank, type Tensor } from '../tensor/index.js';
import { expectInteger } from './validation.js';

/** Options of {@link causalMask} and {@link slidingWindowMask}. */
export interface CausalMaskOptions {
  /**
   * Position of the first query among the keys. Default `keyLength - queryLength`: during KV-cache decoding the
   * T new queries are the last T of the S keys, so query t sits at position S - T + t.
   */
  offset?: number;
}

/**
 * Padding mask [B,1,1,S] from an attention_mask [B,S] (1 = real token, 0 = padding, on either side).
 *
 * @example
 * ```ts
 * const attentionMask = createTensor('int64', [2, 3], new BigInt64Array([1n, 1n, 1n, 1n, 1n, 0n]));
 * const mask = paddingMask(attentionMask);
 * mask.dims; // [2, 1, 1, 3]
 * mask.data; // Uint8Array [1, 1, 1, 1, 1, 0]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `attentionMask` is not an int64 / int32 / bool / uint8 tensor of rank 2.
 */
export function paddingMask(
  attentionMask: Tensor<'int64' | 'int32' | 'bool' | 'uint8'>,
): Tensor<'bool'> {
  if (!['int64', 'int32', 'bool', 'uint8'].includes(attentionMask?.type)) {
    throw invalidArgument(
      'paddingMask',
      'attentionMask',
      'an int64, int32, bool or uint8 Tensor [B,S]',
      attentionMask?.type ?? describeValue(attentionMask),
    );
  }
  const [batch, keys] = expectRank('paddingMask', 'attentionMask', attentionMask, 2) as [
    number,
    number,
  ];
  const data = new Uint8Array(batch * keys);
  for (let i = 0; i < data.length; i++) data[i] = attentionMask.data[i] ? 1 : 0; // 0n is falsy too
  return { type: 'bool', data, dims: [batch, 1, 1, keys] };
}

/**
 * Causal mask [1,1,T,S]: query t (at position p = offset + t) sees keys s <= p.
 *
 * @example
 * ```ts
 * causalMask(2, 3).data; // Uint8Array [1,1,0, 1,1,1] — offset 1: the 2 queries are the last 2 of 3 positions
 * causalMask(2, 3, { offset: 0 }).data; // Uint8Array [1,0,0, 1,1,0]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a length is not a positive integer or `offset` is not an integer.
 */
export function causalMask(
  queryLength: number,
  keyLength: number,
  options: CausalMaskOptions = {},
): Tensor<'bool'> {
  return bandMask('causalMask', queryLength, keyLength, Infinity, options.offset);
}

/**
 * Causal sliding-window mask [1,1,T,S] (Longformer / Mistral local attention): query t at position p = offset + t
 * sees the `window` keys p - window + 1 .. p, itself included.
 *
 * @example
 * ```ts
 * slidingWindowMask(3, 3, 2).data; // Uint8Array [1,0,0, 1,1,0, 0,1,1]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a length or `window` is not a positive integer, or `offset` is not an integer.
 */
export function slidingWindowMask(
  queryLength: number,
  keyLength: number,
  window: number,
  options: CausalMaskOptions = {},
): Tensor<'bool'> {
  expectInteger('slidingWindowMask', 'window', window, 1);
  return bandMask('slidingWindowMask', queryLength, keyLength, window, options.offset);
}

/** Keeps key s for query t when p - window < s <= p, p = offset + t. */
function bandMask(
  fn: string,
  queryLength: number,
  keyLength: number,
  window: number,
  offset: number | undefined,
): Tensor<'bool'> {
  expectInteger(fn, 'queryLength', queryLength, 1);
  expectInteger(fn, 'keyLength', keyLength, 1);
  const start = offset ?? keyLength - queryLength;
  if (!Number.isInteger(start))
    throw invalidArgument(fn, 'options.offset', 'an integer', describeValue(offset));
  const data = new Uint8Array(queryLength * keyLength);
  for (let t = 0; t < queryLength; t++) {
    const position = start + t;
    for (let s = 0; s < keyLength; s++)
      data[t * keyLength + s] = s <= position && s > position - window ? 1 : 0;
  }
  return { type: 'bool', data, dims: [1, 1, queryLength, keyLength] };
}
