// The next-token logits of a decoder output: the last position of every row of logits [rows, positions, vocab].
import type { Tensor } from '../../tensor/index.js';

/**
 * Logits of the last position, [rows × vocab] flattened.
 *
 * @example
 * ```ts
 * lastPositionLogits(createTensor('float32', [1, 2, 2], new Float32Array([1, 2, 3, 4]))); // Float32Array [3, 4]
 * ```
 */
export function lastPositionLogits(logits: Tensor<'float32'>): Float32Array {
  const [rows, positions, vocab] = logits.dims as [number, number, number];
  if (positions === 1) return logits.data;
  const last = new Float32Array(rows * vocab);
  for (let row = 0; row < rows; row++) {
    const from = (row * positions + positions - 1) * vocab;
    last.set(logits.data.subarray(from, from + vocab), row * vocab);
  }
  return last;
}
