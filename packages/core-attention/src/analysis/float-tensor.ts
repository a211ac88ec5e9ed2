// The float tensors the analysis functions read: float32 (attention as models emit it) or float64
// (references and intermediate results), with one check for the common rank-2 case.
import { describeValue, invalidArgument } from '../errors/index.js';
import { expectRank, type Tensor } from '../tensor/index.js';

/** A float32 or float64 tensor. */
export type FloatTensor = Tensor<'float32'> | Tensor<'float64'>;

/**
 * Checks that `value` is a float32 or float64 tensor of rank 2 and returns its [rows, columns].
 *
 * @example
 * ```ts
 * expectFloatMatrix('f', 'attention', createTensor('float32', [2, 3])); // [2, 3]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `value` is not a float tensor, not rank 2, or its data length does not match its dims.
 */
export function expectFloatMatrix(
  fn: string,
  argument: string,
  value: FloatTensor,
): [number, number] {
  expectFloatTensor(fn, argument, value);
  const [rows, columns] = expectRank(fn, argument, value, 2) as [number, number];
  return [rows, columns];
}

/**
 * Checks that `value` is a float32 or float64 tensor whose data matches its dims.
 *
 * @example
 * ```ts
 * expectFloatTensor('f', 'weights', createTensor('float64', [2, 2, 3])); // passes
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `value` is not a float32 / float64 tensor with matching data.
 */
export function expectFloatTensor(fn: string, argument: string, value: FloatTensor): void {
  const isFloat =
    typeof value === 'object' &&
    value !== null &&
    ((value.type === 'float32' && value.data instanceof Float32Array) ||
      (value.type === 'float64' && value.data instanceof Float64Array));
  if (!isFloat) {
    throw invalidArgument(
      fn,
      argument,
      'a float32 or float64 Tensor ({ type, data, dims })',
      describeValue(value),
    );
  }
  expectRank(fn, argument, value, value.dims.length);
}
