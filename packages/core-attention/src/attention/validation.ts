// Argument checks shared by the attention kernels (internal: not exported from the package).
// Every failure is an AttnError whose message names the function, the argument, what was expected and what came.
import { describeValue, invalidArgument, shapeMismatch } from '../errors/index.js';
import { expectRank, type Tensor } from '../tensor/index.js';

/** Checks a float32 tensor of `rank` with no zero-length axis and returns its dims. */
export function expectFloat32(
  fn: string,
  argument: string,
  tensor: Tensor,
  rank: number,
): number[] {
  if (
    tensor === null ||
    typeof tensor !== 'object' ||
    tensor.type !== 'float32' ||
    !(tensor.data instanceof Float32Array)
  ) {
    throw invalidArgument(fn, argument, 'a float32 Tensor', describeTensor(tensor));
  }
  const dims = expectRank(fn, argument, tensor, rank);
  if (dims.includes(0))
    throw invalidArgument(fn, argument, 'a non-empty tensor', `dims ${describeValue(dims)}`);
  return dims;
}

/** Checks that `actual` equals `expected`; the message shows both, with a legend saying what each axis is. */
export function expectDims(
  fn: string,
  argument: string,
  actual: readonly number[],
  expected: readonly number[],
  legend: string,
): void {
  if (actual.length === expected.length && actual.every((dim, axis) => dim === expected[axis]))
    return;
  throw shapeMismatch(
    fn,
    argument,
    `${describeValue([...expected])} ${legend}`,
    describeValue([...actual]),
  );
}

/** Checks an integer >= `minimum`. */
export function expectInteger(
  fn: string,
  argument: string,
  value: unknown,
  minimum: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    const expected =
      minimum === 1
        ? 'a positive integer'
        : minimum === 0
          ? 'a non-negative integer'
          : `an integer >= ${minimum}`;
    throw invalidArgument(fn, argument, expected, describeValue(value));
  }
  return value;
}

/** Checks an attention scale: finite and > 0; undefined means 1/sqrt(depth). */
export function resolveScale(fn: string, scale: number | undefined, depth: number): number {
  if (scale === undefined) return 1 / Math.sqrt(depth);
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw invalidArgument(fn, 'options.scale', 'a finite number > 0', describeValue(scale));
  }
  return scale;
}

/** Checks a caller-owned output buffer, or allocates one. */
export function outputBuffer(
  fn: string,
  argument: string,
  buffer: Float32Array | undefined,
  length: number,
): Float32Array {
  if (buffer === undefined) return new Float32Array(length);
  if (!(buffer instanceof Float32Array) || buffer.length !== length) {
    throw invalidArgument(
      fn,
      argument,
      `a Float32Array of ${length} elements`,
      describeValue(buffer),
    );
  }
  return buffer;
}

function describeTensor(value: unknown): string {
  if (value === null || typeof value !== 'object') return describeValue(value);
  const { type, data } = value as Partial<Tensor>;
  if (typeof type !== 'string') return describeValue(value);
  return type === 'float32'
    ? `a float32 tensor holding ${describeValue(data)}`
    : `a ${type} tensor`;
}
