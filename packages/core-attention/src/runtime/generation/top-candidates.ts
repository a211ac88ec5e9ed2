// The best continuations of one batch row's beams: Hugging Face beam search's
// `topk(beam_scores + log_probs, k)` over the flattened [beams × vocab] scores.

/** A continuation: beam `beam` extended by `token`, with the extended running score. */
export interface Candidate {
  score: number;
  beam: number;
  token: number;
}

/**
 * The `count` best candidates over `beamScores.length` beams, best first, ties broken by beam then
 * token (lowest first). Row k of `logProbabilities`, starting at row `firstRow`, holds beam k's
 * next-token log-probabilities. Beams scoring -Infinity and candidates that are not finite are
 * skipped, so fewer than `count` may come back.
 *
 * Each beam keeps its own `count` best in a small sorted buffer (a candidate among the overall
 * best is among its beam's best), so the cost is one pass over each beam's row.
 *
 * @example
 * ```ts
 * const logProbabilities = Float32Array.from([0.5, 0.3, 0.2, 0.6, 0.4, 0], Math.log); // 2 beams × 3 tokens
 * topCandidates(logProbabilities, 3, 0, [Math.log(0.5), Math.log(0.5)], 2);
 * // [{ score: log 0.3, beam: 1, token: 0 }, { score: log 0.25, beam: 0, token: 0 }]
 * ```
 */
export function topCandidates(
  logProbabilities: Float32Array,
  vocabSize: number,
  firstRow: number,
  beamScores: readonly number[],
  count: number,
): Candidate[] {
  const bestScores = new Float64Array(count);
  const bestTokens = new Int32Array(count);
  const candidates: Candidate[] = [];
  for (let beam = 0; beam < beamScores.length; beam++) {
    const beamScore = beamScores[beam] as number;
    if (!(beamScore > Number.NEGATIVE_INFINITY)) continue;
    const offset = (firstRow + beam) * vocabSize;
    let size = 0;
    for (let token = 0; token < vocabSize; token++) {
      const score = beamScore + (logProbabilities[offset + token] as number);
      if (!(score > Number.NEGATIVE_INFINITY)) continue; // -Infinity and NaN
      if (size === count && !(score > (bestScores[count - 1] as number))) continue;
      let slot = size < count ? size++ : count - 1;
      while (slot > 0 && score > (bestScores[slot - 1] as number)) {
        bestScores[slot] = bestScores[slot - 1] as number;
        bestTokens[slot] = bestTokens[slot - 1] as number;
        slot--;
      }
      bestScores[slot] = score;
      bestTokens[slot] = token;
    }
    for (let i = 0; i < size; i++) {
      candidates.push({ score: bestScores[i] as number, beam, token: bestTokens[i] as number });
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.beam - b.beam || a.token - b.token);
  return candidates.slice(0, count);
}
