// Detections drawn on an image: each box outlined in its label's colour with a tag "label 0.93" above it
// (inside the box when there is no room above), as one SVG composited by sharp. Text needs a font:
// where none is installed (see canRenderText) the tags show as empty coloured bars.
import {
  describeValue,
  escapeMarkup,
  invalidArgument,
  rgbToHex,
  type Rgb,
} from '@attn/core-attention';
import type { Box } from '../boxes/box.js';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';
import { compositeSvg, svgFontFamily } from './composite-svg.js';
import { labelColor } from './label-color.js';

/** One box to draw, with what its tag says. */
export interface BoxAnnotation {
  /** In the image's pixels. */
  readonly box: Box;
  readonly label?: string;
  /** Shown with two decimals after the label. */
  readonly score?: number;
  /** Default: {@link labelColor} of the label (Tableau blue without one). */
  readonly color?: Rgb;
}

export interface DrawBoxesOptions {
  /** Outline width in pixels. Default max(2, min(width, height) / 200). */
  lineWidth?: number;
  /** Tag text size in pixels. Default max(10, min(width, height) / 40). */
  fontSize?: number;
}

/**
 * `image` with each annotation's box outlined and tagged, as a new image. Boxes may extend past the
 * image; what falls outside is cut off.
 *
 * @example
 * ```ts
 * const black = { width: 64, height: 48, channels: 3, data: new Uint8Array(64 * 48 * 3) } as const;
 * const drawn = await drawBoxes(black, [
 *   { box: { x0: 8, y0: 20, x1: 40, y1: 44 }, label: 'square', score: 0.93, color: [255, 0, 0] },
 * ], { lineWidth: 2 });
 * [...drawn.data.subarray((30 * 64 + 8) * 3, (30 * 64 + 8) * 3 + 3)]; // [255, 0, 0] (left edge, row 30)
 * [...drawn.data.subarray((30 * 64 + 20) * 3, (30 * 64 + 20) * 3 + 3)]; // [0, 0, 0] (inside the box)
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `image` is not an RGB image, an annotation's box is not four
 * finite numbers, or an option is not a positive number.
 */
export async function drawBoxes(
  image: RgbImage,
  annotations: readonly BoxAnnotation[],
  options: DrawBoxesOptions = {},
): Promise<RgbImage> {
  const fn = 'drawBoxes';
  expectRgbImage(fn, 'image', image);
  if (!Array.isArray(annotations))
    throw invalidArgument(
      fn,
      'annotations',
      'an array of {box, label?, score?}',
      describeValue(annotations),
    );
  const shortSide = Math.min(image.width, image.height);
  const { lineWidth = Math.max(2, shortSide / 200), fontSize = Math.max(10, shortSide / 40) } =
    options;
  for (const [argument, value] of [
    ['options.lineWidth', lineWidth],
    ['options.fontSize', fontSize],
  ] as const) {
    if (!(value > 0 && Number.isFinite(value)))
      throw invalidArgument(fn, argument, 'a positive number', describeValue(value));
  }
  const marks = annotations.map((annotation, index) => {
    const { x0, y0, x1, y1 } = annotation?.box ?? ({} as Partial<Box>);
    if (![x0, y0, x1, y1].every(Number.isFinite)) {
      throw invalidArgument(
        fn,
        `annotations[${index}].box`,
        '{x0, y0, x1, y1} of finite numbers',
        JSON.stringify(annotation?.box) ?? 'undefined',
      );
    }
    return boxMarkup(annotation, lineWidth, fontSize);
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">` +
    `${marks.join('')}</svg>`;
  return compositeSvg(image, svg);
}

function boxMarkup(annotation: BoxAnnotation, lineWidth: number, fontSize: number): string {
  const { box, label, score } = annotation;
  const colour = annotation.color ?? labelColor(label ?? '');
  const hex = rgbToHex(colour);
  const outline =
    `<rect x="${fixed(box.x0)}" y="${fixed(box.y0)}" width="${fixed(box.x1 - box.x0)}" ` +
    `height="${fixed(box.y1 - box.y0)}" fill="none" stroke="${hex}" stroke-width="${fixed(lineWidth)}"/>`;
  const text = [label, score === undefined ? undefined : score.toFixed(2)]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  if (text === '') return outline;

  // DejaVu Sans averages about 0.55 em per character; the tag is a little wider than the text.
  const tagWidth = text.length * fontSize * 0.56 + fontSize * 0.5;
  const tagHeight = fontSize * 1.3;
  const left = box.x0 - lineWidth / 2;
  const top =
    box.y0 - lineWidth / 2 >= tagHeight
      ? box.y0 - lineWidth / 2 - tagHeight
      : box.y0 + lineWidth / 2;
  // Dark text on light colours, white on dark (ITU-R BT.601 luma).
  const luma = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2];
  return (
    outline +
    `<rect x="${fixed(left)}" y="${fixed(top)}" width="${fixed(tagWidth)}" height="${fixed(tagHeight)}" fill="${hex}"/>` +
    `<text x="${fixed(left + fontSize * 0.25)}" y="${fixed(top + fontSize * 1.02)}" font-family="${svgFontFamily}" ` +
    `font-size="${fixed(fontSize)}" fill="${luma > 150 ? '#000000' : '#ffffff'}">${escapeMarkup(text)}</text>`
  );
}

function fixed(value: number): string {
  return value.toFixed(2);
}
