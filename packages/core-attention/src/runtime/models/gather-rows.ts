// Gathers rows of the first (batch) axis: how beam search moves a KV cache, encoder states and masks
// to the hypotheses that continue them.
import { invalidArgument, describeValue } from '../../errors/index.js';
import {
  sizeOf,
  typedArrayConstructors,
  type Tensor,
  type TensorType,
} from '../../tensor/index.js';

/**
 * A tensor whose row r is row `rows[r]` of `tensor` (along the first axis).
 *
 * @example
 * ```ts
 * const t = createTensor('float32', [2, 2], new Float32Array([1, 2, 3, 4]));
 * gatherRows(t, [1, 1, 0]).data; // Float32Array [3, 4, 3, 4, 1, 2]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT for a scalar tensor or a row index outside [0, batch).
 */
export function gatherRows<T extends TensorType>(
  tensor: Tensor<T>,
  rows: readonly number[],
): Tensor<T> {
  const [batch, ...rest] = tensor.dims;
  if (batch === undefined)
    throw invalidArgument('gatherRows', 'tensor', 'a tensor of rank ≥ 1', 'a scalar');
  const rowSize = sizeOf(rest);
  const data = new typedArrayConstructors[tensor.type](rows.length * rowSize);
  const source = tensor.data as unknown as {
    subarray(start: number, end: number): ArrayLike<number | bigint>;
  };
  const target = data as unknown as {
    set(values: ArrayLike<number | bigint>, offset: number): void;
  };
  rows.forEach((row, r) => {
    if (!Number.isInteger(row) || row < 0 || row >= batch) {
      throw invalidArgument(
        'gatherRows',
        `rows[${r}]`,
        `an integer in [0, ${batch})`,
        describeValue(row),
      );
    }
    target.set(source.subarray(row * rowSize, (row + 1) * rowSize), r * rowSize);
  });
  return { type: tensor.type, data, dims: [rows.length, ...rest] };
}
