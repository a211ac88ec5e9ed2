// Where the shared data sets and reference files are: $ATTN_DATA, or ../shared/data beside the repository.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AttnError } from '../errors/index.js';

/**
 * Absolute path of a file under the shared data folder; throws a clear error when it is missing,
 * so a test never passes by skipping its reference.
 *
 * @example
 * ```ts
 * sharedDataPath('hf-reference/gpt2-tokenizer/tokenizer.json');
 * // '/work/shared/data/hf-reference/gpt2-tokenizer/tokenizer.json'
 * ```
 * @throws {AttnError} DATA_NOT_FOUND when the file does not exist.
 */
export function sharedDataPath(relativePath: string): string {
  const root = process.env['ATTN_DATA'] ?? join(repositoryRoot(), '..', 'shared', 'data');
  const path = resolve(root, relativePath);
  if (!existsSync(path)) {
    throw new AttnError(
      'DATA_NOT_FOUND',
      `sharedDataPath(): the shared data file ${path} is missing`,
      {
        likelyCause:
          'ATTN_DATA is unset and ../shared/data is not beside the repository, or the data set is incomplete',
        fix: 'set ATTN_DATA to the shared data folder (its SOURCES.md lists the data sets)',
      },
    );
  }
  return path;
}

/** The repository root: the nearest ancestor of this file holding pnpm-workspace.yaml. */
export function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'pnpm-workspace.yaml'))) {
    const parent = dirname(folder);
    if (parent === folder)
      throw new Error('repositoryRoot(): no pnpm-workspace.yaml above this file');
    folder = parent;
  }
  return folder;
}
