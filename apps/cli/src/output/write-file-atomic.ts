// Atomic files: written whole to a temporary file beside the target, then renamed over it (rename(2) is atomic
// within a file system), so a reader — or a crash — never sees half a render.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AttnError } from '@attn/core-attention';

/**
 * Writes `content` to `path`, creating its folder; no temporary file is left behind, on success or failure.
 *
 * @example
 * ```ts
 * await writeFileAtomic('out/matrix.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the file cannot be written (no permission, a file where a folder
 * should be), with the file system's error as the cause.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    // the temporary file may not exist, or its folder may not be one
    await rm(temporary, { force: true }).catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AttnError('INVALID_ARGUMENT', `attn: cannot write --out file '${path}' (${reason})`, {
      fix: 'choose a path in a folder you can write to',
      cause: error,
    });
  }
}
