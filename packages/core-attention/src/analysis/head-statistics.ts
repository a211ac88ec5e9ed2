// Summary statistics of each attention head: entropy, how peaked the rows are, and how far from its
// own position a query looks on average (the "distance" of Clark et al. 2019 / Vig & Belinkov 2019).
//
// Legend: weights [L, H, T, S]; p one query row t divided by its sum Z.
import type { AttentionMaps } from './attention-maps.js';
import { headEntropy, rowSum } from './entropy.js';

/** What one head does, averaged over its unmasked query rows. */
export interface HeadStatistics {
  /** Original layer index. */
  layer: number;
  /** Original head index. */
  head: number;
  /** Mean row entropy in nats (see {@link headEntropy}). */
  entropy: number;
  /** Mean over rows of the row's largest weight: 1 for one-hot rows, 1/S for uniform ones. */
  meanMaxWeight: number;
  /** Largest (row-normalised) weight anywhere in the head. */
  maxWeight: number;
  /** Mean over rows of Σ_k p_k · |t − k|: the expected offset, in positions, between a query and the key it reads. For cross-attention the two axes are different sequences, so this measures distance from the diagonal. */
  distance: number;
}

/**
 * Entropy, peakedness and attention distance of every head, in [layer, head] order.
 * Rows are divided by their sums; masked rows (sum 0) are skipped; a fully masked head gets NaN.
 * (The plain mean weight is left out: for rows that are distributions it is always 1/S.)
 *
 * @example
 * ```ts
 * const maps = createAttentionMaps({
 *   kind: 'self', layers: [2], heads: [0], queryLabels: ['a', 'b'], keyLabels: ['a', 'b'],
 *   data: new Float32Array([0, 1, 1, 0]), // every token looks at the other one
 * });
 * headStatistics(maps);
 * // [{ layer: 2, head: 0, entropy: 0, meanMaxWeight: 1, maxWeight: 1, distance: 1 }]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a weight is negative or NaN.
 */
export function headStatistics(maps: AttentionMaps): HeadStatistics[] {
  const [L, H, T, S] = maps.dims;
  const weights = maps.data;
  const entropy = headEntropy(maps).data;
  const statistics: HeadStatistics[] = [];
  for (let l = 0; l < L; l++) {
    for (let h = 0; h < H; h++) {
      let rows = 0;
      let sumOfMax = 0;
      let maxWeight = 0;
      let sumOfDistance = 0;
      for (let t = 0; t < T; t++) {
        const row = ((l * H + h) * T + t) * S;
        const Z = rowSum('headStatistics', weights, row, S);
        if (Z === 0) continue;
        let rowMax = 0;
        let distance = 0;
        for (let k = 0; k < S; k++) {
          const p = (weights[row + k] as number) / Z;
          if (p > rowMax) rowMax = p;
          distance += p * Math.abs(t - k);
        }
        rows++;
        sumOfMax += rowMax;
        sumOfDistance += distance;
        if (rowMax > maxWeight) maxWeight = rowMax;
      }
      statistics.push({
        layer: maps.layers[l] as number,
        head: maps.heads[h] as number,
        entropy: entropy[l * H + h] as number,
        meanMaxWeight: rows === 0 ? Number.NaN : sumOfMax / rows,
        maxWeight: rows === 0 ? Number.NaN : maxWeight,
        distance: rows === 0 ? Number.NaN : sumOfDistance / rows,
      });
    }
  }
  return statistics;
}
