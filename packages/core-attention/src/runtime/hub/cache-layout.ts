// The huggingface_hub cache layout, read and written so that Python and attn share one cache
// (https://huggingface.co/docs/huggingface_hub/guides/manage-cache):
//   <cacheDir>/models--<org>--<name>/blobs/<etag>, snapshots/<commit>/<path> -> ../../blobs/<etag>,
//   refs/<revision> (a commit sha), .no_exist/<commit>/<path> (files known to be missing).
import { randomBytes } from 'node:crypto';
import {
  copyFile,
  mkdir,
  readFile,
  rename,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AttnError } from '../../errors/index.js';
import { isCommitHash } from './repo-id.js';

/** The cache folder of one repository and the paths inside it. Every path is checked to stay inside. */
export interface RepoCache {
  /** `<cacheDir>/models--<org>--<name>`. */
  readonly repoDir: string;
  blobPath(etag: string): string;
  /** Where a blob is downloaded before it is verified and renamed to {@link RepoCache.blobPath}. */
  incompletePath(etag: string): string;
  snapshotPath(commit: string, path: string): string;
  refPath(revision: string): string;
  noExistPath(commit: string, path: string): string;
  /** attn's cross-process download lock, beside huggingface_hub's in `<cacheDir>/.locks/models--<org>--<name>/`. */
  lockPath(etag: string): string;
}

/** What the cache knows about one file at one revision. */
export type CachedFile =
  | { kind: 'file'; path: string; commit: string }
  | { kind: 'missing'; commit: string }
  | { kind: 'unknown' };

/**
 * The cache paths of `repoId` under `cacheDir`; ids and paths must already be validated.
 *
 * @example
 * ```ts
 * repoCache('/cache', 'Xenova/gpt2').snapshotPath('a'.repeat(40), 'onnx/model.onnx');
 * // '/cache/models--Xenova--gpt2/snapshots/aaaa…aaaa/onnx/model.onnx'
 * ```
 * @throws {AttnError} INVALID_ARGUMENT (from the path functions) when a path would leave the cache folder.
 */
export function repoCache(cacheDir: string, repoId: string): RepoCache {
  const root = resolve(cacheDir);
  const folder = `models--${repoId.split('/').join('--')}`;
  const repoDir = inside(root, join(root, folder));
  const at = (...segments: string[]): string => inside(repoDir, join(repoDir, ...segments));
  return {
    repoDir,
    blobPath: (etag) => at('blobs', etag),
    incompletePath: (etag) => at('blobs', `${etag}.incomplete`),
    snapshotPath: (commit, path) => at('snapshots', commit, path),
    refPath: (revision) => at('refs', revision),
    noExistPath: (commit, path) => at('.no_exist', commit, path),
    lockPath: (etag) => inside(root, join(root, '.locks', folder, `${etag}.attn-lock`)),
  };
}

/**
 * Looks a file up without the network: the revision is resolved through `refs/<revision>` (or is
 * itself a commit sha), then `snapshots/<commit>/<path>` must exist and its blob be present.
 *
 * @example
 * ```ts
 * await findCachedFile(repoCache('/cache', 'Xenova/gpt2'), 'main', 'config.json');
 * // { kind: 'file', path: '/cache/models--Xenova--gpt2/snapshots/<commit>/config.json', commit: '<commit>' }
 * ```
 * @throws never for a missing file; rethrows unexpected file-system errors.
 */
export async function findCachedFile(
  cache: RepoCache,
  revision: string,
  path: string,
): Promise<CachedFile> {
  const commit = isCommitHash(revision) ? revision : await readRef(cache, revision);
  if (commit === undefined) return { kind: 'unknown' };
  const snapshot = cache.snapshotPath(commit, path);
  if (await isFile(snapshot)) return { kind: 'file', path: snapshot, commit };
  if (await isFile(cache.noExistPath(commit, path))) return { kind: 'missing', commit };
  return { kind: 'unknown' };
}

/**
 * Records that `revision` resolves to `commit` (`refs/<revision>`), as huggingface_hub does; a
 * commit sha needs no ref.
 *
 * @example
 * ```ts
 * await writeRef(repoCache('/cache', 'Xenova/gpt2'), 'main', commit); // writes refs/main
 * ```
 * @throws rethrows file-system errors.
 */
export async function writeRef(cache: RepoCache, revision: string, commit: string): Promise<void> {
  if (revision === commit || (await readRef(cache, revision)) === commit) return;
  await writeAtomically(cache.refPath(revision), commit);
}

/**
 * Points `snapshots/<commit>/<path>` at `blobs/<etag>` with a relative symlink (a copy where the
 * file system refuses symlinks, as huggingface_hub does on Windows), replacing any older entry atomically.
 *
 * @example
 * ```ts
 * await linkSnapshot(cache, commit, 'onnx/model.onnx', etag); // snapshots/<commit>/onnx/model.onnx -> ../../../blobs/<etag>
 * ```
 * @throws rethrows file-system errors.
 */
export async function linkSnapshot(
  cache: RepoCache,
  commit: string,
  path: string,
  etag: string,
): Promise<string> {
  const snapshot = cache.snapshotPath(commit, path);
  const blob = cache.blobPath(etag);
  await mkdir(dirname(snapshot), { recursive: true });
  const temporary = `${snapshot}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await symlink(relative(dirname(snapshot), blob), temporary);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    await copyFile(blob, temporary);
  }
  await rename(temporary, snapshot);
  return snapshot;
}

/**
 * Writes the empty `.no_exist/<commit>/<path>` marker for a file the hub said is missing.
 *
 * @example
 * ```ts
 * await markMissing(cache, commit, 'generation_config.json');
 * ```
 * @throws rethrows file-system errors.
 */
export async function markMissing(cache: RepoCache, commit: string, path: string): Promise<void> {
  const marker = cache.noExistPath(commit, path);
  await mkdir(dirname(marker), { recursive: true });
  await writeFile(marker, '');
}

async function readRef(cache: RepoCache, revision: string): Promise<string | undefined> {
  try {
    const commit = (await readFile(cache.refPath(revision), 'utf8')).trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/**
 * True when `path` is a regular file, following symlinks (a dangling snapshot link is not a file).
 *
 * @example
 * ```ts
 * await isFile(cache.blobPath(etag)); // false before the download
 * ```
 * @throws rethrows file-system errors other than a missing path.
 */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/**
 * Removes a file if it exists.
 *
 * @example
 * ```ts
 * await removeFile(cache.incompletePath(etag)); // no error when there is none
 * ```
 * @throws rethrows file-system errors other than a missing path.
 */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function inside(root: string, candidate: string): string {
  const fromRoot = relative(root, candidate);
  if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw new AttnError(
      'INVALID_ARGUMENT',
      `hubFile(): the cache path ${candidate} would leave the cache folder ${root}`,
      {
        likelyCause: 'a repository id, revision, file name or ETag contains path segments',
      },
    );
  }
  return candidate;
}
