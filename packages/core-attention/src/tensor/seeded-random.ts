// Seeded uniform random numbers: mulberry32 (Tommy Ettinger's public-domain 32-bit generator), the one
// generator behind sampling, the deletion test and every randomised test.

/** A generator of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a small generator fully determined by its seed (taken modulo 2^32).
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, on every run
 * ```
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
