// A pipeline run over many inputs a batch at a time, with a progress line redrawn on stderr while there is more
// than one batch and stderr is a terminal: 'translate [########------------]  8/20'.
import type { CliOutput } from './cli-io.js';

/**
 * Runs `run` on consecutive batches of `items` and returns the results in order.
 *
 * @example
 * ```ts
 * const translations = await runInBatches('translate', sentences, 16, process.stderr, (batch) => translate(batch));
 * ```
 * @throws whatever `run` throws; the progress line is ended first.
 */
export async function runInBatches<Item, Result>(
  label: string,
  items: readonly Item[],
  batchSize: number,
  stderr: CliOutput,
  run: (batch: Item[]) => Promise<Result[]>,
): Promise<Result[]> {
  const draw = stderr.isTTY === true && items.length > batchSize;
  const results: Result[] = [];
  try {
    for (let start = 0; start < items.length; start += batchSize) {
      if (draw) stderr.write(`\r${progressText(label, start, items.length)}`);
      results.push(...(await run(items.slice(start, start + batchSize))));
    }
    if (draw) stderr.write(`\r${progressText(label, items.length, items.length)}`);
  } finally {
    if (draw) stderr.write('\n');
  }
  return results;
}

/**
 * The progress line for `done` of `total` items.
 *
 * @example
 * ```ts
 * progressText('translate', 8, 20); // 'translate [########------------]  8/20'
 * ```
 * @throws never.
 */
export function progressText(label: string, done: number, total: number): string {
  const filled = Math.round((20 * done) / total);
  const count = `${done}/${total}`.padStart(2 * String(total).length + 1);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${count}`;
}
