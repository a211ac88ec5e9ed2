// A text model's attention as an --out file: layers and heads averaged into one [query, key] matrix, written as a
// labelled SVG (core-attention's attentionMatrixSvg), a PNG heatmap (a square block of pixels per cell, viridis,
// no labels), or an HTML page showing the result above the SVG.
import {
  AttnError,
  aggregateAttention,
  attentionMatrixSvg,
  h,
  heatmapRaster,
  raw,
  type AttentionMaps,
  type Html,
} from '@attn/core-attention';
import { htmlDocument } from './html-document.js';
import type { OutputFormat } from './out-target.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** What to draw. */
export interface MatrixFigure {
  /** The figure's title and the page's. */
  title: string;
  maps: AttentionMaps | undefined;
  /** One label per query row; default the maps' query labels. */
  queryLabels?: readonly string[];
  /** What the HTML page shows above the matrix. */
  body: Html;
}

/** The PNG is at most about this many pixels on its longer side. */
const pngSide = 1200;

/**
 * Writes `figure` to `path` in `format`, atomically.
 *
 * @example
 * ```ts
 * await writeMatrixFigure('svg', 'out/alignment.svg', {
 *   title: 'cross-attention', maps: translation.attention, body: h('p', {}, translation.text),
 * });
 * ```
 * @throws {AttnError} MODEL_FORMAT when the result has no attention; INVALID_ARGUMENT when the file cannot be
 * written or the labels do not fit the matrix.
 */
export async function writeMatrixFigure(
  format: OutputFormat,
  path: string,
  figure: MatrixFigure,
): Promise<void> {
  const { maps, title } = figure;
  if (maps === undefined)
    throw new AttnError('MODEL_FORMAT', `attn: the result has no attention to render to ${path}`);
  const matrix = aggregateAttention(maps); // [queries, keys]
  const [rows, cols] = matrix.dims as [number, number];
  if (format === 'png') {
    const cell = Math.max(1, Math.min(24, Math.floor(pngSide / Math.max(rows, cols))));
    const raster = heatmapRaster(matrix.data, rows, cols, {
      width: cols * cell,
      height: rows * cell,
    });
    const { encodePng } = await import('@attn/vision');
    await writeFileAtomic(path, await encodePng(raster));
    return;
  }
  const svg = attentionMatrixSvg(matrix.data, {
    queryLabels: figure.queryLabels ?? maps.queryLabels,
    keyLabels: maps.keyLabels,
    title,
  });
  const page = htmlDocument(title, h('main', {}, [figure.body, h('figure', {}, raw(svg))]));
  await writeFileAtomic(path, format === 'svg' ? svg : page);
}

/**
 * Row labels for a decoder's attention: the last rows produced the generated tokens (row i produced token i, its
 * input is the token before), earlier rows keep the maps' labels (extra prompt tokens).
 *
 * @example
 * ```ts
 * producedRowLabels({ queryLabels: ['</s>', 'Ein', 'Hund'] } as AttentionMaps, ['Ein', 'Hund', '</s>']);
 * // ['Ein', 'Hund', '</s>']
 * ```
 * @throws never.
 */
export function producedRowLabels(maps: AttentionMaps, produced: readonly string[]): string[] {
  const offset = maps.queryLabels.length - produced.length;
  return maps.queryLabels.map((label, row) => produced[row - offset] ?? label);
}
