// Checks a downloaded file against the hub's ETag: sha256 of the content for LFS files (64 hex),
// the git blob sha1 — sha1("blob <length>\0" + content), https://git-scm.com/book/en/v2/Git-Internals-Git-Objects —
// for small git files (40 hex), and the announced size for anything else.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Why a file failed verification, or undefined when it passed. */
export type VerificationFailure = string | undefined;

/**
 * Verifies the file at `path` against `etag` (already stripped of quotes and `W/`) and `size`.
 *
 * @example
 * ```ts
 * // a file holding 'hello\n'; `git hash-object` gives ce013625030ba8dba906f756967f9e9ca394464a
 * await verifyBlob(path, 'ce013625030ba8dba906f756967f9e9ca394464a', 6); // undefined
 * await verifyBlob(path, '0'.repeat(64), 6); // 'sha256 5891b5b5… does not match the ETag 0000…'
 * ```
 * @throws rethrows file-system errors.
 */
export async function verifyBlob(
  path: string,
  etag: string,
  size: number | undefined,
): Promise<VerificationFailure> {
  const length = (await stat(path)).size;
  if (size !== undefined && length !== size)
    return `${length} bytes arrived, the hub announced ${size}`;
  const algorithm = /^[0-9a-f]{64}$/.test(etag)
    ? 'sha256'
    : /^[0-9a-f]{40}$/.test(etag)
      ? 'sha1'
      : undefined;
  if (algorithm === undefined) return undefined;
  const hash = createHash(algorithm);
  if (algorithm === 'sha1') hash.update(`blob ${length}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const digest = hash.digest('hex');
  const name = algorithm === 'sha1' ? 'git blob sha1' : 'sha256';
  return digest === etag ? undefined : `${name} ${digest} does not match the ETag ${etag}`;
}
