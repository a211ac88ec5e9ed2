// Intersection over union of two boxes, the overlap measure of detection evaluation (PASCAL VOC, COCO):
// area(A ∩ B) / area(A ∪ B), in continuous pixel coordinates (no +1 on widths).
import { describeValue, invalidArgument } from '@attn/core-attention';
import type { Box } from './box.js';

/**
 * The intersection over union of two boxes, in [0, 1]. A box with x1 <= x0 or y1 <= y0 has no area;
 * when the union has no area either, the IoU is 0.
 *
 * @example
 * ```ts
 * // Intersection [1,2] x [0,2] = 2; union 4 + 4 - 2 = 6.
 * boxIou({ x0: 0, y0: 0, x1: 2, y1: 2 }, { x0: 1, y0: 0, x1: 3, y1: 2 }); // 0.3333333333333333
 * boxIou({ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 2, y0: 2, x1: 3, y1: 3 }); // 0
 * ```
 * @throws {AttnError} INVALID_ARGUMENT when a coordinate is not a finite number.
 */
export function boxIou(a: Box, b: Box): number {
  for (const [argument, box] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (![box?.x0, box?.y0, box?.x1, box?.y1].every(Number.isFinite)) {
      throw invalidArgument(
        'boxIou',
        argument,
        'a box {x0, y0, x1, y1} of finite numbers',
        box === null || typeof box !== 'object' ? describeValue(box) : JSON.stringify(box),
      );
    }
  }
  const overlapWidth = Math.max(Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), 0);
  const overlapHeight = Math.max(Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0), 0);
  const intersection = overlapWidth * overlapHeight;
  const union = area(a) + area(b) - intersection;
  return union > 0 ? intersection / union : 0;
}

function area(box: Box): number {
  return Math.max(box.x1 - box.x0, 0) * Math.max(box.y1 - box.y0, 0);
}
