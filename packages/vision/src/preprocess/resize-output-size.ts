// The size an image is resized to, by the rules of Hugging Face image processors (transformers'
// image_processing_detr.get_size_with_aspect_ratio and get_image_size_for_max_height_width).
import { describeValue, invalidArgument } from '@attn/core-attention';

/** A size in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * Where `size` in preprocessor_config.json sends an image: an exact size (aspect ratio not kept), a
 * shortest edge with an optional cap on the longest edge, or the largest size that fits a box.
 */
export type ResizeTarget =
  | { readonly height: number; readonly width: number }
  | { readonly shortestEdge: number; readonly longestEdge?: number }
  | { readonly maxHeight: number; readonly maxWidth: number };

/**
 * The size an image of `size` is resized to. For a shortest edge, the shorter side becomes
 * `shortestEdge` and the other keeps the aspect ratio (truncated); when that makes the longer side exceed
 * `longestEdge`, the shorter side becomes round(longestEdge x short / long) instead (Python's round, half
 * to even), which is DETR's rule. For a box, the scale is min(maxHeight / h, maxWidth / w), truncated.
 * A side never drops below 1 pixel.
 *
 * @example
 * ```ts
 * resizeOutputSize({ width: 640, height: 480 }, { shortestEdge: 800, longestEdge: 1333 }); // { width: 1066, height: 800 }
 * resizeOutputSize({ width: 1000, height: 200 }, { shortestEdge: 800, longestEdge: 1333 }); // { width: 1333, height: 267 }
 * resizeOutputSize({ width: 200, height: 100 }, { maxHeight: 50, maxWidth: 50 }); // { width: 50, height: 25 }
 * resizeOutputSize({ width: 640, height: 480 }, { height: 224, width: 224 }); // { width: 224, height: 224 }
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a size or target value is not a positive integer.
 */
export function resizeOutputSize(size: Size, target: ResizeTarget): Size {
  const fn = 'resizeOutputSize';
  checkSide(fn, 'size.width', size.width);
  checkSide(fn, 'size.height', size.height);
  const { width, height } = size;
  if ('shortestEdge' in target) {
    checkSide(fn, 'target.shortestEdge', target.shortestEdge);
    if (target.longestEdge !== undefined) checkSide(fn, 'target.longestEdge', target.longestEdge);
    return shortestEdgeSize(width, height, target.shortestEdge, target.longestEdge);
  }
  if ('maxHeight' in target) {
    checkSide(fn, 'target.maxHeight', target.maxHeight);
    checkSide(fn, 'target.maxWidth', target.maxWidth);
    const scale = Math.min(target.maxHeight / height, target.maxWidth / width);
    return atLeastOne(Math.trunc(width * scale), Math.trunc(height * scale));
  }
  checkSide(fn, 'target.height', target.height);
  checkSide(fn, 'target.width', target.width);
  return { width: target.width, height: target.height };
}

/** DETR's get_size_with_aspect_ratio, operation for operation (the order decides truncations). */
function shortestEdgeSize(
  width: number,
  height: number,
  shortestEdge: number,
  longestEdge: number | undefined,
): Size {
  let edge = shortestEdge;
  let rawEdge: number | undefined;
  if (longestEdge !== undefined) {
    const short = Math.min(height, width);
    const long = Math.max(height, width);
    if ((long / short) * edge > longestEdge) {
      rawEdge = (longestEdge * short) / long;
      edge = roundHalfToEven(rawEdge);
    }
  }
  if ((height <= width && height === edge) || (width <= height && width === edge))
    return { width, height };
  const exact = rawEdge ?? edge;
  return width < height
    ? atLeastOne(edge, Math.trunc((exact * height) / width))
    : atLeastOne(Math.trunc((exact * width) / height), edge);
}

function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function atLeastOne(width: number, height: number): Size {
  return { width: Math.max(width, 1), height: Math.max(height, 1) };
}

function checkSide(fn: string, argument: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw invalidArgument(fn, argument, 'a positive integer', describeValue(value));
}
