// Seeded random numbers for tests and fixtures: mulberry32 (Tommy Ettinger's public-domain generator)
// and Box-Muller normals, so every "random" test is reproducible from its seed.

/** A seeded generator of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a small 32-bit generator, good enough for tests, fully determined by its seed.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // the same number on every run
 * ```
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
