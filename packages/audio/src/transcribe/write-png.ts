// Atomic PNG files through sharp (libpng): encode, write a temporary file beside the target, rename it over
// the target (rename(2) is atomic within a file system), so no reader or crash ever sees half a picture.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { invalidArgument, describeValue } from '@attn/core-attention';
import sharp from 'sharp';

/**
 * Writes an RGBA raster [height, width, 4] to `path` as a PNG, atomically; no temporary file is left behind.
 *
 * @example
 * ```ts
 * await writePng('out/picture.png', { width: 2, height: 1, data: new Uint8ClampedArray(8).fill(255) });
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when the file cannot be written (missing folder, no permission), with the
 * file system's error as the cause.
 */
export async function writePng(
  path: string,
  raster: { width: number; height: number; data: Uint8ClampedArray },
): Promise<void> {
  const { width, height, data } = raster;
  const png = await sharp(new Uint8Array(data.buffer, data.byteOffset, data.length), {
    raw: { width, height, channels: 4 },
  })
    .png()
    .toBuffer();
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, png, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw invalidArgument('writePng', 'path', 'a writable file path', describeValue(path), {
      likelyCause: 'its folder does not exist or is not writable',
      fix: 'create the folder first, or choose a path you can write to',
      cause: error,
    });
  }
}
