// Drawing vector marks (box outlines, label tags, captions) onto an RGB image: an SVG the size of the image,
// rasterised by sharp's bundled librsvg (1 SVG unit = 1 pixel) and alpha-composited over it.
import sharp from 'sharp';
import type { RgbImage } from '../image/rgb-image.js';

/**
 * `image` with `svg` (whose width and height must equal the image's) painted over it, as a new image.
 *
 * @example
 * ```ts
 * const gray = { width: 4, height: 4, channels: 3, data: new Uint8Array(48).fill(128) } as const;
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect x="2" y="0" width="2" height="4" fill="#ff0000"/></svg>';
 * const painted = await compositeSvg(gray, svg);
 * [...painted.data.subarray(0, 3)]; // [128, 128, 128]
 * [...painted.data.subarray(6, 9)]; // [255, 0, 0]
 * ```
 */
export async function compositeSvg(image: RgbImage, svg: string): Promise<RgbImage> {
  const { width, height } = image;
  const { data } = await sharp(image.data, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width,
    height,
    channels: 3,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/** The font list for SVG text: DejaVu Sans where installed (most Linux systems), any sans-serif otherwise. */
export const svgFontFamily = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";
