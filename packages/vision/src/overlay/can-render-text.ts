// Whether SVG text shows up here: librsvg draws text with the system's fonts (through fontconfig), and a
// machine without any font draws nothing, silently. Labels and captions are then simply absent.
import sharp from 'sharp';
import { svgFontFamily } from './composite-svg.js';

let probe: Promise<boolean> | undefined;

/**
 * True when sharp can draw text on this machine, i.e. a label or caption in an overlay will be visible.
 * Checked once (a 40 x 20 render of "Hg") and remembered. Overlays still draw boxes and maps without it.
 *
 * @example
 * ```ts
 * await canRenderText(); // true where any font is installed, e.g. with fonts-dejavu-core
 * ```
 */
export function canRenderText(): Promise<boolean> {
  probe ??= sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#fff"/>` +
        `<text x="2" y="16" font-family="${svgFontFamily}" font-size="16" fill="#000">Hg</text></svg>`,
    ),
  )
    .removeAlpha()
    .raw()
    .toBuffer()
    .then((pixels) => pixels.some((value) => value < 128))
    .catch(() => false);
  return probe;
}
