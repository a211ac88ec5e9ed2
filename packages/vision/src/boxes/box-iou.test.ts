import { randomInt, seededRandom } from '@attn/core-attention/testing';
import { describe, expect, it } from 'vitest';
import { boxIou } from './box-iou.js';

describe('boxIou', () => {
  it('computes hand-worked overlaps', () => {
    // Two 2 x 2 squares sharing a 1 x 2 strip: 2 / (4 + 4 - 2) = 1/3.
    expect(boxIou({ x0: 0, y0: 0, x1: 2, y1: 2 }, { x0: 1, y0: 0, x1: 3, y1: 2 })).toBeCloseTo(
      1 / 3,
      15,
    );
    // A 1 x 1 box inside a 4 x 4 box: 1 / 16.
    expect(boxIou({ x0: 0, y0: 0, x1: 4, y1: 4 }, { x0: 1, y0: 1, x1: 2, y1: 2 })).toBe(1 / 16);
    // Corner overlap: [1,3] x [1,3] with [2,5] x [2,4]: intersection 1 x 1 = 1, union 4 + 6 - 1 = 9.
    expect(boxIou({ x0: 1, y0: 1, x1: 3, y1: 3 }, { x0: 2, y0: 2, x1: 5, y1: 4 })).toBe(1 / 9);
    expect(boxIou({ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 2, y0: 2, x1: 3, y1: 3 })).toBe(0);
    // Touching edges share no area.
    expect(boxIou({ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 1, y0: 0, x1: 2, y1: 1 })).toBe(0);
    expect(boxIou({ x0: 2, y0: 3, x1: 7, y1: 5 }, { x0: 2, y0: 3, x1: 7, y1: 5 })).toBe(1);
  });

  it('gives 0, not NaN, for empty boxes', () => {
    const point = { x0: 1, y0: 1, x1: 1, y1: 1 };
    expect(boxIou(point, point)).toBe(0);
    expect(boxIou({ x0: 3, y0: 3, x1: 1, y1: 1 }, { x0: 0, y0: 0, x1: 4, y1: 4 })).toBe(0);
  });

  it('is symmetric, within [0, 1], and matches a pixel count on integer boxes', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 200; trial++) {
      const box = () => {
        const x0 = randomInt(random, 0, 10);
        const y0 = randomInt(random, 0, 10);
        return { x0, y0, x1: x0 + randomInt(random, 1, 8), y1: y0 + randomInt(random, 1, 8) };
      };
      const a = box();
      const b = box();
      let both = 0;
      let either = 0;
      for (let y = 0; y < 20; y++)
        for (let x = 0; x < 20; x++) {
          const inA = x >= a.x0 && x < a.x1 && y >= a.y0 && y < a.y1;
          const inB = x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;
          if (inA && inB) both++;
          if (inA || inB) either++;
        }
      expect(boxIou(a, b)).toBeCloseTo(both / either, 12);
      expect(boxIou(b, a)).toBe(boxIou(a, b));
    }
  });

  it('refuses boxes with missing or non-finite coordinates', () => {
    expect(() => boxIou({ x0: 0, y0: 0, x1: 1 } as never, { x0: 0, y0: 0, x1: 1, y1: 1 })).toThrow(
      'boxIou(): a must be a box {x0, y0, x1, y1} of finite numbers, got {"x0":0,"y0":0,"x1":1}.',
    );
    expect(() =>
      boxIou({ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 0, y0: 0, x1: Infinity, y1: 1 }),
    ).toThrow('boxIou(): b must be');
  });
});
