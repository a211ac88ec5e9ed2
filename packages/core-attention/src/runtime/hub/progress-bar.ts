// A one-line download bar for a terminal, redrawn in place with a carriage return. hubFile draws it
// on stderr only when no onProgress callback was given and stderr is a TTY; libraries print nothing otherwise.
import type { DownloadProgress } from './hub-options.js';

/** Where the bar is drawn: a terminal stream such as `process.stderr`. */
export interface ProgressStream {
  write(text: string): unknown;
  /** Terminal width in characters, when known. */
  columns?: number;
}

const redrawEveryMs = 100;

/**
 * Returns an `onProgress` callback that draws `file [#####-----]  50%  1.0 MB / 2.0 MB` on `stream`,
 * at most every 100 ms, and ends the line when the file is complete.
 *
 * @example
 * ```ts
 * const onProgress = createProgressBar(process.stderr);
 * onProgress({ file: 'model.onnx', loaded: 1_000_000, total: 2_000_000 });
 * // draws '\rmodel.onnx [##########----------]  50%  1.0 MB / 2.0 MB'
 * ```
 * @throws never.
 */
export function createProgressBar(
  stream: ProgressStream,
  now: () => number = Date.now,
): (event: DownloadProgress) => void {
  let lastDraw = -Infinity;
  return (event) => {
    const done = event.total !== undefined && event.loaded >= event.total;
    if (!done && now() - lastDraw < redrawEveryMs) return;
    lastDraw = now();
    const width = Math.max(40, stream.columns ?? 80) - 1;
    stream.write(`\r${progressLine(event, width).padEnd(width)}${done ? '\n' : ''}`);
  };
}

/**
 * The text of one bar, at most `width` characters (a long file name is shortened from the left).
 *
 * @example
 * ```ts
 * progressLine({ file: 'model.onnx', loaded: 1_000_000, total: 2_000_000 }, 80);
 * // 'model.onnx [##########----------]  50%  1.0 MB / 2.0 MB'
 * progressLine({ file: 'model.onnx', loaded: 1_500, total: undefined }, 80); // 'model.onnx 1.5 kB'
 * ```
 * @throws never.
 */
export function progressLine(event: DownloadProgress, width: number): string {
  let tail: string;
  if (event.total === undefined || event.total === 0) {
    tail = ` ${formatBytes(event.loaded)}`;
  } else {
    const fraction = Math.min(1, event.loaded / event.total);
    const filled = Math.round(fraction * 20);
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    tail = ` [${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${percent}  ${formatBytes(event.loaded)} / ${formatBytes(event.total)}`;
  }
  const room = Math.max(8, width - tail.length);
  const file =
    event.file.length <= room ? event.file : `…${event.file.slice(event.file.length - room + 1)}`;
  return `${file}${tail}`;
}

/**
 * Bytes in decimal units with one decimal: `512 B`, `1.5 kB`, `12.3 MB`, `1.2 GB`.
 *
 * @example
 * ```ts
 * formatBytes(12_345_678); // '12.3 MB'
 * ```
 * @throws never.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
