// Rendering: colormaps, heatmap rasters, attention-matrix SVG and HTML fragments. Pure, no Node imports.
export {
  colormap,
  colormapLookupTable,
  colormapNames,
  nanColor,
  rgbToHex,
  type Colormap,
  type ColormapName,
  type Rgb,
} from './colormaps.js';
export { finiteRange, type Normalization } from './normalize-heatmap.js';
export { heatmapRaster, type HeatmapRasterOptions, type RgbaRaster } from './heatmap-raster.js';
export {
  attentionMatrixSvg,
  type AttentionMatrixSvgOptions,
  type MatrixCell,
} from './attention-matrix-svg.js';
export { escapeMarkup } from './escape-markup.js';
export { h, raw, type Html, type HtmlAttributes, type HtmlChild } from './html.js';
export { tokenHighlights, type TokenHighlightsOptions } from './token-highlights.js';
export { htmlTable } from './html-table.js';
