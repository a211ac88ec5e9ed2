import { AttnError } from '@attn/core-attention';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageInputs } from './image-inputs.js';
import { throwIfAborted } from './throw-if-aborted.js';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#c04020' } });

async function inputError(...args: Parameters<typeof readImageInputs>): Promise<AttnError> {
  const error = await readImageInputs(...args).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(AttnError.is(error)).toBe(true);
  return error as AttnError;
}

describe('readImageInputs', () => {
  it('decodes every kind of file to RGB and says what each conversion lost', async () => {
    const alpha = await sharp({
      create: { width: 4, height: 2, channels: 4, background: '#ff000080' },
    })
      .png()
      .toBuffer();
    const deep = await sharp(new Uint16Array(4 * 2 * 3).fill(0x8000), {
      raw: { width: 4, height: 2, channels: 3 },
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const cmyk = await solid(4, 2).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer();
    const grey = await solid(4, 2).toColourspace('b-w').png().toBuffer();
    const frame = (background: string) =>
      sharp({ create: { width: 4, height: 2, channels: 3, background } })
        .png()
        .toBuffer();
    const animated = await sharp(
      [await frame('#ff0000'), await frame('#00ff00'), await frame('#0000ff')],
      {
        join: { animated: true },
      },
    )
      .gif()
      .toBuffer();
    const { images, warnings, single } = await readImageInputs(
      'detect',
      [alpha, deep, cmyk, grey, animated],
      {},
    );
    expect(single).toBe(false);
    expect(images.map(({ width, height, channels }) => [width, height, channels])).toEqual(
      new Array(5).fill([4, 2, 3]),
    );
    expect(warnings).toEqual([
      ['the alpha channel was dropped (transparent pixels keep their stored colour)'],
      ['16-bit samples were reduced to 8 bits'],
      ['the CMYK image was converted to sRGB'],
      [],
      [
        'only the first of 3 pages (frames) of the image was used',
        // GIF decodes with an alpha channel for its transparent palette entry
        'the alpha channel was dropped (transparent pixels keep their stored colour)',
      ],
    ]);
  });

  it('takes one image or a list, and RGB images as they are', async () => {
    const rgb = { width: 2, height: 1, channels: 3, data: new Uint8Array(6).fill(7) } as const;
    const one = await readImageInputs('segment', rgb, {});
    expect(one.single).toBe(true);
    expect(one.images[0]).toBe(rgb);
    const bytes = new Uint8Array(await solid(3, 3).png().toBuffer());
    expect(
      (await readImageInputs('segment', [bytes, rgb], {})).images.map(({ width }) => width),
    ).toEqual([3, 2]);
  });

  it("passes loadImage's errors through: not an image, truncated, empty, over the pixel limit", async () => {
    const png = await solid(32, 32).png().toBuffer();
    const notImage = await inputError(
      'detect',
      new TextEncoder().encode('hello, not an image'),
      {},
    );
    expect(notImage.code).toBe('INPUT_FORMAT');
    expect(notImage.message).toMatch(/^loadImage\(\): cannot decode the 19-byte input buffer/);
    expect(await inputError('detect', [png, png.subarray(0, 60)], {})).toMatchObject({
      code: 'INPUT_FORMAT',
    });
    expect((await inputError('detect', new Uint8Array(0), {})).message).toContain(
      'is empty (0 bytes)',
    );
    expect((await inputError('detect', png, { pixelLimit: 1000 })).message).toContain(
      '(1024 pixels), over the limit of 1000 pixels',
    );
  });

  it('checks RGB images, their size and the argument type', async () => {
    const rgb = { width: 32, height: 32, channels: 3 as const, data: new Uint8Array(32 * 32 * 3) };
    expect((await inputError('detect', rgb, { pixelLimit: 1000 })).message).toBe(
      'detect(): image is 32 x 32 (1024 pixels), over the limit of 1000 pixels. Fix: shrink the image first, or raise options.pixelLimit.',
    );
    expect(
      (await inputError('detect', [rgb, { ...rgb, width: 0, data: new Uint8Array(0) }], {}))
        .message,
    ).toBe(
      'detect(): images[1] must be an RGB image: width x height x 3 bytes in a Uint8Array, got 0 x 32 with Uint8Array of length 0.',
    );
    expect((await inputError('segment', 42 as never, {})).message).toBe(
      'segment(): image must be a file path, a Buffer / Uint8Array of an image file, or an RGB image, got 42.',
    );
    expect((await inputError('segment', [], {})).code).toBe('INVALID_ARGUMENT');
  });
});

describe('throwIfAborted', () => {
  it('throws ABORTED with the reason once the signal fired, and nothing before', () => {
    const controller = new AbortController();
    expect(() => throwIfAborted('detect', controller.signal, 'after 0 of 2 images')).not.toThrow();
    controller.abort(new Error('user left'));
    const error = (() => {
      try {
        throwIfAborted('detect', controller.signal, 'after 0 of 2 images');
      } catch (caught) {
        return caught as AttnError;
      }
    })();
    expect(error).toMatchObject({
      code: 'ABORTED',
      message: 'detect(): aborted after 0 of 2 images.',
    });
    expect((error?.cause as Error).message).toBe('user left');
  });
});
