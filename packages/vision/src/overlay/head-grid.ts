// A grid of per-head attention maps, one cell per head with a caption under it, each map alone or blended
// over a thumbnail of the image: the side-by-side view of DINO's figures (Caron et al. 2021,
// https://arxiv.org/abs/2104.14294, figure 3). Shapes: maps [heads, rows, cols] -> grid image.
import {
  describeValue,
  escapeMarkup,
  heatmapRaster,
  invalidArgument,
  type ColormapName,
  type Normalization,
} from '@attn/core-attention';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';
import { resampleImage } from '../preprocess/resample-image.js';
import { compositeSvg, svgFontFamily } from './composite-svg.js';
import { overlayHeatmap } from './overlay-heatmap.js';

export interface HeadGridOptions {
  /** Blend each map over this image (shrunk to the cell); without it the maps are drawn opaque. */
  image?: RgbImage;
  /** One caption per head. Default 'head 0', 'head 1', … */
  captions?: readonly string[];
  /** Cells per row. Default ceil(sqrt(heads)). */
  columns?: number;
  /** Cell width in pixels; the height follows the image's (or the map's) aspect ratio. Default 160. */
  cellWidth?: number;
  /** Default 'magma'. */
  colormap?: ColormapName;
  /** Default 'min-max': each map stretched over its own range. Give [low, high] to compare heads on one scale. */
  normalization?: Normalization;
  /** Alpha of the hottest value when blending over `image`. Default 0.7. */
  opacity?: number;
}

const gap = 4;

/**
 * Draws `heads` maps [rows, cols] side by side on a white canvas, `columns` to a row, each with its
 * caption below. Cells are `cellWidth` x round(cellWidth x aspect) pixels, separated by 4 pixels.
 *
 * @example
 * ```ts
 * const maps = new Float32Array(6 * 14 * 14); // 6 heads over a 14 x 14 patch grid
 * const grid = await headGrid(maps, 6, 14, 14, { cellWidth: 100 });
 * [grid.width, grid.height]; // [308, 236]: 3 columns of 100 and 2 gaps of 4; 2 rows of 100 + a 16-pixel caption, 1 gap
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `maps` is not a Float32Array of heads x rows x cols, a size or
 * `columns` / `cellWidth` is not a positive integer, there are fewer captions than heads, or
 * `options.image` is not an RGB image.
 */
export async function headGrid(
  maps: Float32Array,
  heads: number,
  rows: number,
  cols: number,
  options: HeadGridOptions = {},
): Promise<RgbImage> {
  const fn = 'headGrid';
  for (const [argument, value] of [
    ['heads', heads],
    ['rows', rows],
    ['cols', cols],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw invalidArgument(fn, argument, 'a positive integer', describeValue(value));
  }
  if (!(maps instanceof Float32Array) || maps.length !== heads * rows * cols) {
    throw invalidArgument(
      fn,
      'maps',
      `a Float32Array of heads x rows x cols = ${heads * rows * cols} values`,
      describeValue(maps),
    );
  }
  const {
    image,
    captions = Array.from({ length: heads }, (_, head) => `head ${head}`),
    columns = Math.ceil(Math.sqrt(heads)),
    cellWidth = 160,
    colormap = 'magma',
    normalization = 'min-max',
    opacity = 0.7,
  } = options;
  if (image !== undefined) expectRgbImage(fn, 'options.image', image);
  for (const [argument, value] of [
    ['options.columns', columns],
    ['options.cellWidth', cellWidth],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw invalidArgument(fn, argument, 'a positive integer', describeValue(value));
  }
  if (!Array.isArray(captions) || captions.length < heads)
    throw invalidArgument(fn, 'options.captions', `${heads} strings`, describeValue(captions));

  const aspect = image === undefined ? rows / cols : image.height / image.width;
  const cellHeight = Math.max(1, Math.round(cellWidth * aspect));
  const fontSize = Math.max(10, Math.round(cellWidth / 12));
  const captionHeight = fontSize + 6;
  const gridColumns = Math.min(columns, heads);
  const gridRows = Math.ceil(heads / gridColumns);
  const width = gridColumns * cellWidth + (gridColumns - 1) * gap;
  const height = gridRows * (cellHeight + captionHeight) + (gridRows - 1) * gap;
  const canvas = new Uint8Array(width * height * 3).fill(255);
  const thumbnail =
    image === undefined ? undefined : resampleImage(image, cellWidth, cellHeight, 'bilinear');

  let captionMarkup = '';
  for (let head = 0; head < heads; head++) {
    const map = maps.subarray(head * rows * cols, (head + 1) * rows * cols);
    const cell =
      thumbnail === undefined
        ? opaqueCell(map, rows, cols, cellWidth, cellHeight, colormap, normalization)
        : overlayHeatmap(thumbnail, map, rows, cols, { colormap, normalization, opacity });
    const left = (head % gridColumns) * (cellWidth + gap);
    const top = Math.floor(head / gridColumns) * (cellHeight + captionHeight + gap);
    for (let y = 0; y < cellHeight; y++) {
      const from = y * cellWidth * 3;
      canvas.set(cell.data.subarray(from, from + cellWidth * 3), ((top + y) * width + left) * 3);
    }
    captionMarkup +=
      `<text x="${left + cellWidth / 2}" y="${top + cellHeight + fontSize + 1}" text-anchor="middle" ` +
      `font-family="${svgFontFamily}" font-size="${fontSize}" fill="#000000">${escapeMarkup(String(captions[head]))}</text>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${captionMarkup}</svg>`;
  return compositeSvg({ width, height, channels: 3, data: canvas }, svg);
}

function opaqueCell(
  map: Float32Array,
  rows: number,
  cols: number,
  width: number,
  height: number,
  colormap: ColormapName,
  normalization: Normalization,
): RgbImage {
  const rgba = heatmapRaster(map, rows, cols, { width, height, colormap, normalization }).data;
  const data = new Uint8Array(width * height * 3);
  for (let pixel = 0, at = 0; pixel < data.length; pixel += 3, at += 4) {
    const drawn = rgba[at + 3] !== 0; // NaN values come back transparent: leave them white
    data[pixel] = drawn ? (rgba[at] as number) : 255;
    data[pixel + 1] = drawn ? (rgba[at + 1] as number) : 255;
    data[pixel + 2] = drawn ? (rgba[at + 2] as number) : 255;
  }
  return { width, height, channels: 3, data };
}
