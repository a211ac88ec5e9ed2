// A draw from a categorical distribution given as log-probabilities, with a uniform generator
// such as tensor/'s seededRandom.
import type { Random } from '../../tensor/index.js';

/**
 * Draws an index with probability exp(logProbabilities[i]) (inverse CDF in float64). Entries of
 * -Infinity are never drawn; when rounding leaves the total below the uniform draw, the last
 * drawable index is returned. Returns -1 when no entry is finite.
 *
 * @example
 * ```ts
 * sampleIndex(new Float32Array([Math.log(0.25), Math.log(0.75)]), () => 0.2); // 0
 * sampleIndex(new Float32Array([Math.log(0.25), Math.log(0.75)]), () => 0.3); // 1
 * ```
 */
export function sampleIndex(logProbabilities: Float32Array, random: Random): number {
  const uniform = random();
  let cumulative = 0;
  let lastDrawable = -1;
  for (let i = 0; i < logProbabilities.length; i++) {
    const logProbability = logProbabilities[i] as number;
    if (!(logProbability > Number.NEGATIVE_INFINITY)) continue; // -Infinity and NaN
    lastDrawable = i;
    cumulative += Math.exp(logProbability);
    if (cumulative > uniform) return i;
  }
  return lastDrawable;
}
