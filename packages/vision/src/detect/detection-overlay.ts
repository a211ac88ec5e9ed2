// A detection drawn on its image: each object's cross-attention map blended over the pixels, then its box and
// "label score" tag on top — what DETR found and where it looked (Carion et al. 2020, figure 6).
import { describeValue, invalidArgument, type ColormapName } from '@attn/core-attention';
import { expectRgbImage, type RgbImage } from '../image/rgb-image.js';
import { drawBoxes } from '../overlay/draw-boxes.js';
import { overlayHeatmap } from '../overlay/overlay-heatmap.js';
import type { Detection } from './detect.js';

export interface DetectionOverlayOptions {
  /**
   * Show only this object (an index into detection.objects): its map and its box. Default: every object,
   * the maps each scaled to their own peak and combined by maximum, so each object's hot spot shows.
   */
  object?: number;
  /** Default 'magma'. */
  colormap?: ColormapName;
  /** Alpha of the hottest attention, in [0, 1]. Default 0.6. */
  opacity?: number;
  /** Box outline width in pixels (see drawBoxes). */
  lineWidth?: number;
  /** Tag text size in pixels (see drawBoxes). */
  fontSize?: number;
}

/**
 * `image` (the one `detection` came from) with the objects' attention blended over it and their boxes drawn, as a
 * new image; write it with writePng. Without attention (detect with `attention: false`) only the boxes are drawn.
 *
 * @example
 * ```ts
 * const image = await loadImage('scene.png');
 * const detection = await detect(image);
 * await writePng('scene-detections.png', await detectionOverlay(image, detection));
 * await writePng('scene-object-0.png', await detectionOverlay(image, detection, { object: 0 }));
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when `image` is not an RGB image of the detection's size, `object` is not an
 * index into its objects, or an option is out of range.
 */
export async function detectionOverlay(
  image: RgbImage,
  detection: Detection,
  options: DetectionOverlayOptions = {},
): Promise<RgbImage> {
  const fn = 'detectionOverlay';
  expectRgbImage(fn, 'image', image);
  if (image.width !== detection.width || image.height !== detection.height) {
    throw invalidArgument(
      fn,
      'image',
      `the ${detection.width} x ${detection.height} image the detection came from`,
      `${image.width} x ${image.height}`,
    );
  }
  const { object, colormap = 'magma', opacity = 0.6, ...boxOptions } = options;
  if (
    object !== undefined &&
    (!Number.isInteger(object) || object < 0 || object >= detection.objects.length)
  ) {
    throw invalidArgument(
      fn,
      'options.object',
      `an index into the ${detection.objects.length} detected objects`,
      describeValue(object),
    );
  }
  const shown = object === undefined ? detection.objects : [detection.objects[object]!];
  const { rows, cols } = detection.grid;
  const maps = shown.flatMap(({ attention }) => (attention === undefined ? [] : [attention]));
  let drawn = image;
  if (maps.length > 0) {
    const heat = new Float32Array(rows * cols);
    for (const map of maps) {
      let peak = 0;
      for (let cell = 0; cell < map.length; cell++) peak = Math.max(peak, map[cell] as number);
      if (peak === 0) continue;
      for (let cell = 0; cell < map.length; cell++)
        heat[cell] = Math.max(heat[cell] as number, (map[cell] as number) / peak);
    }
    drawn = overlayHeatmap(image, heat, rows, cols, { colormap, opacity, normalization: [0, 1] });
  }
  return drawBoxes(
    drawn,
    shown.map(({ box, label, score }) => ({ box, label, score })),
    boxOptions,
  );
}
