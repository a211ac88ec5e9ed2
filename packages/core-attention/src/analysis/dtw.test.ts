import { describe, expect, it } from 'vitest';
import { randomInt, randomNormal, seededRandom } from '../testing/index.js';
import { createTensor } from '../tensor/index.js';
import { dynamicTimeWarping } from './index.js';

/** Every monotonic path from (0, 0) to (N−1, M−1) by steps (1,0), (0,1), (1,1), as lists of cells. */
function allPaths(N: number, M: number): [number, number][][] {
  const paths: [number, number][][] = [];
  const walk = (i: number, j: number, path: [number, number][]): void => {
    const here: [number, number][] = [...path, [i, j]];
    if (i === N - 1 && j === M - 1) {
      paths.push(here);
      return;
    }
    if (i + 1 < N) walk(i + 1, j, here);
    if (j + 1 < M) walk(i, j + 1, here);
    if (i + 1 < N && j + 1 < M) walk(i + 1, j + 1, here);
  };
  walk(0, 0, []);
  return paths;
}

describe('dynamicTimeWarping', () => {
  it('finds the hand-worked cheapest path', () => {
    // x = [[1, 3, 4],
    //      [2, 1, 3]]
    // D (1-based, D[0,0] = 0, rest of the border ∞), each cell x + min(diagonal, up, left):
    //   D[1,1] = 1 + 0 = 1;  D[1,2] = 3 + D[1,1] = 4;  D[1,3] = 4 + D[1,2] = 8
    //   D[2,1] = 2 + D[1,1] = 3
    //   D[2,2] = 1 + min(D[1,1] = 1, D[1,2] = 4, D[2,1] = 3) = 2   (diagonal)
    //   D[2,3] = 3 + min(D[1,2] = 4, D[1,3] = 8, D[2,2] = 2) = 5   (left)
    // backtrace: (2,3) <- left (2,2) <- diagonal (1,1): 0-based cells (0,0), (1,1), (1,2), cost 1 + 1 + 3 = 5
    const x = createTensor('float64', [2, 3], new Float64Array([1, 3, 4, 2, 1, 3]));
    const path = dynamicTimeWarping(x);
    expect([...path.textIndices]).toEqual([0, 1, 1]);
    expect([...path.timeIndices]).toEqual([0, 1, 2]);
    expect(path.cost).toBe(5);
  });

  it('aligns tokens to frames from negated attention', () => {
    // 2 tokens over 5 frames: token 0 is heard in frames 0-1, token 1 in frames 2-4 (attention 1 there, 0 elsewhere).
    // Cost −attention: a path collects each cell once and there are five −1 cells, so the optimum is −5 and visits all of them.
    const attention = [1, 1, 0, 0, 0, 0, 0, 1, 1, 1];
    const path = dynamicTimeWarping(
      createTensor(
        'float32',
        [2, 5],
        Float32Array.from(attention, (a) => -a),
      ),
    );
    expect(path.cost).toBe(-5);
    const cells = [...path.textIndices].map((token, step) => `${token},${path.timeIndices[step]}`);
    expect(cells).toEqual(expect.arrayContaining(['0,0', '0,1', '1,2', '1,3', '1,4']));
  });

  it('equals brute-force enumeration of every monotonic path on random matrices', () => {
    const random = seededRandom(17);
    for (let trial = 0; trial < 40; trial++) {
      const N = randomInt(random, 1, 5);
      const M = randomInt(random, 1, 6);
      const x = randomNormal(random, N * M);
      let best = Infinity;
      let bestPath: [number, number][] = [];
      for (const candidate of allPaths(N, M)) {
        const cost = candidate.reduce((sum, [i, j]) => sum + (x[i * M + j] as number), 0);
        if (cost < best) [best, bestPath] = [cost, candidate];
      }
      const path = dynamicTimeWarping(createTensor('float32', [N, M], x));
      expect(path.cost).toBeCloseTo(best, 5);
      expect([...path.textIndices]).toEqual(bestPath.map(([i]) => i));
      expect([...path.timeIndices]).toEqual(bestPath.map(([, j]) => j));
    }
  });

  it('handles single rows and columns', () => {
    expect([
      ...dynamicTimeWarping(createTensor('float32', [1, 3], new Float32Array([1, 2, 3])))
        .timeIndices,
    ]).toEqual([0, 1, 2]);
    expect([
      ...dynamicTimeWarping(createTensor('float32', [3, 1], new Float32Array([1, 2, 3])))
        .textIndices,
    ]).toEqual([0, 1, 2]);
  });

  it('rejects empty and non-finite costs', () => {
    expect(() => dynamicTimeWarping(createTensor('float32', [0, 3]))).toThrow(
      'dynamicTimeWarping(): cost must be a matrix with at least one row and one column, got [0,3].',
    );
    expect(() =>
      dynamicTimeWarping(createTensor('float32', [1, 2], new Float32Array([0, Number.NaN]))),
    ).toThrow(/cost\[0, 1\] must be a finite number, got NaN/);
  });
});
