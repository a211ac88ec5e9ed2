// Image resizing as Pillow's Image.resize does it (libImaging/Resample.c), which is what Hugging Face image
// processors call: a separable convolution whose filter widens by the scale factor when shrinking (so a
// downscale averages instead of aliasing), 22-bit fixed-point weights, horizontal pass first, 8-bit between.
// Shapes: source [H, W, 3] -> result [H', W', 3], RGB bytes row-major; scale s = in / out along an axis.
import { describeValue, invalidArgument } from '@attn/core-attention';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';

/** Pillow's resampling filters, by the names of `PIL.Image.Resampling`. */
export type ResampleFilter = 'nearest' | 'box' | 'bilinear' | 'hamming' | 'bicubic' | 'lanczos';

/** The filters of {@link ResampleFilter}, each an even function and the half-width it is non-zero on. */
const filters: Record<
  Exclude<ResampleFilter, 'nearest'>,
  { support: number; weight: (x: number) => number }
> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x) => Math.max(1 - Math.abs(x), 0) },
  hamming: {
    support: 1,
    weight: (x) => {
      const t = Math.abs(x);
      if (t === 0) return 1;
      if (t >= 1) return 0;
      return (Math.sin(Math.PI * t) / (Math.PI * t)) * (0.54 + 0.46 * Math.cos(Math.PI * t));
    },
  },
  // Keys' cubic convolution with a = -0.5.
  bicubic: {
    support: 2,
    weight: (x) => {
      const t = Math.abs(x);
      if (t < 1) return (1.5 * t - 2.5) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * -0.5;
      return 0;
    },
  },
  lanczos: { support: 3, weight: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

const precisionBits = 22; // Pillow's PRECISION_BITS = 32 - 8 - 2
const half = 1 << (precisionBits - 1);
const saturated = 2 ** (precisionBits + 8);

/**
 * Resizes an RGB image to `width` x `height` with one of Pillow's filters, matching `PIL.Image.resize`
 * (no `box`, no `reducing_gap`) on RGB images. A same-size resize returns a copy.
 *
 * Output pixel i along an axis is centred at (i + 0.5) * s in the source. `nearest` takes the source
 * pixel floor((i + 0.5) * s); the other filters weight source pixel j by filter((j + 0.5 - centre) / max(s, 1)),
 * renormalised over the pixels inside the image (so edges are not darkened). Bit-exact with Pillow 9.4
 * for every filter: checked on 288 random cases (1 x 1 to 224 x 224, up and down) when written, and
 * on seven kept as references in the tests.
 *
 * @example
 * ```ts
 * // 2x bilinear upscale of [0, 100]: centres at 0.25, 0.75, 1.25, 1.75 -> 0, 25, 75, 100
 * const row = { width: 2, height: 1, channels: 3, data: new Uint8Array([0, 0, 0, 100, 100, 100]) } as const;
 * resampleImage(row, 4, 1, 'bilinear').data.filter((_, i) => i % 3 === 0); // Uint8Array [0, 25, 75, 100]
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `image` is not an RGB image, `width` or `height` is not a
 * positive integer, or `filter` is not a {@link ResampleFilter}.
 */
export function resampleImage(
  image: RgbImage,
  width: number,
  height: number,
  filter: ResampleFilter,
): RgbImage {
  const fn = 'resampleImage';
  expectRgbImage(fn, 'image', image);
  for (const [argument, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw invalidArgument(fn, argument, 'a positive integer', describeValue(value));
  }
  if (filter !== 'nearest' && !Object.hasOwn(filters, filter)) {
    throw invalidArgument(
      fn,
      'filter',
      `one of nearest, ${Object.keys(filters).join(', ')}`,
      describeValue(filter),
    );
  }
  if (width === image.width && height === image.height)
    return { width, height, channels: 3, data: image.data.slice() };
  if (filter === 'nearest') return resampleNearest(image, width, height);

  const { support, weight } = filters[filter];
  let result = image;
  if (width !== image.width) {
    const columns = fixedPointWeights(image.width, width, support, weight);
    result = convolveRows(result, columns, width);
  }
  if (height !== image.height) {
    const rows = fixedPointWeights(image.height, height, support, weight);
    result = convolveColumns(result, rows, height);
  }
  return result;
}

/** Per output index: the first source index, how many follow, and their fixed-point weights [out, size]. */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  weights: Int32Array;
  size: number;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis: in -> out samples. */
function fixedPointWeights(
  inSize: number,
  outSize: number,
  support: number,
  weight: (x: number) => number,
): AxisWeights {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const inverseFilterScale = 1 / filterScale; // Pillow multiplies by the reciprocal; so do we, bit for bit
  const reach = support * filterScale;
  const size = Math.ceil(reach) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * size);
  const real = new Float64Array(size);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const first = Math.max(Math.trunc(centre - reach + 0.5), 0);
    const n = Math.min(Math.trunc(centre + reach + 0.5), inSize) - first;
    let total = 0;
    for (let k = 0; k < n; k++) {
      real[k] = weight((first + k - centre + 0.5) * inverseFilterScale);
      total += real[k] as number;
    }
    for (let k = 0; k < n; k++) {
      const normalised = total === 0 ? (real[k] as number) : (real[k] as number) / total;
      // Round half away from zero, as C's (int)(x + 0.5) / (int)(x - 0.5) do.
      weights[i * size + k] = Math.trunc(
        normalised * (1 << precisionBits) + (normalised < 0 ? -0.5 : 0.5),
      );
    }
    start[i] = first;
    count[i] = n;
  }
  return { start, count, weights, size };
}

/** Pillow's 8-bit output of a fixed-point sum: clamp to [0, 255] after dropping the 22 fraction bits. */
function clip8(sum: number): number {
  return sum >= saturated ? 255 : sum <= 0 ? 0 : sum >> precisionBits;
}

/** The horizontal pass: each row [w, 3] -> [W, 3], taps one pixel apart. */
function convolveRows(image: RgbImage, axis: AxisWeights, width: number): RgbImage {
  const { start, count, weights, size } = axis;
  const { height, data: source } = image;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = y * image.width * 3;
    for (let x = 0, out = y * width * 3; x < width; x++, out += 3) {
      const n = count[x] as number;
      let red = half;
      let green = half;
      let blue = half;
      for (let k = 0, at = row + (start[x] as number) * 3, w = x * size; k < n; k++, at += 3, w++) {
        const weight = weights[w] as number;
        red += (source[at] as number) * weight;
        green += (source[at + 1] as number) * weight;
        blue += (source[at + 2] as number) * weight;
      }
      data[out] = clip8(red);
      data[out + 1] = clip8(green);
      data[out + 2] = clip8(blue);
    }
  }
  return { width, height, channels: 3, data };
}

/** The vertical pass: each column [h] -> [H], taps one row (w x 3 samples) apart. */
function convolveColumns(image: RgbImage, axis: AxisWeights, height: number): RgbImage {
  const { start, count, weights, size } = axis;
  const { width, data: source } = image;
  const stride = width * 3;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const n = count[y] as number;
    const first = (start[y] as number) * stride;
    const offset = y * size;
    for (let i = 0, out = y * stride; i < stride; i++, out++) {
      let sum = half;
      for (let k = 0, at = first + i; k < n; k++, at += stride)
        sum += (source[at] as number) * (weights[offset + k] as number);
      data[out] = clip8(sum);
    }
  }
  return { width, height, channels: 3, data };
}

/** Pillow's NEAREST (ImagingScaleAffine): source index floor((i + 0.5) * s), with the position accumulated. */
function resampleNearest(image: RgbImage, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const columns = nearestIndices(image.width, width);
  const rows = nearestIndices(image.height, height);
  for (let y = 0; y < height; y++) {
    const row = rows[y] as number;
    for (let x = 0; x < width; x++) {
      const from = (row * image.width + (columns[x] as number)) * 3;
      const to = (y * width + x) * 3;
      data[to] = image.data[from] as number;
      data[to + 1] = image.data[from + 1] as number;
      data[to + 2] = image.data[from + 2] as number;
    }
  }
  return { width, height, channels: 3, data };
}

/** Source indices for `outSize` samples. Pillow adds s once per step rather than multiplying, and its rounding error decides exact ties (4 -> 7: index 3 lands on 1.999…, source 1). */
function nearestIndices(inSize: number, outSize: number): Int32Array {
  const indices = new Int32Array(outSize);
  const scale = inSize / outSize;
  let position = scale * 0.5;
  for (let i = 0; i < outSize; i++, position += scale)
    indices[i] = Math.min(Math.trunc(position), inSize - 1);
  return indices;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  return Math.sin(Math.PI * x) / (Math.PI * x);
}
