// Prints benchmark results as an aligned table with throughput and the ratio to a baseline,
// and as JSON for machines (`--json`).
import type { Measurement } from './measure.js';

/**
 * Formats measurements as a table; `ratio` is baseline median / this median (> 1: faster than the baseline).
 *
 * @example
 * ```ts
 * formatTable('translate', [ours, peer], { baseline: 'transformers.js', unit: 'sentences' });
 * // translate
 * //   variant            median ms   p90 ms   sentences/s   vs transformers.js
 * //   attn                   12.1     13.0         82.6            3.10x
 * ```
 */
export function formatTable(
  title: string,
  measurements: readonly Measurement[],
  options: { baseline?: string; unit?: string } = {},
): string {
  const unit = options.unit ?? 'runs';
  const baseline = measurements.find((m) => m.name === options.baseline);
  const header = [
    'variant',
    'median ms',
    'p90 ms',
    `${unit}/s`,
    ...(baseline ? [`vs ${baseline.name}`] : []),
  ];
  const rows = measurements.map((m) => [
    m.name,
    m.medianMs.toFixed(2),
    m.p90Ms.toFixed(2),
    ((m.unitsPerRun * 1000) / m.medianMs).toFixed(2),
    ...(baseline ? [`${(baseline.medianMs / m.medianMs).toFixed(2)}x`] : []),
  ]);
  const widths = header.map((h, column) =>
    Math.max(h.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    '  ' +
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('   ');
  return [title, line(header), ...rows.map(line)].join('\n');
}

/**
 * Ratio of two medians, `slower / faster` style: how many times faster `ours` is than `theirs`.
 *
 * @example
 * ```ts
 * speedup({ medianMs: 10 } as Measurement, { medianMs: 30 } as Measurement); // 3
 * ```
 */
export function speedup(
  ours: Pick<Measurement, 'medianMs'>,
  theirs: Pick<Measurement, 'medianMs'>,
): number {
  return theirs.medianMs / ours.medianMs;
}
