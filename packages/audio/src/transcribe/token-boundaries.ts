// Token timing from cross-attention, Whisper's recipe (openai/whisper timing.py find_alignment; Radford et al.
// 2022, §3.8 of the paper's appendix): alignment heads' weights over the audio's frames, standardised per frame
// over the decoder positions, median-filtered over time, averaged over heads, then a monotonic DTW path through
// the negated matrix; a token starts at the first frame the path spends on its row.
//
// Legend: weights [A, Q, F] (A alignment heads, Q decoder positions = prompt + generated inputs, F audio frames);
// rows [R, F] = the positions that predict text tokens 0..n-1 (R = n) and, when generation ended with
// <|endoftext|>, the position that predicts it (R = n + 1); boundaries [n + 1] in frames.
import {
  createTensor,
  describeValue,
  dynamicTimeWarping,
  invalidArgument,
  medianFilter,
  standardizeAlignmentHeads,
  type Tensor,
} from '@attn/core-attention';

export interface TokenBoundaryOptions {
  /** Q index of the position that predicts the first text token (prompt length − 1). */
  firstRow: number;
  /** Text tokens n. */
  tokens: number;
  /** Whether row firstRow + n (the position that predicted <|endoftext|>) exists and closes the last token. */
  hasEndRow: boolean;
  /** Median filter width over frames; Whisper's is 7. */
  medianFilterWidth: number;
}

/**
 * Frame boundaries of `tokens` text tokens: token i spans frames [boundaries[i], boundaries[i + 1]).
 * The last boundary is where the path enters the end row, or one past the path's last frame without one.
 *
 * @example
 * ```ts
 * // 1 head, a prompt row then tokens A and B and the end row, over 6 frames: A attends to frames 0–1,
 * // B to 2–3, the end row to 4–5 (a block diagonal the median filter of width 1 leaves as it is)
 * const weights = createTensor('float32', [1, 4, 6], new Float32Array([
 *   1, 1, 1, 1, 1, 1,   1, 1, 0, 0, 0, 0,   0, 0, 1, 1, 0, 0,   0, 0, 0, 0, 1, 1,
 * ]));
 * tokenBoundaries(weights, { firstRow: 1, tokens: 2, hasEndRow: true, medianFilterWidth: 1 });
 * // Int32Array [0, 2, 4]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `weights` is not a float32 [A, Q, F] tensor with Q ≥
 * firstRow + tokens (+ 1 with the end row), or an option is out of range.
 */
export function tokenBoundaries(
  weights: Tensor<'float32'>,
  options: TokenBoundaryOptions,
): Int32Array {
  const fn = 'tokenBoundaries';
  const { firstRow, tokens, hasEndRow, medianFilterWidth } = options;
  if (weights?.type !== 'float32' || weights.dims.length !== 3)
    throw invalidArgument(
      fn,
      'weights',
      'a float32 tensor [heads, positions, frames]',
      describeValue(weights?.dims),
    );
  const [A, Q, F] = weights.dims as [number, number, number];
  const R = tokens + (hasEndRow ? 1 : 0);
  if (!(Number.isInteger(firstRow) && firstRow >= 0 && Number.isInteger(tokens) && tokens >= 1))
    throw invalidArgument(
      fn,
      'options',
      'firstRow ≥ 0 and tokens ≥ 1 (integers)',
      describeValue({ firstRow, tokens }),
    );
  if (firstRow + R > Q || A === 0 || F === 0)
    throw invalidArgument(
      fn,
      'weights',
      `at least one head and frame and ${firstRow + R} positions (firstRow + tokens${hasEndRow ? ' + end row' : ''})`,
      describeValue(weights.dims),
    );
  // 1) per head and frame, standardise over all Q positions; 2) median filter along frames
  const smoothed = medianFilter(standardizeAlignmentHeads(weights), medianFilterWidth).data;
  // 3) mean over heads of the rows that predict text (and the end), negated: high attention is cheap
  const cost = createTensor('float64', [R, F]); // [R, F]
  for (let a = 0; a < A; a++)
    for (let r = 0; r < R; r++) {
      const from = (a * Q + firstRow + r) * F;
      for (let f = 0; f < F; f++)
        cost.data[r * F + f] =
          (cost.data[r * F + f] as number) - (smoothed[from + f] as number) / A;
    }
  // 4) DTW; a row starts where the path's text index jumps to it
  const path = dynamicTimeWarping(cost);
  const boundaries = new Int32Array(tokens + 1);
  for (let step = path.textIndices.length - 1; step >= 0; step--) {
    const row = path.textIndices[step] as number;
    if (row <= tokens) boundaries[row] = path.timeIndices[step] as number;
  }
  if (!hasEndRow)
    boundaries[tokens] = (path.timeIndices[path.timeIndices.length - 1] as number) + 1;
  return boundaries;
}
