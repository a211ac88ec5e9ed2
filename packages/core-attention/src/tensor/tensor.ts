// A tensor as onnxruntime sees one: {type, data, dims}. An ort.Tensor satisfies this interface
// and a Tensor built here can be handed to ort.Tensor's constructor unchanged.
import { describeValue, invalidArgument } from '../errors/index.js';

/** Element type names, spelled as onnxruntime spells them. */
export interface TensorDataTypes {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
}

export type TensorType = keyof TensorDataTypes;

/** A dense row-major tensor. */
export interface Tensor<T extends TensorType = TensorType> {
  readonly type: T;
  readonly data: TensorDataTypes[T];
  readonly dims: readonly number[];
}

type TypedArrayConstructor<T extends TensorType> = {
  new (length: number): TensorDataTypes[T];
  readonly BYTES_PER_ELEMENT: number;
};

/** The TypedArray constructor that stores each element type (float16 as raw Uint16 bits, bool as Uint8). */
export const typedArrayConstructors: { readonly [T in TensorType]: TypedArrayConstructor<T> } = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

/**
 * Number of elements a tensor of these dims holds.
 *
 * @example
 * ```ts
 * sizeOf([2, 3, 4]); // 24
 * sizeOf([]); // 1 (a scalar)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a dim is negative or not an integer.
 */
export function sizeOf(dims: readonly number[]): number {
  let size = 1;
  for (const dim of dims) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw invalidArgument('sizeOf', 'dims', 'non-negative integers', describeValue([...dims]));
    }
    size *= dim;
  }
  return size;
}

/**
 * Row-major strides: how many elements one step along each axis skips.
 *
 * @example
 * ```ts
 * stridesOf([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length);
  let stride = 1;
  for (let axis = dims.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= dims[axis] ?? 1;
  }
  return strides;
}

/**
 * Builds a tensor, allocating zeros when `data` is omitted.
 *
 * @example
 * ```ts
 * const t = createTensor('float32', [2, 2], new Float32Array([1, 2, 3, 4]));
 * t.dims; // [2, 2]
 * createTensor('int64', [3]).data; // BigInt64Array [0n, 0n, 0n]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `data` is not the element type's TypedArray or its length is not the product of `dims`.
 */
export function createTensor<T extends TensorType>(
  type: T,
  dims: readonly number[],
  data?: TensorDataTypes[T],
): Tensor<T> {
  const constructor = typedArrayConstructors[type];
  if (constructor === undefined) {
    throw invalidArgument(
      'createTensor',
      'type',
      `one of ${Object.keys(typedArrayConstructors).join(', ')}`,
      describeValue(type),
    );
  }
  const size = sizeOf(dims);
  if (data === undefined) return { type, data: new constructor(size), dims: [...dims] };
  if (!(data instanceof (constructor as unknown as abstract new () => unknown))) {
    throw invalidArgument(
      'createTensor',
      'data',
      `a ${constructor.name} for type '${type}'`,
      describeValue(data),
    );
  }
  if (data.length !== size) {
    throw invalidArgument(
      'createTensor',
      'data',
      `${size} elements for dims ${describeValue([...dims])}`,
      `${data.length}`,
    );
  }
  return { type, data, dims: [...dims] };
}

/**
 * Checks that `tensor` has `rank` dims and returns them, for kernels that name each axis.
 *
 * @example
 * ```ts
 * const [batch, heads, length, depth] = expectRank('scaledDotProductAttention', 'query', createTensor('float32', [1, 2, 3, 4]), 4);
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the rank differs or the data length does not match the dims.
 */
export function expectRank(fn: string, argument: string, tensor: Tensor, rank: number): number[] {
  if (tensor.dims.length !== rank) {
    throw invalidArgument(
      fn,
      argument,
      `a rank-${rank} tensor`,
      `rank ${tensor.dims.length} ${describeValue([...tensor.dims])}`,
    );
  }
  const size = sizeOf(tensor.dims);
  if (tensor.data.length !== size) {
    throw invalidArgument(
      fn,
      argument,
      `data of ${size} elements for dims ${describeValue([...tensor.dims])}`,
      `${tensor.data.length}`,
    );
  }
  return [...tensor.dims];
}
