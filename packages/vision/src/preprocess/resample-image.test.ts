import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '@attn/core-attention/testing';
import type { RgbImage } from '../image/rgb-image.js';
import { resampleImage, type ResampleFilter } from './resample-image.js';

/** A w x h image whose samples are (53x + 97y + 31c + 7xy) mod 256, rebuilt identically in Python. */
function patternImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++)
        data[(y * width + x) * 3 + c] = (x * 53 + y * 97 + c * 31 + x * y * 7) % 256;
  return { width, height, channels: 3, data };
}

// Pillow 9.4.0 (Debian python3-pil) on patternImage: np.asarray(Image.fromarray(a, 'RGB').resize((W, H), resample=code)).
// prettier-ignore
const pillowReference: Array<[ResampleFilter, [number, number], [number, number], number[]]> = [
  ['bilinear', [5, 3], [9, 4], [0,31,62,18,49,80,47,78,109,77,108,139,106,137,168,135,166,197,165,196,198,194,225,86,212,243,18,61,92,123,80,111,142,111,142,173,144,175,135,175,206,77,118,149,109,79,110,131,111,142,109,130,161,96,133,164,99,122,153,120,104,135,155,128,159,119,163,194,65,108,139,99,72,103,124,107,138,105,128,159,94,194,225,0,131,162,22,26,57,60,35,66,97,72,103,134,109,140,171,146,177,180,184,215,75,206,237,12]],
  ['bicubic', [5, 3], [3, 7], [9,40,71,101,132,188,207,238,105,29,60,92,112,143,168,179,210,107,80,111,152,145,176,117,105,136,112,126,157,188,163,194,77,52,83,114,127,158,123,122,153,100,100,131,106,113,144,40,72,103,137,169,200,97,110,141,8,52,83,150,194,225,93]],
  ['lanczos', [5, 3], [2, 2], [84,115,135,140,171,121,113,144,98,116,147,109]],
  ['box', [5, 3], [4, 5], [0,31,62,80,111,142,159,190,221,212,243,18,0,31,62,80,111,142,159,190,221,212,243,18,97,128,159,187,218,121,21,52,83,81,112,143,194,225,0,39,70,101,139,170,201,206,237,12,194,225,0,39,70,101,139,170,201,206,237,12]],
  ['hamming', [5, 3], [8, 2], [27,58,89,46,77,108,82,113,144,129,160,130,134,165,135,121,152,183,156,187,100,176,207,53,167,198,44,124,155,67,47,78,109,103,134,104,111,142,112,107,138,168,148,179,92,171,202,48]],
  ['bilinear', [20, 12], [7, 5], [101,132,122,117,148,110,106,137,117,129,139,136,134,112,143,131,95,125,151,152,154,111,134,122,112,136,117,122,146,132,119,128,149,139,102,133,134,117,122,116,125,142,120,118,129,127,129,108,134,136,129,148,122,142,117,129,146,118,135,134,126,114,129,117,124,117,125,143,135,98,129,134,131,139,127,128,139,134,133,138,130,117,133,129,128,158,134,118,148,164,106,137,168,115,129,156,115,140,128,149,130,113,144,120,106]],
  ['bicubic', [20, 12], [7, 5], [100,132,121,117,149,112,103,136,115,130,143,135,136,111,145,128,91,124,154,157,154,113,137,120,110,134,117,123,149,133,115,128,153,145,95,131,137,115,118,114,125,145,119,114,132,128,127,106,137,138,129,154,120,144,112,129,149,117,137,133,128,113,130,117,122,113,128,147,134,90,127,134,132,140,122,129,141,135,135,139,134,108,131,128,130,160,131,119,149,169,105,137,172,114,127,159,114,141,125,151,132,115,148,118,99]],
];

/** The filters in float64, written from their definitions (Keys 1981 for the cubic, a = -0.5). */
const referenceFilters: Record<
  Exclude<ResampleFilter, 'nearest'>,
  [number, (x: number) => number]
> = {
  box: [0.5, (x) => (x > -0.5 && x <= 0.5 ? 1 : 0)],
  bilinear: [1, (x) => Math.max(0, 1 - Math.abs(x))],
  hamming: [
    1,
    (x) =>
      x === 0
        ? 1
        : Math.abs(x) >= 1
          ? 0
          : (Math.sin(Math.PI * x) / (Math.PI * x)) * (0.54 + 0.46 * Math.cos(Math.PI * x)),
  ],
  bicubic: [
    2,
    (x) => {
      const t = Math.abs(x);
      return t < 1
        ? 1.5 * t ** 3 - 2.5 * t ** 2 + 1
        : t < 2
          ? -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2
          : 0;
    },
  ],
  lanczos: [
    3,
    (x) => {
      const sinc = (v: number): number => (v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v));
      return Math.abs(x) < 3 ? sinc(x) * sinc(x / 3) : 0;
    },
  ],
};

/**
 * Naive float64 resampling: rows first, then columns, each pass clamped to [0, 255] as an 8-bit image
 * must be, but with no rounding anywhere: the ideal that Pillow's fixed-point passes approximate.
 */
function referenceResample(
  image: RgbImage,
  width: number,
  height: number,
  filter: Exclude<ResampleFilter, 'nearest'>,
): Float64Array {
  const [, weight] = referenceFilters[filter];
  const weights = (inSize: number, outSize: number): number[][] => {
    const scale = inSize / outSize;
    const stretch = Math.max(scale, 1);
    return Array.from({ length: outSize }, (_, i) => {
      const centre = (i + 0.5) * scale;
      const row = Array.from({ length: inSize }, (_, j) => weight((j + 0.5 - centre) / stretch));
      const total = row.reduce((sum, value) => sum + value, 0);
      return row.map((value) => value / total);
    });
  };
  const clamp = (value: number): number => Math.min(255, Math.max(0, value));
  const across = weights(image.width, width);
  const down = weights(image.height, height);
  const wide = new Float64Array(width * image.height * 3); // [h, W, 3]
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let sx = 0; sx < image.width; sx++)
          sum += across[x]![sx]! * image.data[(y * image.width + sx) * 3 + c]!;
        wide[(y * width + x) * 3 + c] = clamp(sum);
      }
  const result = new Float64Array(width * height * 3); // [H, W, 3]
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let sy = 0; sy < image.height; sy++)
          sum += down[y]![sy]! * wide[(sy * width + x) * 3 + c]!;
        result[(y * width + x) * 3 + c] = clamp(sum);
      }
  return result;
}

describe('resampleImage', () => {
  it.each(pillowReference)(
    'matches Pillow 9.4 bit for bit: %s %j -> %j',
    (filter, [w, h], [W, H], expected) => {
      const result = resampleImage(patternImage(w, h), W, H, filter);
      expect([result.width, result.height, result.channels]).toEqual([W, H, 3]);
      expect([...result.data]).toEqual(expected);
    },
  );

  it('matches Pillow on a nearest-neighbour tie decided by accumulated rounding', () => {
    // 4 -> 7: output 3 is centred at 3.5 x 4/7 = 2.0 exactly, but Pillow sums 4/7 three times onto 2/7
    // and lands on 1.999…, so it takes source 1 (value 60), not 2.
    const row = {
      width: 4,
      height: 1,
      channels: 3,
      data: new Uint8Array([0, 0, 0, 60, 60, 60, 120, 120, 120, 180, 180, 180]),
    } as const;
    const result = resampleImage(row, 7, 1, 'nearest');
    expect([...result.data].filter((_, i) => i % 3 === 0)).toEqual([0, 0, 60, 60, 120, 180, 180]);
  });

  it('upscales 2x bilinearly with pixel centres aligned, by hand', () => {
    // 2 x 2 source [[0, 100], [200, 40]] in the red channel. Output centres sit at 0.25 and 0.75 source
    // pixels from the first centre: columns weigh (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1) after edge clamping.
    // Row 0 = [0, 25, 75, 100]; row 3 = [200, 160, 80, 40] (source row 1 widened the same way);
    // row 1 = 0.75 x row 0 + 0.25 x row 3 = [50, 58.75, 76.25, 85], rounded.
    const red = new Uint8Array(12);
    [0, 100, 200, 40].forEach((value, i) => (red[i * 3] = value));
    const result = resampleImage({ width: 2, height: 2, channels: 3, data: red }, 4, 4, 'bilinear');
    const channel = [...result.data].filter((_, i) => i % 3 === 0);
    expect(channel.slice(0, 4)).toEqual([0, 25, 75, 100]);
    expect(channel.slice(4, 8)).toEqual([50, 59, 76, 85]);
    expect(channel.slice(12, 16)).toEqual([200, 160, 80, 40]);
  });

  it('stays within rounding of an exact float64 resampling, up and down, for random images', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 40; trial++) {
      const width = randomInt(random, 1, 13);
      const height = randomInt(random, 1, 13);
      const data = new Uint8Array(width * height * 3);
      for (let i = 0; i < data.length; i++) data[i] = randomInt(random, 0, 256);
      const image = { width, height, channels: 3, data } as const;
      const filter = (['box', 'bilinear', 'hamming', 'bicubic', 'lanczos'] as const)[trial % 5]!;
      const outWidth = randomInt(random, 1, 20);
      const outHeight = randomInt(random, 1, 20);
      const result = resampleImage(image, outWidth, outHeight, filter);
      const reference = referenceResample(image, outWidth, outHeight, filter);
      // 8-bit rounding between the passes adds up to half a level, times the sum of |weights|
      // (1 for the non-negative filters, up to about 1.3 where bicubic and Lanczos have negative lobes).
      const tolerance = filter === 'bicubic' || filter === 'lanczos' ? 1.5 : 1.01;
      for (let i = 0; i < reference.length; i++)
        expect(Math.abs(result.data[i]! - reference[i]!)).toBeLessThanOrEqual(tolerance);
    }
  });

  it('returns a copy for a same-size resize and keeps a solid colour solid', () => {
    const image = patternImage(3, 2);
    const same = resampleImage(image, 3, 2, 'bicubic');
    expect(same.data).toEqual(image.data);
    expect(same.data).not.toBe(image.data);
    const solid = { width: 5, height: 4, channels: 3, data: new Uint8Array(60).fill(77) } as const;
    expect(new Set(resampleImage(solid, 13, 2, 'lanczos').data)).toEqual(new Set([77]));
  });

  it('refuses bad sizes, filters and images', () => {
    const image = patternImage(2, 2);
    expect(() => resampleImage(image, 0, 2, 'bilinear')).toThrow(
      'resampleImage(): width must be a positive integer, got 0.',
    );
    expect(() => resampleImage(image, 2, 1.5, 'bilinear')).toThrow(
      'height must be a positive integer, got 1.5',
    );
    expect(() => resampleImage(image, 2, 2, 'area' as ResampleFilter)).toThrow(
      "filter must be one of nearest, box, bilinear, hamming, bicubic, lanczos, got 'area'",
    );
    expect(() => resampleImage({ ...image, data: new Uint8Array(5) }, 2, 2, 'box')).toThrow(
      /image must be an RGB image/,
    );
  });
});
