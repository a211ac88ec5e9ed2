// Dynamic time warping with a monotonic path, the recipe Whisper uses for word timestamps (openai/whisper
// timing.py; Radford et al. 2022): cheapest path from (0, 0) to (N−1, M−1) by steps (1, 0), (0, 1), (1, 1).
// For timestamps, pass the negated alignment-head attention so that high attention is cheap.
//
// Legend: x [N, M] cost, rows = text tokens, columns = time frames; D [N+1, M+1] accumulated cost with
// D[0, 0] = 0 and ∞ on the rest of the border; trace [N+1, M+1] the step that reached each cell.
import { describeValue, invalidArgument } from '../errors/index.js';
import { expectFloatMatrix, type FloatTensor } from './float-tensor.js';

/** The warping path as parallel arrays, both non-decreasing, from (0, 0) to (N−1, M−1). */
export interface WarpingPath {
  /** Row (text token) index of each path step. */
  textIndices: Int32Array;
  /** Column (time frame) index of each path step. */
  timeIndices: Int32Array;
  /** Sum of x over the path. */
  cost: number;
}

const diagonal = 0;
const down = 1; // from (i−1, j): next text token, same frame
const right = 2; // from (i, j−1): same text token, next frame

/**
 * The minimum-cost monotonic path through `cost` [N, M], in O(N·M) time and memory.
 *
 * Ties resolve as in Whisper: the diagonal only when strictly cheaper than both other steps, then the vertical
 * step when strictly cheaper than both, else the horizontal one. Costs accumulate in float64 (Whisper: float32),
 * so near-ties may rarely resolve differently.
 *
 * @example
 * ```ts
 * // x = [[1, 9, 9], [9, 1, 1]]: path (0,0) -> (1,1) -> (1,2), cost 1 + 1 + 1 = 3
 * const path = dynamicTimeWarping(createTensor('float32', [2, 3], new Float32Array([1, 9, 9, 9, 1, 1])));
 * path.textIndices; // Int32Array [0, 1, 1]
 * path.timeIndices; // Int32Array [0, 1, 2]
 * path.cost; // 3
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `cost` is not a rank-2 float tensor with at least one row and column, or holds a value that is not finite.
 */
export function dynamicTimeWarping(cost: FloatTensor): WarpingPath {
  const fn = 'dynamicTimeWarping';
  const [N, M] = expectFloatMatrix(fn, 'cost', cost);
  if (N === 0 || M === 0)
    throw invalidArgument(
      fn,
      'cost',
      'a matrix with at least one row and one column',
      describeValue([N, M]),
    );
  const x = cost.data;
  const width = M + 1;
  const D = new Float64Array((N + 1) * width).fill(Infinity);
  const trace = new Uint8Array((N + 1) * width);
  D[0] = 0;
  for (let j = 1; j <= M; j++) {
    for (let i = 1; i <= N; i++) {
      const value = x[(i - 1) * M + (j - 1)] as number;
      if (!Number.isFinite(value))
        throw invalidArgument(
          fn,
          `cost[${i - 1}, ${j - 1}]`,
          'a finite number',
          describeValue(value),
        );
      const c0 = D[(i - 1) * width + (j - 1)] as number;
      const c1 = D[(i - 1) * width + j] as number;
      const c2 = D[i * width + (j - 1)] as number;
      let best = c2;
      let step = right;
      if (c0 < c1 && c0 < c2) [best, step] = [c0, diagonal];
      else if (c1 < c0 && c1 < c2) [best, step] = [c1, down];
      D[i * width + j] = value + best;
      trace[i * width + j] = step;
    }
  }
  // backtrace from (N, M) in D's 1-based coordinates; with finite costs the ∞ border steers the path
  // along row 1 / column 1 and cell (1, 1) always steps diagonally to (0, 0)
  const textIndices: number[] = [];
  const timeIndices: number[] = [];
  let i = N;
  let j = M;
  while (i > 0 && j > 0) {
    textIndices.push(i - 1);
    timeIndices.push(j - 1);
    const step = trace[i * width + j] as number;
    if (step !== right) i--;
    if (step !== down) j--;
  }
  return {
    textIndices: Int32Array.from(textIndices.reverse()),
    timeIndices: Int32Array.from(timeIndices.reverse()),
    cost: D[N * width + M] as number,
  };
}
