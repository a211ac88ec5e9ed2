// Validation of hub repository ids, revisions and file paths: the rules of huggingface_hub's
// validate_repo_id, plus a refusal of anything that could leave the cache folder (path traversal).
import { describeValue, invalidArgument } from '../../errors/index.js';

const repoNamePart = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const revisionCharacters = /^[A-Za-z0-9._\-+@/]+$/;
const commitHash = /^[0-9a-f]{40}$/;
const maxRepoIdLength = 96;
const maxRevisionLength = 256;
const maxFilePathLength = 1024;

/**
 * True when `revision` is a full 40-hex git commit sha (which names immutable content).
 *
 * @example
 * ```ts
 * isCommitHash('main'); // false
 * isCommitHash('0123456789abcdef0123456789abcdef01234567'); // true
 * ```
 * @throws never.
 */
export function isCommitHash(revision: string): boolean {
  return commitHash.test(revision);
}

/**
 * Checks a hub id, `org/name` or a bare `name`: letters, digits, `-`, `_` and `.`, starting and ending
 * with a letter or digit, no `--` or `..`, at most 96 characters.
 *
 * @example
 * ```ts
 * validateRepoId('hubFile', 'Xenova/bert-base-uncased'); // returns nothing
 * validateRepoId('hubFile', '../etc'); // throws INVALID_ARGUMENT
 * ```
 * @throws {AttnError} INVALID_ARGUMENT naming `fn` and the id.
 */
export function validateRepoId(fn: string, repoId: string): void {
  const parts = typeof repoId === 'string' ? repoId.split('/') : [];
  const valid =
    parts.length >= 1 &&
    parts.length <= 2 &&
    repoId.length <= maxRepoIdLength &&
    !repoId.includes('--') &&
    !repoId.includes('..') &&
    parts.every((part) => repoNamePart.test(part));
  if (!valid) {
    throw invalidArgument(
      fn,
      'repoId',
      "a hub id 'org/name' or 'name' (letters, digits, '-', '_', '.'; no '--' or '..'; at most 96 characters)",
      describeValue(repoId),
      { fix: "copy the id from the model page, e.g. 'Xenova/bert-base-uncased'" },
    );
  }
}

/**
 * Checks a revision: a branch, tag or commit sha such as `main`, `v1.0` or `refs/pr/1`; no empty,
 * `.` or `..` segments, no backslash, at most 256 characters.
 *
 * @example
 * ```ts
 * validateRevision('hubFile', 'refs/pr/1'); // returns nothing
 * validateRevision('hubFile', 'main/../../x'); // throws INVALID_ARGUMENT
 * ```
 * @throws {AttnError} INVALID_ARGUMENT naming `fn` and the revision.
 */
export function validateRevision(fn: string, revision: string): void {
  const valid =
    typeof revision === 'string' &&
    revision.length <= maxRevisionLength &&
    revisionCharacters.test(revision) &&
    safeSegments(revision);
  if (!valid) {
    throw invalidArgument(
      fn,
      'revision',
      "a branch, tag or commit sha (letters, digits, '._-+@/', no empty, '.' or '..' segments)",
      describeValue(revision),
    );
  }
}

/**
 * Checks a file path inside a repository: relative, `/`-separated, no empty, `.` or `..` segments,
 * no backslash, drive letter or control character, at most 1024 characters.
 *
 * @example
 * ```ts
 * validateFilePath('hubFile', 'onnx/model.onnx'); // returns nothing
 * validateFilePath('hubFile', '/etc/passwd'); // throws INVALID_ARGUMENT
 * ```
 * @throws {AttnError} INVALID_ARGUMENT naming `fn` and the path.
 */
export function validateFilePath(fn: string, path: string): void {
  const valid =
    typeof path === 'string' &&
    path.length <= maxFilePathLength &&
    !/[\\:]/.test(path) &&
    ![...path].some((character) => character < ' ' || character === '\u007f') &&
    safeSegments(path);
  if (!valid) {
    throw invalidArgument(
      fn,
      'path',
      "a relative file path inside the repository such as 'onnx/model.onnx' (no '..', '.', empty segments, '\\' or ':')",
      describeValue(path),
    );
  }
}

function safeSegments(path: string): boolean {
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
