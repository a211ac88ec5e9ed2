import { randomInt, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.js';
import type { ImageProcessorSettings } from './image-processor-settings.js';
import { preprocessImages } from './preprocess-images.js';

function randomImage(seed: number, width: number, height: number): RgbImage {
  const random = seededRandom(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = randomInt(random, 0, 256);
  return { width, height, channels: 3, data };
}

const imagenet = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
const noResize: ImageProcessorSettings = {
  resize: null,
  resample: 'bilinear',
  rescaleFactor: 1 / 255,
  normalize: imagenet,
  pad: 'none',
};

describe('preprocessImages', () => {
  it('rescales, normalises and lays out channels first exactly as a float64 loop does', () => {
    const images = [randomImage(1, 5, 3), randomImage(2, 5, 3)];
    const { pixelValues, pixelMask, geometry } = preprocessImages(images, noResize);
    expect(pixelValues.dims).toEqual([2, 3, 3, 5]);
    expect(pixelMask).toBeUndefined();
    const expected = new Float32Array(2 * 3 * 3 * 5);
    images.forEach((image, b) => {
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 3; y++)
          for (let x = 0; x < 5; x++) {
            const sample = image.data[(y * 5 + x) * 3 + c]!;
            expected[((b * 3 + c) * 3 + y) * 5 + x] =
              (sample * (1 / 255) - imagenet.mean[c]!) / imagenet.std[c]!;
          }
    });
    expect(pixelValues.data).toEqual(expected);
    expect(geometry[1]).toEqual({
      original: { width: 5, height: 3 },
      resized: { width: 5, height: 3 },
      input: { width: 5, height: 3 },
      scale: { x: 1, y: 1 },
    });
  });

  it('leaves samples alone without rescale or normalisation', () => {
    const image = randomImage(3, 2, 2);
    const { pixelValues } = preprocessImages([image], {
      ...noResize,
      rescaleFactor: null,
      normalize: null,
    });
    expect([...pixelValues.data]).toEqual(
      [0, 1, 2].flatMap((c) => [0, 1, 2, 3].map((pixel) => image.data[pixel * 3 + c]!)),
    );
  });

  it('resizes with Pillow bilinear before normalising: a 2x upscale worked by hand', () => {
    // Red channel [[0, 100], [200, 40]] -> 4 x 4 with centres at 0.25 / 0.75 source pixels from an edge:
    // rows 0 and 3 are [0, 25, 75, 100] and [200, 160, 80, 40]; row 1 = 0.75 row 0 + 0.25 row 3, rounded.
    const data = new Uint8Array(12);
    [0, 100, 200, 40].forEach((value, pixel) => (data[pixel * 3] = value));
    const settings: ImageProcessorSettings = {
      ...noResize,
      resize: { height: 4, width: 4 },
      normalize: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    };
    const { pixelValues, geometry } = preprocessImages(
      [{ width: 2, height: 2, channels: 3, data }],
      settings,
    );
    const red = [0, 25, 75, 100, 50, 59, 76, 85, 150, 126, 79, 55, 200, 160, 80, 40];
    const expected = red.map((sample) => Math.fround((sample / 255 - 0.5) / 0.5));
    [...pixelValues.data.subarray(0, 16)].forEach((value, i) =>
      expect(value).toBeCloseTo(expected[i]!, 6),
    );
    expect(geometry[0]!.scale).toEqual({ x: 2, y: 2 });
  });

  it('pads a batch of different sizes to the largest, bottom and right, with zeros and a pixel mask', () => {
    const wide = randomImage(4, 4, 2);
    const tall = randomImage(5, 2, 3);
    const { pixelValues, pixelMask, geometry } = preprocessImages([wide, tall], {
      ...noResize,
      pad: 'batch',
    });
    expect(pixelValues.dims).toEqual([2, 3, 3, 4]);
    expect(pixelMask!.dims).toEqual([2, 3, 4]);
    expect(pixelMask!.type).toBe('int64');
    // prettier-ignore
    expect([...pixelMask!.data]).toEqual([
      1n, 1n, 1n, 1n,  1n, 1n, 1n, 1n,  0n, 0n, 0n, 0n,
      1n, 1n, 0n, 0n,  1n, 1n, 0n, 0n,  1n, 1n, 0n, 0n,
    ]);
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 3; y++)
          for (let x = 0; x < 4; x++) {
            const value = pixelValues.data[((b * 3 + c) * 3 + y) * 4 + x]!;
            if (pixelMask!.data[(b * 3 + y) * 4 + x] === 0n) expect(value).toBe(0);
            else expect(value).not.toBe(0); // ImageNet normalisation maps no 8-bit sample to 0
          }
    expect(geometry.map((entry) => entry.input)).toEqual([
      { width: 4, height: 3 },
      { width: 4, height: 3 },
    ]);
  });

  it('pads to a fixed size and refuses an image larger than it', () => {
    const { pixelValues, pixelMask } = preprocessImages([randomImage(6, 3, 2)], {
      ...noResize,
      pad: { height: 4, width: 5 },
    });
    expect(pixelValues.dims).toEqual([1, 3, 4, 5]);
    expect(pixelMask!.data.reduce((sum, value) => sum + value, 0n)).toBe(6n);
    expect(() =>
      preprocessImages([randomImage(7, 6, 2)], { ...noResize, pad: { height: 4, width: 5 } }),
    ).toThrow(
      'preprocessImages(): images must be no larger than the pad size 5 x 4 after resizing, got an image of 6 x 2',
    );
  });

  it('resizes a DETR batch by shortest edge and records each scale', () => {
    const settings: ImageProcessorSettings = {
      ...noResize,
      resize: { shortestEdge: 4, longestEdge: 8 },
      pad: 'batch',
    };
    // 6 x 3 -> height 4, width int(4 x 6 / 3) = 8; 3 x 6 -> 4 x 8.
    const { pixelValues, geometry } = preprocessImages(
      [randomImage(8, 6, 3), randomImage(9, 3, 6)],
      settings,
    );
    expect(pixelValues.dims).toEqual([2, 3, 8, 8]);
    expect(geometry.map((entry) => [entry.resized, entry.scale])).toEqual([
      [
        { width: 8, height: 4 },
        { x: 8 / 6, y: 4 / 3 },
      ],
      [
        { width: 4, height: 8 },
        { x: 4 / 3, y: 8 / 6 },
      ],
    ]);
  });

  it('refuses images that come out at different sizes when nothing pads them', () => {
    expect(() =>
      preprocessImages([randomImage(10, 4, 2), randomImage(11, 2, 4)], noResize),
    ).toThrow(
      'preprocessImages(): images must be of one size after resizing, since the settings do not pad, got sizes 4 x 2, 2 x 4',
    );
    expect(() => preprocessImages([], noResize)).toThrow(
      'preprocessImages(): images must be a non-empty array of RGB images, got []',
    );
    expect(() =>
      preprocessImages([{ width: 2, height: 2, channels: 3, data: new Uint8Array(3) }], noResize),
    ).toThrow('preprocessImages(): images[0] must be an RGB image');
  });

  it('does what its example says', () => {
    const white = { width: 4, height: 2, channels: 3, data: new Uint8Array(24).fill(255) } as const;
    const { pixelValues, geometry } = preprocessImages([white], {
      resize: { height: 4, width: 4 },
      resample: 'bilinear',
      rescaleFactor: 1 / 255,
      normalize: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
      pad: 'none',
    });
    expect(pixelValues.dims).toEqual([1, 3, 4, 4]);
    expect(pixelValues.data[0]).toBe(1);
    expect(geometry[0]!.scale).toEqual({ x: 1, y: 2 });
  });
});
