// Argument validation for public boundaries: one message shape everywhere,
// "fn(): argument must be <expected>, got <actual>".
import { AttnError, type AttnErrorOptions } from './attn-error.js';

/**
 * Builds the INVALID_ARGUMENT error for `fn`'s `argument`.
 *
 * @example
 * ```ts
 * invalidArgument('softmax', 'logits', 'a non-empty Float32Array', 'length 0').message;
 * // "softmax(): logits must be a non-empty Float32Array, got length 0."
 * ```
 */
export function invalidArgument(
  fn: string,
  argument: string,
  expected: string,
  actual: string,
  options: AttnErrorOptions = {},
): AttnError {
  return new AttnError(
    'INVALID_ARGUMENT',
    `${fn}(): ${argument} must be ${expected}, got ${actual}`,
    options,
  );
}

/**
 * Builds the SHAPE_MISMATCH error for `fn`'s `argument`.
 *
 * @example
 * ```ts
 * shapeMismatch('scaledDotProductAttention', 'key', '[2,4,5,8] (D = 8 as in query)', '[2,4,5,16]').code;
 * // 'SHAPE_MISMATCH'
 * ```
 */
export function shapeMismatch(
  fn: string,
  argument: string,
  expected: string,
  actual: string,
): AttnError {
  return new AttnError(
    'SHAPE_MISMATCH',
    `${fn}(): ${argument} must have shape ${expected}, got ${actual}`,
  );
}

/**
 * Describes a value for an error message: shapes as `[2,3]`, strings quoted, others by type.
 *
 * @example
 * ```ts
 * describeValue([2, 3]); // '[2,3]'
 * describeValue(''); // "''"
 * describeValue(Number.NaN); // 'NaN'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `'${value.slice(0, 37)}...'` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value))
    return value.length <= 8
      ? `[${value.map(describeValue).join(',')}]`
      : `an array of ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  return `a ${value.constructor?.name ?? 'object'}`;
}
