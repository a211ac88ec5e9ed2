import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { AttnError } from '@attn/core-attention';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPixelLimit, loadImage } from './load-image.js';

/** A 16 x 8 image of four 8 x 4 blocks: red, green / blue, yellow (solid blocks survive lossy codecs). */
function quadrants(): Uint8Array {
  const colours = [
    [220, 30, 40],
    [30, 200, 60],
    [40, 50, 210],
    [230, 220, 40],
  ];
  const data = new Uint8Array(16 * 8 * 3);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 16; x++)
      data.set(colours[(y < 4 ? 0 : 2) + (x < 8 ? 0 : 1)]!, (y * 16 + x) * 3);
  return data;
}

const raw = { raw: { width: 16, height: 8, channels: 3 } } as const;

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** A PNG whose header declares width x height but whose pixel data is a few zero bytes: a bomb's shape. */
function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const check = Buffer.alloc(4);
    check.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, check]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(16))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function loadError(...args: Parameters<typeof loadImage>): Promise<AttnError> {
  const error = await loadImage(...args).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(AttnError.is(error)).toBe(true);
  return error as AttnError;
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'attn-load-image-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('loadImage', () => {
  it.each([
    ['png', (image: Sharp) => image.png(), 'png', 0],
    // sharp's TIFF default is JPEG compression, lossy like any JPEG; LZW is the lossless choice.
    ['tiff (LZW)', (image: Sharp) => image.tiff({ compression: 'lzw' }), 'tiff', 0],
    ['webp (lossless)', (image: Sharp) => image.webp({ lossless: true }), 'webp', 0],
    ['avif (lossless)', (image: Sharp) => image.avif({ lossless: true }), 'avif', 2],
    ['gif (4 colours fit the palette)', (image: Sharp) => image.gif(), 'gif', 0],
    [
      'jpeg (quality 100, 4:4:4)',
      (image: Sharp) => image.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }),
      'jpeg',
      8,
    ],
  ])('round-trips %s', async (_, encode, format, tolerance) => {
    const pixels = quadrants();
    const encoded = await encode(sharp(pixels, raw)).toBuffer();
    const image = await loadImage(encoded);
    expect([image.width, image.height, image.channels]).toEqual([16, 8, 3]);
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(maxDifference(image.data, pixels)).toBeLessThanOrEqual(tolerance);
    expect(image.source).toMatchObject({ format, width: 16, height: 8, orientation: 1, pages: 1 });
  });

  it('reads SVG, files by path and plain Uint8Arrays', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"><rect width="2" height="2" fill="#00ff00"/></svg>';
    const fromSvg = await loadImage(Buffer.from(svg));
    expect(fromSvg.source.format).toBe('svg');
    expect([...fromSvg.data.subarray(0, 3)]).toEqual([0, 255, 0]);

    const path = join(folder, 'quadrants.png');
    await sharp(quadrants(), raw).png().toFile(path);
    const fromFile = await loadImage(path);
    expect(fromFile.data).toEqual(quadrants());
    const fromArray = await loadImage(
      Uint8Array.from(await sharp(quadrants(), raw).png().toBuffer()),
    );
    expect(fromArray.data).toEqual(quadrants());
  });

  it('applies EXIF orientation 6: width and height swap and the stored top-left lands top-right', async () => {
    // Stored 16 x 8: red block at x < 8, y < 4. Orientation 6 displays it rotated 90 degrees clockwise:
    // stored (x, y) -> shown (7 - y, x), so the red block covers shown x in [4, 8), y in [0, 8) of 8 x 16.
    const stored = await sharp(quadrants(), raw)
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await loadImage(stored);
    expect([image.width, image.height]).toEqual([8, 16]);
    expect(image.source).toMatchObject({ width: 16, height: 8, orientation: 6 });
    const pixel = (x: number, y: number): number[] => [
      ...image.data.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3),
    ];
    const red = [220, 30, 40];
    for (const [x, y] of [
      [6, 2],
      [5, 6],
    ] as const)
      pixel(x, y).forEach((value, channel) =>
        expect(Math.abs(value - red[channel]!)).toBeLessThanOrEqual(8),
      );
    expect(pixel(1, 2)[0]).toBeLessThan(100); // shown top-left is stored bottom-left (blue)
    expect(pixel(6, 12)[2]).toBeLessThan(100); // shown bottom-right is stored top-right (green)
  });

  it('drops alpha without blending, as PIL convert("RGB") does, and keeps grey as R = G = B', async () => {
    const rgba = await sharp(new Uint8Array([10, 20, 30, 0, 40, 50, 60, 128]), {
      raw: { width: 2, height: 1, channels: 4 },
    })
      .png()
      .toBuffer();
    const image = await loadImage(rgba);
    expect([...image.data]).toEqual([10, 20, 30, 40, 50, 60]);
    expect(image.source).toMatchObject({ hasAlpha: true, space: 'srgb' });

    const grey = await sharp(new Uint8Array([0, 77, 200, 255]), {
      raw: { width: 4, height: 1, channels: 1 },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const fromGrey = await loadImage(grey);
    expect([...fromGrey.data]).toEqual([0, 0, 0, 77, 77, 77, 200, 200, 200, 255, 255, 255]);
    expect(fromGrey.source.space).toBe('b-w');

    const greyAlpha = await sharp(new Uint8Array([90, 255, 180, 0]), {
      raw: { width: 2, height: 1, channels: 2 },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const fromGreyAlpha = await loadImage(greyAlpha);
    expect([...fromGreyAlpha.data]).toEqual([90, 90, 90, 180, 180, 180]);
    expect(fromGreyAlpha.source).toMatchObject({ space: 'b-w', hasAlpha: true });
  });

  it('scales 16-bit samples to 8 bits', async () => {
    const samples = new Uint16Array([0xabcd, 0x1234, 0xffff, 0x0000, 0x8000, 0x7f00]);
    const png16 = await sharp(samples, { raw: { width: 2, height: 1, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const image = await loadImage(png16);
    expect(image.source).toMatchObject({ bitDepth: 16, space: 'rgb16' });
    // v / 257 maps 0..65535 onto 0..255; libvips drops the low byte, which is within one level of it.
    [...image.data].forEach((value, i) =>
      expect(Math.abs(value - samples[i]! / 257)).toBeLessThanOrEqual(1),
    );

    const grey16 = await sharp(new Uint16Array([0x4000, 0xc000]), {
      raw: { width: 2, height: 1, channels: 1 },
    })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    const fromGrey = await loadImage(grey16);
    expect(fromGrey.source).toMatchObject({ bitDepth: 16, space: 'grey16' });
    expect([...fromGrey.data]).toEqual([64, 64, 64, 192, 192, 192]);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    // sRGB -> CMYK -> sRGB goes through libvips' CMYK ICC profile both ways and does not quite close:
    // in-gamut colours come back within 16 levels (measured: 14 at most), far from a naive 255 - C inversion.
    const colour = { r: 200, g: 120, b: 80 };
    const cmyk = await sharp({ create: { width: 16, height: 16, channels: 3, background: colour } })
      .toColourspace('cmyk')
      .jpeg({ quality: 100 })
      .toBuffer();
    const image = await loadImage(cmyk);
    expect(image.source).toMatchObject({ space: 'cmyk', format: 'jpeg' });
    expect(image.channels).toBe(3);
    const centre = (8 * 16 + 8) * 3;
    [colour.r, colour.g, colour.b].forEach((value, channel) =>
      expect(Math.abs(image.data[centre + channel]! - value)).toBeLessThanOrEqual(16),
    );
  });

  it('keeps the first frame of an animated GIF and says how many there were', async () => {
    const frame = (background: string): Promise<Buffer> =>
      sharp({ create: { width: 4, height: 3, channels: 3, background } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff')], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();
    const image = await loadImage(gif);
    expect([image.width, image.height, image.source.pages]).toEqual([4, 3, 2]);
    expect([...image.data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  it('refuses an image over the pixel limit before decoding it', async () => {
    // 20000 x 20000 declared in 100 bytes: 400 megapixels, over the default 40.
    const bomb = pngDeclaring(20_000, 20_000);
    const error = await loadError(bomb);
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toContain(
      `loadImage(): the ${bomb.length}-byte input buffer is a 20000 x 20000 png image (400000000 pixels), over the limit of ${defaultPixelLimit} pixels`,
    );
    const small = await sharp(quadrants(), raw).png().toBuffer();
    expect((await loadError(small, { pixelLimit: 100 })).message).toContain(
      '(128 pixels), over the limit of 100 pixels',
    );
    await expect(loadImage(small, { pixelLimit: 128 })).resolves.toMatchObject({ width: 16 });
  });

  it('gives INPUT_FORMAT for truncated files, random bytes and empty input', async () => {
    const png = await sharp(quadrants(), raw).png().toBuffer();
    const jpeg = await sharp({
      create: { width: 64, height: 64, channels: 3, background: '#c04020' },
    })
      .jpeg()
      .toBuffer();
    for (const truncated of [
      png.subarray(0, Math.floor(png.length * 0.6)),
      jpeg.subarray(0, Math.floor(jpeg.length * 0.6)),
    ]) {
      const error = await loadError(truncated);
      expect(error.code).toBe('INPUT_FORMAT');
      expect(error.message).toMatch(
        /^loadImage\(\): cannot decode the \d+-byte input buffer \(sharp: .+\)\. Likely cause: the file is truncated or corrupt/,
      );
    }
    const random = new Uint8Array(256);
    for (let i = 0; i < random.length; i++) random[i] = (i * 151 + 7) % 256;
    const garbage = await loadError(random);
    expect(garbage.code).toBe('INPUT_FORMAT');
    expect(garbage.message).toContain(
      'Likely cause: the data is not an image in a format sharp reads',
    );

    expect((await loadError(new Uint8Array(0))).message).toBe(
      'loadImage(): the input buffer is empty (0 bytes), not an image. Likely cause: the file was not written completely, or the wrong buffer was passed. Fix: pass the bytes of a JPEG, PNG, WebP, GIF, TIFF, AVIF or SVG image.',
    );
    const emptyFile = join(folder, 'empty.png');
    await writeFile(emptyFile, '');
    expect(await loadError(emptyFile)).toMatchObject({ code: 'INPUT_FORMAT' });
  });

  it('gives INVALID_ARGUMENT for missing paths, folders and wrong types', async () => {
    const missing = await loadError(join(folder, 'nope.png'));
    expect(missing.code).toBe('INVALID_ARGUMENT');
    expect(missing.message).toContain(
      `loadImage(): input must be the path of an image file, got '${join(folder, 'nope.png')}', which does not exist`,
    );
    await mkdir(join(folder, 'dir.png'));
    expect((await loadError(join(folder, 'dir.png'))).message).toContain('which is not a file');
    expect((await loadError(42 as unknown as string)).message).toBe(
      'loadImage(): input must be a file path, Buffer or Uint8Array, got 42.',
    );
    expect((await loadError('')).code).toBe('INVALID_ARGUMENT');
    const png = await sharp(quadrants(), raw).png().toBuffer();
    expect((await loadError(png, { pixelLimit: 0 })).message).toBe(
      'loadImage(): options.pixelLimit must be a positive integer, got 0.',
    );
  });

  it('does what its example says', async () => {
    const png = await sharp({
      create: { width: 3, height: 2, channels: 4, background: '#ff000080' },
    })
      .png()
      .toBuffer();
    const image = await loadImage(png);
    expect([image.width, image.height, image.channels]).toEqual([3, 2, 3]);
    expect([...image.data.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect(image.source).toEqual({
      format: 'png',
      width: 3,
      height: 2,
      orientation: 1,
      space: 'srgb',
      bitDepth: 8,
      hasAlpha: true,
      pages: 1,
    });
  });
});
