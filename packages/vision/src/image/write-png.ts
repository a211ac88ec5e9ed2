// Atomic PNG files: encode, write to a temporary file beside the target, then rename over it, so a reader
// (or a crash) never sees a partial file (rename is atomic within one file system, POSIX rename(2)).
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeValue, invalidArgument } from '@attn/core-attention';
import { encodePng, rasterChannels, type Raster } from './encode-png.js';

/**
 * Writes `raster` (RGB or RGBA) to `path` as a PNG, atomically: the file at `path` is either the old one
 * or the whole new one, and no temporary file is left behind on success or failure.
 *
 * @example
 * ```ts
 * await writePng('out/mask.png', { width: 2, height: 2, data: new Uint8Array(2 * 2 * 3).fill(255) });
 * (await sharp('out/mask.png').metadata()).width; // 2
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `path` is not a non-empty string or `raster` is not a valid
 * raster, and also when the file cannot be written (missing folder, no permission), with the file
 * system's error as the cause.
 */
export async function writePng(path: string, raster: Raster): Promise<void> {
  const fn = 'writePng';
  if (typeof path !== 'string' || path === '')
    throw invalidArgument(fn, 'path', 'a non-empty file path', describeValue(path));
  rasterChannels(fn, 'raster', raster);
  const png = await encodePng(raster);
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, png, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw invalidArgument(fn, 'path', 'a writable file path', describeValue(path), {
      likelyCause: 'its folder does not exist or is not writable',
      fix: 'create the folder first, or choose a path you can write to',
      cause: error,
    });
  }
}
