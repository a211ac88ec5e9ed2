// Where DETR's encoder positions lie on the image. The backbone turns an input of H x W pixels into a feature map of
// ceil(H / s) x ceil(W / s) cells for its total stride s (stride-2 convolutions with padding round up), flattened
// row by row into the encoder's S positions; DETR shrinks the pixel mask to that map with PyTorch's nearest
// interpolation (F.interpolate's default: source index floor(i x in / out), computed in float32), so a cell is
// real when the pixel it samples is. Padding sits at the bottom and right, so the real cells are a top-left block.
import { AttnError } from '@attn/core-attention';
import type { Size } from '../preprocess/resize-output-size.js';

/** The feature map over a padded input and the block of its cells that lie on the image. */
export interface FeatureGrid {
  /** Cells of the whole feature map. */
  readonly rows: number;
  readonly cols: number;
  /** The top-left block of cells the pixel mask marks as image, not padding. */
  readonly realRows: number;
  readonly realCols: number;
}

/** Strides tried when the config does not name one: ResNet's C5 (32), its dilated C5 (16), then the rest. */
const commonStrides = [32, 16, 8, 64, 4, 2, 1];

/**
 * The feature map of `positions` cells over an input of `input` pixels whose image fills the top-left
 * `resized` pixels. The stride is `strideHint` (config.json's `backbone_stride`) when it fits, else the first
 * of 32, 16, 8, 64, 4, 2, 1 with ceil(H / s) x ceil(W / s) = positions.
 *
 * @example
 * ```ts
 * // A 72 x 56 batch input (width x height) holding a 40 x 56 image, stride 8: a 9 x 7 map; the real columns
 * // are those sampling x = floor(c x 72 / 9) = 8c < 40, so c < 5.
 * featureGrid({ width: 72, height: 56 }, { width: 40, height: 56 }, 63, 8);
 * // { rows: 7, cols: 9, realRows: 7, realCols: 5 }
 * ```
 * @throws {AttnError} MODEL_FORMAT when no stride places `positions` cells on the input.
 */
export function featureGrid(
  input: Size,
  resized: Size,
  positions: number,
  strideHint?: number,
): FeatureGrid {
  const strides = [
    ...new Set([...(strideHint === undefined ? [] : [strideHint]), ...commonStrides]),
  ];
  const stride = strides.find(
    (s) => Math.ceil(input.height / s) * Math.ceil(input.width / s) === positions,
  );
  if (stride === undefined) {
    throw new AttnError(
      'MODEL_FORMAT',
      `detect(): the model's cross-attention has ${positions} encoder positions, which no backbone stride places on a ${input.width} x ${input.height} input`,
      {
        likelyCause: 'the backbone does not downsample by a power of two with rounding up',
        fix: "set backbone_stride in config.json to the backbone's total stride",
      },
    );
  }
  const rows = Math.ceil(input.height / stride);
  const cols = Math.ceil(input.width / stride);
  return {
    rows,
    cols,
    realRows: realCells(rows, input.height, resized.height),
    realCols: realCells(cols, input.width, resized.width),
  };
}

/** How many of `cells` sample a pixel inside the first `real` of `pixels` (nearest, PyTorch's float32 rule). */
function realCells(cells: number, pixels: number, real: number): number {
  if (cells === pixels) return real;
  const scale = Math.fround(pixels / cells);
  let count = 0;
  while (count < cells && Math.floor(Math.fround(count * scale)) < real) count++;
  return count;
}
