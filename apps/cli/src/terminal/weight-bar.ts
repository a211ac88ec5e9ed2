// A share drawn as a fixed-width bar with its percentage, for lists of weights that sum to 1 (the turns a chat
// reply attended to, the source sentences behind a summary).

/**
 * `share` in [0, 1] as a bar of `width` characters and a percentage.
 *
 * @example
 * ```ts
 * weightBar(0.5); // '#####-----  50%'
 * weightBar(0.068); // '#---------   7%'
 * ```
 * @throws never: shares outside [0, 1] are clamped.
 */
export function weightBar(share: number, width = 10): string {
  const clamped = Math.min(Math.max(Number.isFinite(share) ? share : 0, 0), 1);
  const filled = Math.round(clamped * width);
  const percent = `${Math.round(clamped * 100)}%`.padStart(4);
  return `${'#'.repeat(filled)}${'-'.repeat(width - filled)} ${percent}`;
}
