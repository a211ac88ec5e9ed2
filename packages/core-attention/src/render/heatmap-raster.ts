// Heatmap to RGBA raster: normalise, resample bilinearly with pixel-centre alignment (the half-pixel
// convention of OpenCV's INTER_LINEAR, Pillow and TensorFlow's half_pixel_centers, not align-corners),
// then look the colour up. Shapes: values [R, C] (rows = queries, cols = keys), raster [H, W, 4] RGBA.
import { invalidArgument, describeValue } from '../errors/index.js';
import { checkHeatmap, checkPositiveInteger } from './check-arguments.js';
import { colormapLookupTable, type ColormapName } from './colormaps.js';
import { normalizeHeatmap, type Normalization } from './normalize-heatmap.js';

/** RGBA pixels, row-major [height, width, 4]: the shape of a browser `ImageData` and of sharp's raw input. */
export interface RgbaRaster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

export interface HeatmapRasterOptions {
  /** Output width in pixels (any positive integer; it need not be a multiple of cols). */
  width: number;
  /** Output height in pixels. */
  height: number;
  /** Default 'viridis'. */
  colormap?: ColormapName;
  /** Default 'min-max'. See {@link Normalization}. */
  normalization?: Normalization;
  /** Alpha follows the normalised value (0 transparent, 1 opaque), for overlays on an image. Default false. */
  alphaFromValue?: boolean;
  /** Multiplies every pixel's alpha, in [0, 1]. Default 1. */
  opacity?: number;
  /** A caller-owned buffer of width x height x 4 bytes to write into instead of allocating one. */
  output?: Uint8ClampedArray;
}

/**
 * Renders a heatmap [rows, cols] as an RGBA raster of any size. Output pixel (x, y) samples the source
 * at ((x + 0.5) * cols / width - 0.5, (y + 0.5) * rows / height - 0.5), clamped to the edge samples, so
 * each source cell covers an equal block of pixels. NaN values become transparent pixels (alpha 0).
 * Values are normalised (and saturated) before interpolation.
 *
 * @example
 * ```ts
 * // [[0, 1], [2, 3]] in gray with domain [0, 3], 4 x 4 pixels: the top row samples x = 0, .25, .75, 1
 * const raster = heatmapRaster(new Float32Array([0, 1, 2, 3]), 2, 2, {
 *   width: 4, height: 4, colormap: 'gray', normalization: [0, 3],
 * });
 * [raster.data[0], raster.data[4], raster.data[8], raster.data[12]]; // [0, 21, 64, 85] (255 * x / 3)
 * raster.data[3]; // 255 (opaque)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when rows, cols, width or height is not a positive integer,
 * `values` is not a Float32Array of rows x cols, the domain is not finite low < high, opacity is
 * outside [0, 1], the colormap is unknown or `output` has the wrong length.
 */
export function heatmapRaster(
  values: Float32Array,
  rows: number,
  cols: number,
  options: HeatmapRasterOptions,
): RgbaRaster {
  const fn = 'heatmapRaster';
  const {
    width,
    height,
    colormap = 'viridis',
    normalization = 'min-max',
    alphaFromValue = false,
    opacity = 1,
  } = options;
  checkHeatmap(fn, values, rows, cols);
  checkPositiveInteger(fn, 'options.width', width);
  checkPositiveInteger(fn, 'options.height', height);
  if (!(opacity >= 0 && opacity <= 1))
    throw invalidArgument(fn, 'options.opacity', 'a number in [0, 1]', describeValue(opacity));
  const data = options.output ?? new Uint8ClampedArray(width * height * 4);
  if (!(data instanceof Uint8ClampedArray) || data.length !== width * height * 4) {
    throw invalidArgument(
      fn,
      'options.output',
      `a Uint8ClampedArray of ${width} x ${height} x 4 bytes`,
      describeValue(data),
    );
  }
  const table = colormapLookupTable(colormap);
  const t = normalizeHeatmap(fn, values, rows, cols, normalization); // [R, C] in [0, 1] or NaN
  const columns = sampleGrid(width, cols);
  const lines = sampleGrid(height, rows);
  const alpha = 255 * opacity;

  for (let y = 0; y < height; y++) {
    const top = (lines.low[y] as number) * cols;
    const bottom = (lines.high[y] as number) * cols;
    const down = lines.fraction[y] as number;
    let pixel = y * width * 4;
    for (let x = 0; x < width; x++, pixel += 4) {
      const left = columns.low[x] as number;
      const right = columns.high[x] as number;
      const across = columns.fraction[x] as number;
      const upper =
        (t[top + left] as number) +
        across * ((t[top + right] as number) - (t[top + left] as number));
      const lower =
        (t[bottom + left] as number) +
        across * ((t[bottom + right] as number) - (t[bottom + left] as number));
      const value = upper + down * (lower - upper);
      if (Number.isNaN(value)) {
        data[pixel] = data[pixel + 1] = data[pixel + 2] = data[pixel + 3] = 0;
        continue;
      }
      const entry = ((value * 255 + 0.5) | 0) * 3;
      data[pixel] = table[entry] as number;
      data[pixel + 1] = table[entry + 1] as number;
      data[pixel + 2] = table[entry + 2] as number;
      data[pixel + 3] = alphaFromValue ? value * alpha : alpha;
    }
  }
  return { width, height, data };
}

/** For each of `outputSize` pixels along an axis: the two source samples around its centre and the weight of the second. */
function sampleGrid(
  outputSize: number,
  inputSize: number,
): { low: Int32Array; high: Int32Array; fraction: Float64Array } {
  const low = new Int32Array(outputSize);
  const high = new Int32Array(outputSize);
  const fraction = new Float64Array(outputSize);
  const ratio = inputSize / outputSize;
  for (let i = 0; i < outputSize; i++) {
    const source = Math.min(Math.max((i + 0.5) * ratio - 0.5, 0), inputSize - 1);
    const floor = Math.floor(source);
    low[i] = floor;
    fraction[i] = source - floor;
    // A zero weight reads one sample only, so a NaN neighbour it does not use cannot leak in.
    high[i] = source > floor ? floor + 1 : floor;
  }
  return { low, high, fraction };
}
