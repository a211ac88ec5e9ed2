// DINO's attention masks (Caron et al. 2021, https://arxiv.org/abs/2104.14294, section 4 and the authors'
// visualize_attention.py): keep the largest weights of a map that together hold a given fraction of its mass.
import { describeValue, invalidArgument } from '@attn/core-attention';

/**
 * A 0/1 mask over `weights` keeping the patches that hold `massFraction` of the total weight, DINO's rule:
 * sort the weights ascending, divide by their sum, and keep every position whose running sum (itself
 * included) exceeds 1 - massFraction. The kept positions are the fewest largest weights whose mass reaches
 * massFraction. Ties sort by position, so the result is the same on every run. A map of all zeros keeps
 * nothing.
 *
 * @example
 * ```ts
 * // Ascending: 0.1 (#0), 0.2 (#2), 0.3 (#3), 0.4 (#1); running sums 0.1, 0.3, 0.6, 1.0; keep those > 0.4.
 * attentionMassMask(new Float32Array([0.1, 0.4, 0.2, 0.3]), 0.6); // Uint8Array [0, 1, 0, 1]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `weights` is not a non-empty Float32Array of non-negative finite
 * numbers or `massFraction` is not in (0, 1].
 */
export function attentionMassMask(weights: Float32Array, massFraction = 0.6): Uint8Array {
  const fn = 'attentionMassMask';
  if (!(weights instanceof Float32Array) || weights.length === 0)
    throw invalidArgument(fn, 'weights', 'a non-empty Float32Array', describeValue(weights));
  if (!(massFraction > 0 && massFraction <= 1))
    throw invalidArgument(fn, 'massFraction', 'a number in (0, 1]', describeValue(massFraction));
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] as number;
    if (!(weight >= 0 && weight < Infinity)) {
      throw invalidArgument(
        fn,
        'weights',
        'non-negative finite attention weights',
        `${describeValue(weight)} at position ${i}`,
      );
    }
    total += weight;
  }
  const mask = new Uint8Array(weights.length);
  if (total === 0) return mask;
  const order = Array.from(weights.keys()).sort(
    (a, b) => (weights[a] as number) - (weights[b] as number) || a - b,
  );
  const dropBelow = 1 - massFraction;
  let running = 0;
  for (const position of order) {
    running += (weights[position] as number) / total;
    if (running > dropBelow) mask[position] = 1;
  }
  return mask;
}
