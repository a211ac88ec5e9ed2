import { AttnError } from '@attn/core-attention';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.js';
import { canRenderText } from './can-render-text.js';
import { drawBoxes } from './draw-boxes.js';
import { labelColor } from './label-color.js';

const black = (width: number, height: number): RgbImage => ({
  width,
  height,
  channels: 3,
  data: new Uint8Array(width * height * 3),
});
const pixel = (image: RgbImage, x: number, y: number): number[] => [
  ...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3),
];

/** Pixels in rows [top, bottom) and columns [left, right) within `tolerance` of `colour` on every channel. */
function count(
  image: RgbImage,
  [left, top, right, bottom]: number[],
  colour: number[],
  tolerance = 0,
): number {
  let found = 0;
  for (let y = top!; y < bottom!; y++)
    for (let x = left!; x < right!; x++)
      if (pixel(image, x, y).every((value, c) => Math.abs(value - colour[c]!) <= tolerance))
        found++;
  return found;
}

describe('drawBoxes', () => {
  it('outlines a box: a 2-pixel stroke centred on each edge, nothing inside or outside', async () => {
    const drawn = await drawBoxes(
      black(64, 48),
      [{ box: { x0: 8, y0: 20, x1: 40, y1: 44 }, color: [255, 0, 0] }],
      { lineWidth: 2 },
    );
    expect([drawn.width, drawn.height]).toEqual([64, 48]);
    // The stroke covers x in [7, 9] around x0 = 8 and [39, 41] around x1 = 40: pixels 7, 8 and 39, 40.
    for (const x of [7, 8, 39, 40]) expect(pixel(drawn, x, 30)).toEqual([255, 0, 0]);
    for (const y of [19, 20, 43, 44]) expect(pixel(drawn, 24, y)).toEqual([255, 0, 0]);
    for (const [x, y] of [
      [6, 30],
      [9, 30],
      [24, 21],
      [24, 42],
      [50, 30],
      [24, 10],
    ] as const)
      expect(pixel(drawn, x, y)).toEqual([0, 0, 0]);
  });

  it('tags a box above it, in its label colour, with the text drawn where fonts exist', async () => {
    const drawn = await drawBoxes(
      black(96, 64),
      [{ box: { x0: 10, y0: 30, x1: 60, y1: 60 }, label: 'square', score: 0.931 }],
      { lineWidth: 2, fontSize: 12 },
    );
    const colour = labelColor('square');
    // The tag is 1.3 x 12 = 15.6 high, ending at the stroke's outer edge y = 29; "square 0.93" is 11
    // characters, 11 x 0.56 x 12 + 6 = 80 wide from x = 9.
    const tag = [10, 14, 80, 28];
    expect(count(drawn, tag, colour)).toBeGreaterThan(200);
    const textColour =
      0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2] > 150 ? [0, 0, 0] : [255, 255, 255];
    // Antialiased 12-pixel glyphs: count the pixels close to the text colour.
    expect(count(drawn, tag, textColour, 60) > 10).toBe(await canRenderText());
    expect(count(drawn, [0, 0, 96, 12], colour)).toBe(0);
  });

  it('puts the tag inside the box when there is no room above, and escapes markup in labels', async () => {
    const drawn = await drawBoxes(
      black(64, 48),
      [{ box: { x0: 4, y0: 2, x1: 60, y1: 40 }, label: '<b>&"', color: [0, 200, 0] }],
      { lineWidth: 2, fontSize: 10 },
    );
    // Inside: from the stroke's inner edge y = 3 to 3 + 13.
    expect(count(drawn, [6, 5, 20, 15], [0, 200, 0])).toBeGreaterThan(50);
  });

  it('refuses malformed annotations and options', async () => {
    const error = await drawBoxes(black(8, 8), [
      { box: { x0: 0, y0: 0, x1: Number.NaN, y1: 2 } },
    ]).catch((caught: unknown) => caught);
    expect(AttnError.is(error)).toBe(true);
    expect((error as AttnError).message).toBe(
      'drawBoxes(): annotations[0].box must be {x0, y0, x1, y1} of finite numbers, got {"x0":0,"y0":0,"x1":null,"y1":2}.',
    );
    await expect(drawBoxes(black(8, 8), [], { lineWidth: 0 })).rejects.toThrow(
      'drawBoxes(): options.lineWidth must be a positive number, got 0.',
    );
    await expect(drawBoxes(black(8, 8), 'boxes' as never)).rejects.toThrow(
      'drawBoxes(): annotations must be an array',
    );
  });

  it('does what its example says', async () => {
    const drawn = await drawBoxes(
      black(64, 48),
      [
        {
          box: { x0: 8, y0: 20, x1: 40, y1: 44 },
          label: 'square',
          score: 0.93,
          color: [255, 0, 0],
        },
      ],
      { lineWidth: 2 },
    );
    expect(pixel(drawn, 8, 30)).toEqual([255, 0, 0]);
    expect(pixel(drawn, 20, 30)).toEqual([0, 0, 0]);
  });
});

describe('labelColor and canRenderText', () => {
  it('picks Tableau 10 colours by FNV-1a hash (published test vectors)', () => {
    // FNV-1a 32: '' = 0x811c9dc5 = 2166136261 (% 10 = 1), 'a' = 0xe40c292c = 3826002220 (% 10 = 0),
    // 'b' = 0xe70c2de5 = 3876335077 (% 10 = 7).
    expect(labelColor('')).toEqual([255, 127, 14]);
    expect(labelColor('a')).toEqual([31, 119, 180]);
    expect(labelColor('b')).toEqual([127, 127, 127]);
    const colour = labelColor('a');
    colour[0] = 0;
    expect(labelColor('a')).toEqual([31, 119, 180]); // callers get a copy
  });

  it('probes text rendering once', async () => {
    expect(canRenderText()).toBe(canRenderText());
    expect(typeof (await canRenderText())).toBe('boolean');
  });
});
