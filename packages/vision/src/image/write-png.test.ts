import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttnError } from '@attn/core-attention';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, rasterChannels } from './encode-png.js';
import { writePng } from './write-png.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attn-write-png-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('encodePng and writePng', () => {
  it('encodes RGB and RGBA rasters losslessly', async () => {
    const rgb = { width: 2, height: 1, data: new Uint8Array([255, 0, 0, 0, 0, 255]) };
    const png = await encodePng(rgb);
    expect(String.fromCharCode(...png.subarray(1, 4))).toBe('PNG');
    const decoded = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect([...decoded.data]).toEqual([255, 0, 0, 0, 0, 255]);

    const rgba = {
      width: 1,
      height: 2,
      data: new Uint8ClampedArray([10, 20, 30, 40, 50, 60, 70, 255]),
    };
    const back = await sharp(await encodePng(rgba))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(back.info.channels).toBe(4);
    expect([...back.data]).toEqual([10, 20, 30, 40, 50, 60, 70, 255]);
  });

  it('replaces the target atomically and leaves no temporary file', async () => {
    const path = join(folder, 'map.png');
    await writeFile(path, 'old contents');
    await writePng(path, { width: 3, height: 2, data: new Uint8Array(18).fill(200) });
    expect(await readdir(folder)).toEqual(['map.png']);
    const { info, data } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([3, 2]);
    expect(new Set(data)).toEqual(new Set([200]));
  });

  it('fails with INVALID_ARGUMENT, leaving nothing behind, when the folder is missing or the rename fails', async () => {
    const raster = { width: 1, height: 1, data: new Uint8Array(3) };
    const missing = await writePng(join(folder, 'no-such-folder', 'x.png'), raster).catch(
      (error: unknown) => error,
    );
    expect(AttnError.is(missing)).toBe(true);
    expect((missing as AttnError).code).toBe('INVALID_ARGUMENT');
    expect((missing as AttnError).message).toContain(
      'writePng(): path must be a writable file path',
    );

    // The temporary file is written, then the rename fails: the target is a non-empty folder.
    const target = join(folder, 'taken.png');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'x');
    const blocked = await writePng(target, raster).catch((error: unknown) => error);
    expect((blocked as AttnError).code).toBe('INVALID_ARGUMENT');
    expect((blocked as AttnError).cause).toBeInstanceOf(Error);
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await rm(target, { recursive: true });
  });

  it('refuses rasters whose size does not match their data', async () => {
    expect(rasterChannels('f', 'raster', { width: 2, height: 1, data: new Uint8Array(8) })).toBe(4);
    expect(() =>
      rasterChannels('encodePng', 'raster', { width: 2, height: 2, data: new Uint8Array(5) }),
    ).toThrow(
      'encodePng(): raster must be a raster of width x height x 3 (RGB) or x 4 (RGBA) bytes, got 2 x 2 with Uint8Array of length 5.',
    );
    await expect(writePng('', { width: 1, height: 1, data: new Uint8Array(3) })).rejects.toThrow(
      "writePng(): path must be a non-empty file path, got ''.",
    );
    await expect(
      writePng(join(folder, 'bad.png'), { width: 0, height: 1, data: new Uint8Array(0) }),
    ).rejects.toThrow(/raster must be a raster/);
    expect((await readdir(folder)).filter((name) => name !== 'map.png')).toEqual([]);
  });
});
