// An attention matrix as a standalone, labelled SVG document (SVG 1.1, https://www.w3.org/TR/SVG11/):
// one cell per (query, key) coloured by a colormap, query labels left, key labels above rotated -45
// degrees, a colour bar right, optional outlined cells (e.g. alignment links). Sizes follow the labels.
import { describeValue, invalidArgument } from '../errors/index.js';
import { checkDomain, checkHeatmap } from './check-arguments.js';
import { colorBarSvg, colorBarWidth } from './color-bar-svg.js';
import { colormap as colormapOf, rgbToHex, type ColormapName } from './colormaps.js';
import { escapeMarkup } from './escape-markup.js';
import { finiteRange, normalizeHeatmap } from './normalize-heatmap.js';
import { svgNumber } from './svg-number.js';

/** A cell to outline: row `query`, column `key` (for cross-attention: target word, source word). */
export interface MatrixCell {
  query: number;
  key: number;
}

export interface AttentionMatrixSvgOptions {
  /** One label per row (query). Labels longer than 24 characters are shortened with '…'. */
  queryLabels: readonly string[];
  /** One label per column (key). */
  keyLabels: readonly string[];
  /** Shown above the figure and used as its accessible name. */
  title?: string;
  /** Default 'viridis'. */
  colormap?: ColormapName;
  /** Fixed [low, high] for the colours and the colour bar. Default: the finite values' min and max. */
  domain?: readonly [low: number, high: number];
  /** Cells to outline. */
  highlights?: readonly MatrixCell[];
  /** Default '#e8112d'. */
  highlightColor?: string;
  /** Side of a cell in SVG units. Default 24. */
  cellSize?: number;
}

const fontSize = 12;
const characterWidth = 0.6 * fontSize; // a generous average advance for sans-serif text
const padding = 8;
const maxLabelLength = 24;

/**
 * Renders `weights` [queries, keys] as an SVG document string. NaN cells are grey; each cell has a
 * `<title>` tooltip "query → key: weight".
 *
 * @example
 * ```ts
 * const svg = attentionMatrixSvg(new Float32Array([0.9, 0.1, 0.2, 0.8]), {
 *   queryLabels: ['Hallo', 'Welt'],
 *   keyLabels: ['Hello', 'world'],
 *   highlights: [{ query: 0, key: 0 }, { query: 1, key: 1 }],
 * });
 * svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'); // true
 * svg.match(/class="cell"/g)?.length; // 4
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a label list is empty or not strings, `weights` is not a
 * Float32Array of queries x keys, the domain is not finite low < high, the cell size is not a positive
 * number, the colormap is unknown or a highlight is outside the matrix.
 */
export function attentionMatrixSvg(
  weights: Float32Array,
  options: AttentionMatrixSvgOptions,
): string {
  const fn = 'attentionMatrixSvg';
  const {
    queryLabels,
    keyLabels,
    title,
    colormap = 'viridis',
    highlights = [],
    highlightColor = '#e8112d',
    cellSize = 24,
  } = options;
  checkLabels(fn, 'options.queryLabels', queryLabels);
  checkLabels(fn, 'options.keyLabels', keyLabels);
  const rows = queryLabels.length;
  const cols = keyLabels.length;
  checkHeatmap(fn, weights, rows, cols);
  if (options.domain !== undefined) checkDomain(fn, 'options.domain', options.domain);
  if (!(Number.isFinite(cellSize) && cellSize > 0))
    throw invalidArgument(fn, 'options.cellSize', 'a positive number', describeValue(cellSize));
  for (const cell of highlights) {
    if (!(
      Number.isInteger(cell?.query) &&
      cell.query >= 0 &&
      cell.query < rows &&
      Number.isInteger(cell.key) &&
      cell.key >= 0 &&
      cell.key < cols
    )) {
      throw invalidArgument(
        fn,
        'options.highlights',
        `cells with integer query in [0, ${rows}) and key in [0, ${cols})`,
        JSON.stringify(cell) ?? 'undefined',
      );
    }
  }
  const colorOf = colormapOf(colormap);
  const domain = options.domain ?? finiteRange(weights);
  const t = normalizeHeatmap(fn, weights, rows, cols, options.domain ?? 'min-max'); // [queries, keys]
  const rowNames = queryLabels.map(shorten);
  const columnNames = keyLabels.map(shorten);

  // Layout: title, then rotated key labels, then the matrix with query labels left and the colour bar right.
  const diagonal = Math.SQRT1_2;
  const titleHeight = title === undefined ? 0 : 1.5 * 14;
  const columnLabelHeight =
    6 + Math.max(...columnNames.map((name) => name.length * characterWidth)) * diagonal + fontSize;
  const left = padding + Math.max(...rowNames.map((name) => name.length * characterWidth)) + 6;
  const top = padding + titleHeight + columnLabelHeight;
  const matrixWidth = cols * cellSize;
  const matrixHeight = rows * cellSize;
  const barX = left + matrixWidth + 16;
  const barHeight = Math.max(matrixHeight, 100);
  const labelOverhang =
    Math.max(
      ...columnNames.map(
        (name, key) => (key + 0.5) * cellSize + name.length * characterWidth * diagonal + fontSize,
      ),
    ) - matrixWidth;
  const width =
    Math.max(
      barX + colorBarWidth(domain, fontSize),
      left + matrixWidth + labelOverhang,
      padding + (title?.length ?? 0) * 0.6 * 14,
    ) + padding;
  const height = top + barHeight + fontSize / 2 + padding;

  const label = escapeMarkup(title ?? 'attention matrix');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${svgNumber(width)}" height="${svgNumber(height)}" viewBox="0 0 ${svgNumber(width)} ${svgNumber(height)}" font-family="sans-serif" font-size="${fontSize}" role="img" aria-label="${label}">`,
    `<title>${label}</title>`,
  ];
  if (title !== undefined)
    parts.push(
      `<text class="title" x="${padding}" y="${svgNumber(padding + 14)}" font-size="14" font-weight="bold">${label}</text>`,
    );

  parts.push('<g class="cells">');
  for (let query = 0; query < rows; query++) {
    for (let key = 0; key < cols; key++) {
      const weight = weights[query * cols + key] as number;
      const fill = rgbToHex(colorOf(t[query * cols + key] as number));
      const tooltip = escapeMarkup(
        `${queryLabels[query]} → ${keyLabels[key]}: ${Number.isFinite(weight) ? Number(weight.toPrecision(3)) : weight}`,
      );
      parts.push(
        `<rect class="cell" x="${svgNumber(left + key * cellSize)}" y="${svgNumber(top + query * cellSize)}" width="${svgNumber(cellSize)}" height="${svgNumber(cellSize)}" fill="${fill}"><title>${tooltip}</title></rect>`,
      );
    }
  }
  parts.push('</g><g class="query-labels" text-anchor="end" dominant-baseline="middle">');
  rowNames.forEach((name, query) => {
    parts.push(
      `<text x="${svgNumber(left - 6)}" y="${svgNumber(top + (query + 0.5) * cellSize)}">${escapeMarkup(name)}</text>`,
    );
  });
  parts.push('</g><g class="key-labels" dominant-baseline="middle">');
  columnNames.forEach((name, key) => {
    const x = svgNumber(left + (key + 0.5) * cellSize);
    const y = svgNumber(top - 6);
    parts.push(
      `<text x="${x}" y="${y}" transform="rotate(-45 ${x} ${y})">${escapeMarkup(name)}</text>`,
    );
  });
  parts.push(
    `</g><g class="highlights" fill="none" stroke="${escapeMarkup(highlightColor)}" stroke-width="2">`,
  );
  const inset = Math.min(1, cellSize / 4); // keeps the 2-unit stroke inside its cell
  for (const { query, key } of highlights) {
    parts.push(
      `<rect class="highlight" x="${svgNumber(left + key * cellSize + inset)}" y="${svgNumber(top + query * cellSize + inset)}" width="${svgNumber(cellSize - 2 * inset)}" height="${svgNumber(cellSize - 2 * inset)}"/>`,
    );
  }
  parts.push(
    '</g>',
    colorBarSvg({ x: barX, y: top, height: barHeight, domain, colormap, fontSize }),
    '</svg>',
  );
  return parts.join('');
}

function checkLabels(fn: string, argument: string, labels: readonly string[]): void {
  if (
    !Array.isArray(labels) ||
    labels.length === 0 ||
    labels.some((label) => typeof label !== 'string')
  ) {
    throw invalidArgument(fn, argument, 'a non-empty array of strings', describeValue(labels));
  }
}

function shorten(label: string): string {
  return label.length > maxLabelLength ? `${label.slice(0, maxLabelLength - 1)}…` : label;
}
