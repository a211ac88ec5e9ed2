// Axis-aligned boxes in pixel coordinates, the corner form (x0, y0, x1, y1) used by COCO evaluation,
// torchvision and transformers' post-processing.

/** A box in pixels: (x0, y0) is the top-left corner, (x1, y1) the bottom-right; x grows rightwards, y downwards. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}
