// Reading an evaluation set stored as JSON lines (one object a line; gzip when the name ends in .gz): a path that
// exists as given (absolute, or relative to the working directory), else one under the shared data folder.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedDataPath } from '@attn/core-attention/testing';

/**
 * The objects of a JSON-lines file, each checked by `check` (which throws naming what is wrong).
 *
 * @example
 * ```ts
 * const items = readJsonLines('dailydialog-plusplus/test.json', (item) => item as { context: string[] });
 * items.length; // 1141
 * ```
 * @throws {Error} when the file is missing, a line is not JSON, or `check` rejects an item (with its line number).
 */
export function readJsonLines<Item>(path: string, check: (item: unknown) => Item): Item[] {
  const file = existsSync(resolve(path)) ? resolve(path) : sharedDataPath(path);
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => {
      try {
        return check(JSON.parse(line));
      } catch (error) {
        throw new Error(`${file}:${index + 1}: ${(error as Error).message}`, { cause: error });
      }
    });
}
