// Random test data from a seeded generator: Box-Muller normals and integers, so every "random" test
// is reproducible from its seed.
import type { Random } from '../tensor/index.js';

export { seededRandom, type Random } from '../tensor/index.js';

/**
 * A Float32Array of standard normal samples (Box-Muller), scaled by `scale`.
 *
 * @example
 * ```ts
 * randomNormal(seededRandom(1), 4); // Float32Array of 4 normals
 * ```
 */
export function randomNormal(random: Random, length: number, scale = 1): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const u = Math.max(random(), Number.MIN_VALUE);
    const v = random();
    values[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return values;
}

/**
 * A uniform integer in [low, high).
 *
 * @example
 * ```ts
 * randomInt(seededRandom(3), 1, 5); // 1, 2, 3 or 4
 * ```
 */
export function randomInt(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low));
}
