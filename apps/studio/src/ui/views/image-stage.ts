// An uploaded image with a canvas over it at the image's proportions, for boxes and attention heatmaps. The
// canvas is at most 800 pixels wide; callers draw in image pixels through `scale`.
import { heatmapRaster } from '@attn/core-attention';
import { element } from '../dom.js';

/** The image, its overlay, and how image pixels map onto the overlay. */
export interface ImageStage {
  root: HTMLElement;
  context: CanvasRenderingContext2D;
  /** Overlay pixels per image pixel. */
  scale: number;
  /** Clears the overlay. */
  clear(): void;
  /** Draws `values` [rows, cols] stretched over the whole image (magma, alpha following the value). */
  heatmap(values: ArrayLike<number>, rows: number, cols: number, opacity?: number): void;
}

const maxOverlayWidth = 800;

/**
 * A stage for the image at `url`, `width` x `height` pixels as the model saw it.
 *
 * @example
 * ```ts
 * const stage = imageStage(URL.createObjectURL(file), 640, 480, 'the uploaded image');
 * stage.heatmap(object.attention, grid.rows, grid.cols);
 * ```
 */
export function imageStage(url: string, width: number, height: number, alt: string): ImageStage {
  const scale = Math.min(1, maxOverlayWidth / width);
  const canvas = element('canvas', {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
    'aria-hidden': 'true',
  });
  const context = canvas.getContext('2d')!;
  const root = element('div', { class: 'stage' }, [
    element('img', { src: url, alt, width, height }),
    canvas,
  ]);
  return {
    root,
    context,
    scale,
    clear: () => context.clearRect(0, 0, canvas.width, canvas.height),
    heatmap(values, rows, cols, opacity = 0.75) {
      const raster = heatmapRaster(Float32Array.from(values), rows, cols, {
        width: canvas.width,
        height: canvas.height,
        colormap: 'magma',
        alphaFromValue: true,
        opacity,
      });
      // putImageData would replace what is drawn: paint through a second canvas to blend
      const layer = element('canvas', { width: raster.width, height: raster.height });
      layer
        .getContext('2d')!
        .putImageData(
          new ImageData(raster.data as Uint8ClampedArray<ArrayBuffer>, raster.width, raster.height),
          0,
          0,
        );
      context.drawImage(layer, 0, 0);
    },
  };
}
