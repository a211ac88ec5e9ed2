// Reading the shared data sets for evaluation: gzip text files, one item per line.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sharedDataPath } from '@attn/core-attention/testing';

/**
 * The lines of a gzip text file under the shared data folder ($ATTN_DATA or ../shared/data).
 *
 * @example
 * ```ts
 * readDataLines('multi30k/task1/test_2016_flickr.en.gz').length; // 1000
 * ```
 */
export function readDataLines(relativePath: string): string[] {
  const text = gunzipSync(readFileSync(sharedDataPath(relativePath))).toString('utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
