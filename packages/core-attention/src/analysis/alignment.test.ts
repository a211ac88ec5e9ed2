import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/index.js';
import { createTensor } from '../tensor/index.js';
import {
  argmaxAlignment,
  bidirectionalAlignment,
  itermaxAlignment,
  shiftTargetRows,
  thresholdAlignment,
  type AlignmentLink,
} from './index.js';

const pairs = (links: AlignmentLink[]) => links.map(({ source, target }) => `${source}-${target}`);

/** A row-stochastic [n, n] matrix peaked on a random permutation: row t puts 0.6 on source perm[t], noise elsewhere. */
function permutationMatrix(n: number, seed: number): { matrix: Float32Array; perm: number[] } {
  const random = seededRandom(seed);
  const perm = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const matrix = new Float32Array(n * n);
  for (let t = 0; t < n; t++) {
    for (let s = 0; s < n; s++)
      matrix[t * n + s] = s === perm[t] ? 0.6 : (0.4 / (n - 1)) * (0.5 + random());
  }
  return { matrix, perm };
}

const matrix = (rows: number, columns: number, values: number[]) =>
  createTensor('float32', [rows, columns], Float32Array.from(values));

describe('argmaxAlignment', () => {
  it('recovers a permutation', () => {
    const { matrix: W, perm } = permutationMatrix(7, 1);
    const links = argmaxAlignment(createTensor('float32', [7, 7], W));
    expect(links.map(({ source }) => source)).toEqual(perm);
    expect(links.map(({ target }) => target)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(links.every(({ weight }) => Math.abs(weight - 0.6) < 1e-6)).toBe(true);
  });

  it('breaks ties by the first source, skips masked rows and applies the threshold', () => {
    const W = matrix(3, 3, [0.4, 0.4, 0.2, 0, 0, 0, 0.1, 0.3, 0.6]);
    expect(pairs(argmaxAlignment(W))).toEqual(['0-0', '2-2']);
    expect(pairs(argmaxAlignment(W, { threshold: 0.5 }))).toEqual(['2-2']);
    expect(argmaxAlignment(createTensor('float64', [0, 3]))).toEqual([]);
  });

  it('rejects what is not a float matrix', () => {
    expect(() => argmaxAlignment(createTensor('float32', [2, 2, 1]) as never)).toThrow(
      /argmaxAlignment\(\): attention must be a rank-2 tensor, got rank 3/,
    );
    expect(() => argmaxAlignment(createTensor('int32', [2, 2]) as never)).toThrow(
      /attention must be a float32 or float64 Tensor/,
    );
    expect(() => argmaxAlignment(matrix(1, 1, [1]), { threshold: Number.NaN })).toThrow(
      /threshold must be a finite number, got NaN/,
    );
  });
});

describe('thresholdAlignment', () => {
  it('keeps every cell at or above the threshold', () => {
    const W = matrix(2, 3, [0.5, 0.25, 0.25, 0.125, 0.4375, 0.4375]); // exact in float32
    expect(pairs(thresholdAlignment(W, 0.25))).toEqual(['0-0', '1-0', '2-0', '1-1', '2-1']);
    expect(pairs(thresholdAlignment(W, 0.4375))).toEqual(['0-0', '1-1', '2-1']);
    expect(() => thresholdAlignment(W, 0)).toThrow(
      /threshold must be a positive finite number, got 0/,
    );
  });
});

describe('shiftTargetRows', () => {
  it('drops row 0 so that result row i is input row i + 1', () => {
    const W = createTensor('float64', [3, 2], new Float64Array([1, 2, 3, 4, 5, 6]));
    const shifted = shiftTargetRows(W);
    expect(shifted.type).toBe('float64');
    expect(shifted.dims).toEqual([2, 2]);
    expect([...shifted.data]).toEqual([3, 4, 5, 6]);
    expect(() => shiftTargetRows(matrix(1, 2, [0.5, 0.5]))).toThrow(
      /shiftTargetRows\(\): attention must be a matrix of at least 2 rows/,
    );
  });

  it('realigns a decoder whose attention runs one step ahead of its output', () => {
    // rows are decoder steps; step i (reading y_{i−1}) already looks at the source of y_i's successor,
    // so target i's source sits in row i + 1: source of target i = perm[i]
    const perm = [2, 0, 1];
    const W = new Float32Array(4 * 3).fill(0.1);
    for (let t = 0; t < 3; t++) W[(t + 1) * 3 + perm[t]!] = 0.8;
    expect(
      argmaxAlignment(shiftTargetRows(createTensor('float32', [4, 3], W))).map(
        ({ source }) => source,
      ),
    ).toEqual(perm);
  });
});

describe('itermaxAlignment', () => {
  it('recovers a permutation in round one and adds nothing after', () => {
    const { matrix: W, perm } = permutationMatrix(6, 2);
    const links = itermaxAlignment(createTensor('float32', [6, 6], W), { iterations: 3 });
    expect(links.map(({ source }) => source)).toEqual(perm);
  });

  it('adds links for words left unaligned, including a second source for an aligned target', () => {
    // rows t0 = (.5, .4, .1), t1 = (.1, .1, .8), t2 = (.2, .05, .75)
    // round 1: row bests t0→s0, t1→s2, t2→s2; column bests s0→t0, s1→t0, s2→t1: mutual 0-0 and 2-1 (source-target).
    // round 2 (t2, s1 unaligned), masked W ⊙ M with α = .9:
    //   t0: s0 0 (both aligned), s1 .9·.4 = .36, s2 0 -> s1;  t1: s0 0, s1 .9·.1 = .09, s2 0 -> s1
    //   t2: s0 .9·.2 = .18, s1 1·.05 = .05, s2 .9·.75 = .675 -> s2
    //   columns: s1 -> t0 (.36 > .09 > .05): mutual with t0 -> 1-0;  s2 -> t2 (.675): mutual -> 2-2
    const W = matrix(3, 3, [0.5, 0.4, 0.1, 0.1, 0.1, 0.8, 0.2, 0.05, 0.75]);
    expect(pairs(itermaxAlignment(W, { iterations: 1 }))).toEqual(['0-0', '2-1']);
    expect(pairs(itermaxAlignment(W))).toEqual(['0-0', '1-0', '2-1', '2-2']);
  });

  it('stops when every row or column is aligned, never links masked rows, and validates options', () => {
    const W = matrix(3, 2, [0.9, 0.1, 0.1, 0.9, 0, 0]);
    expect(pairs(itermaxAlignment(W, { iterations: 5 }))).toEqual(['0-0', '1-1']);
    expect(() => itermaxAlignment(W, { iterations: 0 })).toThrow(
      /iterations must be a positive integer, got 0/,
    );
    expect(() => itermaxAlignment(W, { alpha: 1.5 })).toThrow(
      /alpha must be a number in \[0, 1\], got 1.5/,
    );
  });
});

describe('bidirectionalAlignment', () => {
  /** One-hot-ish rows: row r puts 0.8 on column best[r] and 0.05 elsewhere (5 columns, so rows sum to 1). */
  const peaked = (best: number[]) =>
    createTensor(
      'float32',
      [best.length, 5],
      Float32Array.from({ length: best.length * 5 }, (_, cell) =>
        cell % 5 === best[Math.floor(cell / 5)] ? 0.8 : 0.05,
      ),
    );

  it('combines two directions as each method documents', () => {
    // forward (target -> source): t0→s0, t1→s1, t2→s2, t3→s0, t4→s4
    // backward (source -> target): s0→t0, s1→t1, s2→t2, s3→t0, s4→t0
    // as (source-target): F = {0-0, 1-1, 2-2, 0-3, 4-4}, B = {0-0, 1-1, 2-2, 3-0, 4-0}
    // intersection = {0-0, 1-1, 2-2}; no union link touches the 8-neighbourhood of the diagonal block
    //   (3-0 is next to 2-1? no: neighbours of 2-2 are sources 1..3 × targets 1..3), so grow-diag adds nothing.
    // final (or), forward first: 0-3 (target 3 free) added, 4-4 (both free) added;
    //   backward: 3-0 (source 3 free) added, 4-0 (source 4 and target 0 now both aligned) not added.
    // final-and: 0-3 has source 0 aligned -> no; 4-4 both free -> yes; 3-0 target 0 aligned -> no.
    const targetToSource = peaked([0, 1, 2, 0, 4]);
    const sourceToTarget = peaked([0, 1, 2, 0, 0]);
    const run = (
      method: 'intersection' | 'union' | 'grow-diag' | 'grow-diag-final' | 'grow-diag-final-and',
    ) => pairs(bidirectionalAlignment(targetToSource, sourceToTarget, { method })).sort();
    expect(run('intersection')).toEqual(['0-0', '1-1', '2-2']);
    expect(run('union')).toEqual(['0-0', '0-3', '1-1', '2-2', '3-0', '4-0', '4-4']);
    expect(run('grow-diag')).toEqual(['0-0', '1-1', '2-2']);
    expect(run('grow-diag-final')).toEqual(['0-0', '0-3', '1-1', '2-2', '3-0', '4-4']);
    expect(run('grow-diag-final-and')).toEqual(['0-0', '1-1', '2-2', '4-4']);
  });

  it('grows along neighbours of the intersection', () => {
    // forward: t0→s0, t1→s1, t2→s3, t3→s3; backward: s0→t0, s1→t1, s2→t0, s3→t3, s4→t3
    // intersection {0-0, 1-1, 3-3} (source-target); grow-diag adds the union links 2-0 (diagonal to 1-1, source 2 free),
    // 3-2 (next to 3-3, target 2 free) and 4-3 (next to 3-3, source 4 free)
    const targetToSource = peaked([0, 1, 3, 3]);
    const sourceToTarget = createTensor(
      'float32',
      [5, 4],
      Float32Array.from({ length: 20 }, (_, cell) =>
        cell % 4 === [0, 1, 0, 3, 3][Math.floor(cell / 4)] ? 0.85 : 0.05,
      ),
    );
    expect(
      pairs(bidirectionalAlignment(targetToSource, sourceToTarget, { method: 'grow-diag' })).sort(),
    ).toEqual(['0-0', '1-1', '2-0', '3-2', '3-3', '4-3']);
  });

  it('recovers a permutation from both directions, weighting links by the mean of the two', () => {
    const { matrix: W, perm } = permutationMatrix(5, 3);
    const forward = createTensor('float32', [5, 5], W);
    const transposed = new Float32Array(25);
    for (let t = 0; t < 5; t++) for (let s = 0; s < 5; s++) transposed[s * 5 + t] = W[t * 5 + s]!;
    const links = bidirectionalAlignment(forward, createTensor('float32', [5, 5], transposed), {
      method: 'intersection',
    });
    expect(links.map(({ source }) => source)).toEqual(perm);
    expect(links[0]?.weight).toBeCloseTo(0.6, 6);
  });

  it('rejects mismatched shapes and unknown methods', () => {
    expect(() =>
      bidirectionalAlignment(matrix(2, 3, [1, 0, 0, 0, 1, 0]), matrix(2, 3, [1, 0, 0, 0, 1, 0])),
    ).toThrow('bidirectionalAlignment(): sourceToTarget must have shape [3,2], got [2,3]');
    expect(() =>
      bidirectionalAlignment(matrix(1, 1, [1]), matrix(1, 1, [1]), { method: 'grow' as never }),
    ).toThrow(/method must be one of intersection, union/);
  });
});
