// Attention masks and the one broadcasting rule every kernel applies to them (NumPy's, right-aligned):
// a mask of rank 1..4 lines up with scores [B,H,T,S] from the right, and each of its dims is 1 or equal.
import { describeValue, invalidArgument, shapeMismatch } from '../errors/index.js';
import { sizeOf, type Tensor } from '../tensor/index.js';

/**
 * A mask over attention scores [B,H,T,S], or any shape that broadcasts to it: [B,1,1,S] for padding,
 * [1,1,T,S] (or just [T,S]) for causal. bool / uint8: 1 keeps a score, 0 masks it.
 * float32: added to the scores (0 keeps, -Infinity masks, an ALiBi or T5 bias shifts).
 */
export type AttentionMask = Tensor<'bool'> | Tensor<'uint8'> | Tensor<'float32'>;

/** A mask resolved against scores [B,H,T,S]: its data and its strides along B, H, T, S (0 where broadcast). */
export interface BroadcastMask {
  readonly data: Uint8Array | Float32Array;
  readonly additive: boolean;
  readonly strides: readonly [number, number, number, number];
}

/**
 * Checks `mask` against scores of dims `scores` [B,H,T,S] and returns its broadcast strides (internal).
 *
 * @throws {AttnError} INVALID_ARGUMENT for a wrong element type or data length; SHAPE_MISMATCH when a dim neither is 1 nor matches.
 */
export function broadcastMask(
  fn: string,
  argument: string,
  mask: AttentionMask,
  scores: readonly number[],
): BroadcastMask {
  const isKeep = mask?.type === 'bool' || mask?.type === 'uint8';
  if (
    !(isKeep && mask.data instanceof Uint8Array) &&
    !(mask?.type === 'float32' && mask.data instanceof Float32Array)
  ) {
    throw invalidArgument(
      fn,
      argument,
      'a bool, uint8 or float32 Tensor',
      mask?.type ?? describeValue(mask),
    );
  }
  const strides = broadcastStrides(fn, argument, mask.dims, scores, '[B,H,T,S]');
  if (mask.data.length !== sizeOf(mask.dims)) {
    throw invalidArgument(
      fn,
      argument,
      `data of ${sizeOf(mask.dims)} elements`,
      `${mask.data.length}`,
    );
  }
  return {
    data: mask.data,
    additive: !isKeep,
    strides: strides as [number, number, number, number],
  };
}

/**
 * Combines two masks into one over their broadcast shape: two keep masks by logical AND (a bool mask);
 * otherwise additively (a float32 mask, a keep mask counting 0 / -Infinity).
 *
 * @example
 * ```ts
 * const padding = paddingMask(createTensor('int64', [1, 3], new BigInt64Array([1n, 1n, 0n]))); // [1,1,1,3]
 * const mask = combineMasks(padding, causalMask(3, 3)); // [1,1,3,3]
 * mask.data; // Uint8Array [1,0,0, 1,1,0, 1,1,0]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a mask is not a bool / uint8 / float32 tensor of rank 1..4;
 * SHAPE_MISMATCH when their dims neither match nor are 1.
 */
export function combineMasks(first: AttentionMask, second: AttentionMask): AttentionMask {
  const rank = Math.max(first?.dims?.length ?? 0, second?.dims?.length ?? 0);
  if (rank > 4) {
    const [argument, mask] = (first?.dims?.length ?? 0) > 4 ? ['first', first] : ['second', second];
    throw invalidArgument(
      'combineMasks',
      argument,
      'a tensor of rank 1 to 4',
      `dims ${describeValue([...mask.dims])}`,
    );
  }
  const firstDims = padLeft(first?.dims ?? [], rank);
  const secondDims = padLeft(second?.dims ?? [], rank);
  const dims = firstDims.map((dim, axis) => (dim === 1 ? (secondDims[axis] as number) : dim));
  const target = padLeft(dims, 4);
  const a = broadcastMask('combineMasks', 'first', first, target);
  const b = broadcastMask('combineMasks', 'second', second, target);
  const additive = a.additive || b.additive;
  const data = additive ? new Float32Array(sizeOf(dims)) : new Uint8Array(sizeOf(dims));
  const [batch, heads, queries, keys] = target as [number, number, number, number];
  let index = 0;
  for (let n = 0; n < batch; n++) {
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < queries; t++) {
        for (let s = 0; s < keys; s++, index++) {
          const x = a.data[
            n * a.strides[0] + h * a.strides[1] + t * a.strides[2] + s * a.strides[3]
          ] as number;
          const y = b.data[
            n * b.strides[0] + h * b.strides[1] + t * b.strides[2] + s * b.strides[3]
          ] as number;
          data[index] = additive
            ? asBias(x, a.additive) + asBias(y, b.additive)
            : x !== 0 && y !== 0
              ? 1
              : 0;
        }
      }
    }
  }
  return additive
    ? { type: 'float32', data: data as Float32Array, dims }
    : { type: 'bool', data: data as Uint8Array, dims };
}

function asBias(value: number, additive: boolean): number {
  return additive ? value : value !== 0 ? 0 : -Infinity;
}

function padLeft(dims: readonly number[], rank: number): number[] {
  return [...new Array<number>(Math.max(0, rank - dims.length)).fill(1), ...dims];
}

/** Strides of `dims` broadcast (right-aligned) to `target`, 0 along broadcast axes. */
function broadcastStrides(
  fn: string,
  argument: string,
  dims: readonly number[],
  target: readonly number[],
  legend: string,
): number[] {
  if (!Array.isArray(dims) || dims.length < 1 || dims.length > target.length) {
    throw invalidArgument(
      fn,
      argument,
      `a tensor of rank 1 to ${target.length}`,
      `dims ${describeValue(dims)}`,
    );
  }
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let axis = target.length - 1, own = dims.length - 1; own >= 0; axis--, own--) {
    const dim = dims[own] as number;
    if (dim !== 1 && dim !== target[axis]) {
      throw shapeMismatch(
        fn,
        argument,
        `broadcastable to ${describeValue([...target])} ${legend} (right-aligned; each dim 1 or equal)`,
        describeValue([...dims]),
      );
    }
    strides[axis] = dim === 1 ? 0 : stride;
    stride *= dim;
  }
  return strides;
}
