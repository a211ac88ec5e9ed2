// The Jaccard index (intersection over union) of two binary masks, the segmentation score DINO reports for its
// attention masks (Caron et al. 2021, https://arxiv.org/abs/2104.14294, table 8).

/**
 * |A ∩ B| / |A ∪ B| of two 0/1 masks of the same size; 1 when both are empty (they agree everywhere).
 *
 * @example
 * ```ts
 * maskJaccard(new Uint8Array([1, 1, 0, 0]), new Uint8Array([0, 1, 1, 0])); // 1 / 3
 * ```
 * @throws {Error} when the masks differ in length.
 */
export function maskJaccard(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length)
    throw new Error(`maskJaccard(): masks of ${a.length} and ${b.length} pixels`);
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = a[i] !== 0;
    const inB = b[i] !== 0;
    if (inA && inB) both++;
    if (inA || inB) either++;
  }
  return either === 0 ? 1 : both / either;
}
