// Itermax alignment (Jalili Sabet et al. 2020, SimAlign, https://arxiv.org/abs/2004.08728): mutual argmax
// links, then further rounds of mutual argmax on a matrix that discounts words already aligned, to add
// links for words the first round left out.
//
// Legend: W [T, S] weights (rows = targets, columns = sources); A the links so far; M [T, S] the mask of a round:
// 0 where target and source are both aligned, α where one is, min(1, 2α) where neither is.
import { describeValue, invalidArgument } from '../errors/index.js';
import type { AlignmentLink } from './alignment.js';
import { expectFloatMatrix, type FloatTensor } from './float-tensor.js';

/** Options of {@link itermaxAlignment}. */
export interface ItermaxOptions {
  /** Rounds in all, the first being plain mutual argmax (SimAlign's max_count). Default 2, as in the paper. */
  iterations?: number;
  /** α, the discount of a cell whose target or source is already aligned. Default 0.9, as in the paper. */
  alpha?: number;
}

/**
 * Itermax links for a weight (or similarity) matrix [T, S].
 *
 * Round 1 links (t, s) when s is t's best source and t is s's best target (mutual argmax, first index on ties).
 * Each later round multiplies W by M and adds the mutual-argmax cells of W ⊙ M whose target or source is still
 * unaligned. It stops after `iterations` rounds, when a round adds nothing, or when every target or every source
 * is aligned. Cells of weight ≤ 0 never link (masked rows). Unlike SimAlign's code, matrices with two or fewer rows
 * or columns are refined too. Links come in target, then source order, with their weight from W.
 *
 * @example
 * ```ts
 * // target 2 ties sources 0 and 2 and picks 0 (first), which target 0 holds: no link in round 1.
 * // Round 2 discounts source 0 (aligned) to 0.9 · 0.45 = 0.405 < 0.45, so target 2 and source 2 pair up.
 * const W = createTensor('float32', [3, 3], new Float32Array([
 *   0.9, 0.05, 0.05,
 *   0.05, 0.9, 0.05,
 *   0.45, 0.1, 0.45,
 * ]));
 * itermaxAlignment(W, { iterations: 1 }).length; // 2 (0-0, 1-1)
 * itermaxAlignment(W).map(({ source, target }) => `${source}-${target}`); // ['0-0', '1-1', '2-2']
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `similarity` is not a rank-2 float tensor, `iterations` is not a positive
 * integer, or `alpha` is outside [0, 1].
 */
export function itermaxAlignment(
  similarity: FloatTensor,
  options: ItermaxOptions = {},
): AlignmentLink[] {
  const fn = 'itermaxAlignment';
  const [T, S] = expectFloatMatrix(fn, 'similarity', similarity);
  const { iterations = 2, alpha = 0.9 } = options;
  if (!(Number.isInteger(iterations) && iterations >= 1))
    throw invalidArgument(fn, 'iterations', 'a positive integer', describeValue(iterations));
  if (!(alpha >= 0 && alpha <= 1))
    throw invalidArgument(fn, 'alpha', 'a number in [0, 1]', describeValue(alpha));
  const W = similarity.data;
  const A = new Uint8Array(T * S);
  const targetAligned = new Uint8Array(T);
  const sourceAligned = new Uint8Array(S);
  const masked = new Float64Array(T * S); // W ⊙ M
  const bestSource = new Int32Array(T);
  const bestTarget = new Int32Array(S);

  for (let round = 1; round <= iterations; round++) {
    let unalignedTargets = 0;
    let unalignedSources = 0;
    for (let t = 0; t < T; t++) unalignedTargets += 1 - (targetAligned[t] as number);
    for (let s = 0; s < S; s++) unalignedSources += 1 - (sourceAligned[s] as number);
    if (unalignedTargets === 0 || unalignedSources === 0) break;
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < S; s++) {
        const free = 2 - (targetAligned[t] as number) - (sourceAligned[s] as number); // unaligned words in the cell: 0, 1 or 2
        const M = round === 1 ? 1 : Math.min(1, alpha * free);
        masked[t * S + s] = (W[t * S + s] as number) * M;
      }
    }
    // mutual argmax of W ⊙ M
    bestTarget.fill(0);
    for (let t = 0; t < T; t++) {
      let best = 0;
      for (let s = 0; s < S; s++) {
        const value = masked[t * S + s] as number;
        if (value > (masked[t * S + best] as number)) best = s;
        if (value > (masked[(bestTarget[s] as number) * S + s] as number)) bestTarget[s] = t;
      }
      bestSource[t] = best;
    }
    const newLinks: number[] = [];
    for (let t = 0; t < T; t++) {
      const s = bestSource[t] as number;
      const bothAligned = targetAligned[t] === 1 && sourceAligned[s] === 1;
      if (bestTarget[s] === t && !bothAligned && A[t * S + s] === 0 && (W[t * S + s] as number) > 0)
        newLinks.push(t * S + s);
    }
    if (newLinks.length === 0) break;
    for (const cell of newLinks) {
      A[cell] = 1;
      targetAligned[Math.floor(cell / S)] = 1;
      sourceAligned[cell % S] = 1;
    }
  }

  const links: AlignmentLink[] = [];
  for (let cell = 0; cell < T * S; cell++) {
    if (A[cell] === 1)
      links.push({ source: cell % S, target: Math.floor(cell / S), weight: W[cell] as number });
  }
  return links;
}
