// Seeded randomness for sampling: mulberry32 (Tommy Ettinger's public-domain 32-bit generator)
// and a draw from a categorical distribution given as log-probabilities.

/** A generator of uniform numbers in [0, 1). */
export type UniformRandom = () => number;

/**
 * mulberry32: a small generator fully determined by its seed (taken modulo 2^32).
 *
 * @example
 * ```ts
 * const random = createRandom(42);
 * random(); // 0.6011037519201636, on every run
 * ```
 */
export function createRandom(seed: number): UniformRandom {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

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
export function sampleIndex(logProbabilities: Float32Array, random: UniformRandom): number {
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
