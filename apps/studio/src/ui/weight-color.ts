// The highlight of a weighted token or span: one orange whose opacity is the weight's share of the largest, the
// colour render's tokenHighlights uses, so the studio and the static reports read alike.

/**
 * A CSS background for `weight` relative to `maxWeight` (opacity clamped to [0, 1]; 0 for NaN or a max of 0).
 *
 * @example
 * ```ts
 * weightBackground(0.25, 0.5); // 'rgba(255, 140, 0, 0.5)'
 * weightBackground(0, 0); // 'rgba(255, 140, 0, 0)'
 * ```
 */
export function weightBackground(weight: number, maxWeight: number): string {
  const alpha = maxWeight > 0 ? Math.min(1, Math.max(0, weight / maxWeight)) : 0;
  return `rgba(255, 140, 0, ${Number.isFinite(alpha) ? Number(alpha.toFixed(3)) : 0})`;
}
