// Row-wise softmax, numerically stable: exp(x - max) / sum, so no logit overflows exp.
// A fully masked row (every logit -Infinity) becomes zeros, not NaN; a NaN anywhere in a row makes the row NaN.
import type { Tensor } from '../tensor/index.js';
import { outputBuffer } from './validation.js';
import { describeValue, invalidArgument } from '../errors/index.js';

/** Options of {@link softmax}. */
export interface SoftmaxOptions {
  /** Caller-owned buffer for the result (may be `logits.data` itself for an in-place softmax). */
  output?: Float32Array;
}

/**
 * Softmax over the last axis of a float32 tensor.
 *
 * @example
 * ```ts
 * const logits = createTensor('float32', [2, 2], new Float32Array([0, Math.log(3), -Infinity, -Infinity]));
 * softmax(logits).data; // ≈ [0.25, 0.75, 0, 0] — the fully masked row is zeros
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `logits` is not a float32 tensor of rank >= 1 with a non-empty last axis,
 * or `options.output` is not a Float32Array of the same length.
 */
export function softmax(
  logits: Tensor<'float32'>,
  options: SoftmaxOptions = {},
): Tensor<'float32'> {
  if (logits === null || typeof logits !== 'object' || !(logits.data instanceof Float32Array)) {
    throw invalidArgument('softmax', 'logits', 'a float32 Tensor', describeValue(logits));
  }
  const rowLength = logits.dims.at(-1) ?? 0;
  if (logits.data.length === 0 || rowLength === 0) {
    throw invalidArgument(
      'softmax',
      'logits',
      'a tensor with a non-empty last axis',
      `dims ${describeValue([...logits.dims])}`,
    );
  }
  const output = outputBuffer('softmax', 'options.output', options.output, logits.data.length);
  if (output !== logits.data) output.set(logits.data);
  for (let start = 0; start < output.length; start += rowLength)
    softmaxRow(output, start, start + rowLength);
  return { type: 'float32', data: output, dims: [...logits.dims] };
}

/**
 * In-place softmax of `values[start..end)`: the kernel the attention functions share (no validation).
 *
 * @example
 * ```ts
 * const row = new Float32Array([1, 1, -Infinity]);
 * softmaxRow(row, 0, 3); // row is now [0.5, 0.5, 0]
 * ```
 */
export function softmaxRow(values: Float32Array, start: number, end: number): void {
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const x = values[i] as number;
    if (x > max || x !== x) max = x; // once NaN, max stays NaN (NaN > anything is false)
  }
  if (max === -Infinity) {
    values.fill(0, start, end); // fully masked: no key may receive weight
    return;
  }
  let sum = 0;
  for (let i = start; i < end; i++) {
    const e = Math.exp((values[i] as number) - max);
    values[i] = e;
    sum += e;
  }
  const inverse = 1 / sum;
  for (let i = start; i < end; i++) values[i] = (values[i] as number) * inverse;
}
