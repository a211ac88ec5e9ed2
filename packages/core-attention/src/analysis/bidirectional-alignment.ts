// Symmetrised alignment from two directions (Och & Ney 2003; grow-diag-final of Koehn et al. 2003, as in
// Moses' symal): argmax links target→source and source→target, then intersection, union, or intersection
// grown towards the union through neighbouring cells.
//
// Legend: F, B [T, S] 0/1 cells of the forward (target→source) and backward (source→target) argmax links;
// A [T, S] the alignment being grown; U = F ∪ B.
import { describeValue, invalidArgument, shapeMismatch } from '../errors/index.js';
import { argmaxAlignment, type AlignmentLink } from './alignment.js';
import { expectFloatMatrix, type FloatTensor } from './float-tensor.js';

/** How the two directional alignments are combined. */
export type SymmetrizationMethod =
  'intersection' | 'union' | 'grow-diag' | 'grow-diag-final' | 'grow-diag-final-and';

/** Options of {@link bidirectionalAlignment}. */
export interface BidirectionalAlignmentOptions {
  /** Default 'grow-diag-final'. */
  method?: SymmetrizationMethod;
  /** Passed to each direction's {@link argmaxAlignment}. Default 0. */
  threshold?: number;
}

const methods: readonly SymmetrizationMethod[] = [
  'intersection',
  'union',
  'grow-diag',
  'grow-diag-final',
  'grow-diag-final-and',
];
const neighbours = [
  [-1, 0],
  [0, -1],
  [1, 0],
  [0, 1],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
] as const;

/**
 * Combines target→source argmax links of `targetToSource` [T, S] with source→target argmax links of
 * `sourceToTarget` [S, T] (for example the cross-attention of a model translating the other way).
 *
 * - `intersection`: links both directions agree on (high precision).
 * - `union`: links either direction has (high recall).
 * - `grow-diag`: start from the intersection; repeatedly add a union link next to (8-neighbourhood) an alignment
 *   link when its target or its source is still unaligned, until nothing changes.
 * - `grow-diag-final`: grow-diag, then add forward, then backward links whose target *or* source is unaligned.
 * - `grow-diag-final-and`: the same, but only links whose target *and* source are both unaligned.
 *
 * A link's weight is the mean of its two directional weights, W_ts[t, s] and W_st[s, t]. Links come in target, then source order.
 *
 * @example
 * ```ts
 * // forward (target→source): t0→s0, t1→s0; backward (source→target): s0→t0, s1→t1
 * const targetToSource = createTensor('float32', [2, 2], new Float32Array([0.8, 0.2, 0.6, 0.4]));
 * const sourceToTarget = createTensor('float32', [2, 2], new Float32Array([0.7, 0.3, 0.1, 0.9]));
 * bidirectionalAlignment(targetToSource, sourceToTarget, { method: 'intersection' }).length; // 1 (target 0 - source 0)
 * bidirectionalAlignment(targetToSource, sourceToTarget).map(({ source, target }) => `${source}-${target}`);
 * // ['0-0', '0-1', '1-1'] (as source-target): growing adds both union links, each touching an unaligned word
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a matrix is not a rank-2 float tensor or `method` is unknown;
 * SHAPE_MISMATCH when `sourceToTarget` is not the transposed shape of `targetToSource`.
 */
export function bidirectionalAlignment(
  targetToSource: FloatTensor,
  sourceToTarget: FloatTensor,
  options: BidirectionalAlignmentOptions = {},
): AlignmentLink[] {
  const fn = 'bidirectionalAlignment';
  const [T, S] = expectFloatMatrix(fn, 'targetToSource', targetToSource);
  const [backwardRows, backwardColumns] = expectFloatMatrix(fn, 'sourceToTarget', sourceToTarget);
  if (backwardRows !== S || backwardColumns !== T) {
    throw shapeMismatch(
      fn,
      'sourceToTarget',
      describeValue([S, T]),
      describeValue([backwardRows, backwardColumns]),
    );
  }
  const { method = 'grow-diag-final', threshold = 0 } = options;
  if (!methods.includes(method))
    throw invalidArgument(fn, 'method', `one of ${methods.join(', ')}`, describeValue(method));

  const F = new Uint8Array(T * S);
  const B = new Uint8Array(T * S);
  for (const { source, target } of argmaxAlignment(targetToSource, { threshold }))
    F[target * S + source] = 1;
  for (const { source, target } of argmaxAlignment(sourceToTarget, { threshold }))
    B[source * S + target] = 1; // rows of W_st are sources

  const A = new Uint8Array(T * S);
  const targetAligned = new Int32Array(T);
  const sourceAligned = new Int32Array(S);
  const add = (t: number, s: number): void => {
    A[t * S + s] = 1;
    targetAligned[t] = (targetAligned[t] as number) + 1;
    sourceAligned[s] = (sourceAligned[s] as number) + 1;
  };
  for (let cell = 0; cell < T * S; cell++) {
    const keep =
      method === 'union' ? F[cell] === 1 || B[cell] === 1 : F[cell] === 1 && B[cell] === 1;
    if (keep) add(Math.floor(cell / S), cell % S);
  }

  if (method.startsWith('grow-diag')) {
    // grow: add union links next to alignment links while one of their two words is unaligned
    for (let changed = true; changed;) {
      changed = false;
      for (let t = 0; t < T; t++) {
        for (let s = 0; s < S; s++) {
          if (A[t * S + s] !== 1) continue;
          for (const [dt, ds] of neighbours) {
            const tn = t + dt;
            const sn = s + ds;
            if (tn < 0 || tn >= T || sn < 0 || sn >= S || A[tn * S + sn] === 1) continue;
            const inUnion = F[tn * S + sn] === 1 || B[tn * S + sn] === 1;
            if (inUnion && (targetAligned[tn] === 0 || sourceAligned[sn] === 0)) {
              add(tn, sn);
              changed = true;
            }
          }
        }
      }
    }
    // final: then directional links that touch unaligned words (either one, or both for final-and)
    if (method !== 'grow-diag') {
      const needBoth = method === 'grow-diag-final-and';
      for (const directional of [F, B]) {
        for (let t = 0; t < T; t++) {
          for (let s = 0; s < S; s++) {
            if (directional[t * S + s] !== 1 || A[t * S + s] === 1) continue;
            const targetFree = targetAligned[t] === 0;
            const sourceFree = sourceAligned[s] === 0;
            if (needBoth ? targetFree && sourceFree : targetFree || sourceFree) add(t, s);
          }
        }
      }
    }
  }

  const links: AlignmentLink[] = [];
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      if (A[t * S + s] !== 1) continue;
      const weight =
        ((targetToSource.data[t * S + s] as number) + (sourceToTarget.data[s * T + t] as number)) /
        2;
      links.push({ source: s, target: t, weight });
    }
  }
  return links;
}
