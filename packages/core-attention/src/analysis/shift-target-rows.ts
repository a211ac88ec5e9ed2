// Shift-by-one for decoder cross-attention (the "Shift-Att" of Chen et al. 2020,
// https://arxiv.org/abs/2004.14837): align a target token with the decoder step that reads it, not the
// step that predicts it.
import { describeValue, invalidArgument } from '../errors/index.js';
import { createTensor } from '../tensor/index.js';
import { expectFloatMatrix, type FloatTensor } from './float-tensor.js';

/**
 * Rows 1..T−1 of a decoder cross-attention matrix [T, S], so that row i of the result aligns target token i.
 *
 * Cross-attention rows are indexed by decoder step: step i reads token y_{i−1} (step 0 reads the decoder
 * start token) and predicts y_i. Unshifted, row i aligns y_i with the sources the decoder looked at while
 * *predicting* it. Shifted, y_i takes row i+1, the step whose input is y_i, which for many models tracks the
 * source word better. The input's row 0 is dropped, and the last target token (usually EOS, never read by the
 * decoder) gets no row: the result has T−1 rows, labelled by the first T−1 target tokens.
 *
 * @example
 * ```ts
 * // steps: 0 reads <start> predicts "Hallo"; 1 reads "Hallo" predicts "Welt"; 2 reads "Welt" predicts </s>
 * const W = createTensor('float32', [3, 2], new Float32Array([0.5, 0.5, 0.875, 0.125, 0.25, 0.75]));
 * shiftTargetRows(W).data; // Float32Array [0.875, 0.125, 0.25, 0.75]: row 0 = "Hallo", row 1 = "Welt"
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `attention` is not a rank-2 float tensor with at least 2 rows.
 */
export function shiftTargetRows<T extends FloatTensor>(attention: T): T {
  const [rows, columns] = expectFloatMatrix('shiftTargetRows', 'attention', attention);
  if (rows < 2) {
    throw invalidArgument(
      'shiftTargetRows',
      'attention',
      'a matrix of at least 2 rows (decoder steps)',
      describeValue([rows, columns]),
    );
  }
  return createTensor(attention.type, [rows - 1, columns], attention.data.slice(columns)) as T;
}
