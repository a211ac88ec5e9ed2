import { describe, expect, it } from 'vitest';
import { resizeOutputSize } from './resize-output-size.js';

describe('resizeOutputSize', () => {
  const detr = { shortestEdge: 800, longestEdge: 1333 };

  it('follows DETR: shortest edge to 800 unless the longest would pass 1333', () => {
    // 640 x 480: 640 / 480 x 800 = 1066.7 <= 1333, so height 800 and width int(800 x 640 / 480) = 1066.
    expect(resizeOutputSize({ width: 640, height: 480 }, detr)).toEqual({
      width: 1066,
      height: 800,
    });
    expect(resizeOutputSize({ width: 480, height: 640 }, detr)).toEqual({
      width: 800,
      height: 1066,
    });
    // 1000 x 200: 5 x 800 > 1333, so the short side becomes round(1333 x 200 / 1000) = round(266.6) = 267
    // and the long side int(266.6 x 1000 / 200) = 1333.
    expect(resizeOutputSize({ width: 1000, height: 200 }, detr)).toEqual({
      width: 1333,
      height: 267,
    });
    // Already at the target: unchanged.
    expect(resizeOutputSize({ width: 1000, height: 800 }, detr)).toEqual({
      width: 1000,
      height: 800,
    });
  });

  it("rounds the capped edge half to even, as Python's round does", () => {
    // 2 x 1, shortest 3, longest 5: 2 x 3 > 5, so the short side is round(5 x 1 / 2) = round(2.5) = 2
    // (Math.round would give 3) and the long side int(2.5 x 2 / 1) = 5.
    expect(resizeOutputSize({ width: 2, height: 1 }, { shortestEdge: 3, longestEdge: 5 })).toEqual({
      width: 5,
      height: 2,
    });
  });

  it('keeps the aspect ratio for a shortest edge alone and never returns a zero side', () => {
    expect(resizeOutputSize({ width: 300, height: 200 }, { shortestEdge: 100 })).toEqual({
      width: 150,
      height: 100,
    });
    // 1 x 10000 capped at 20: the short side would round to 0; it stays 1.
    expect(
      resizeOutputSize({ width: 1, height: 10_000 }, { shortestEdge: 10, longestEdge: 20 }),
    ).toEqual({ width: 1, height: 20 });
  });

  it('fits a max-height / max-width box, up or down, and passes exact sizes through', () => {
    // transformers' own examples: (h 100, w 200) in 50 x 50 -> (25, 50); in 200 x 500 -> (200, 400).
    expect(resizeOutputSize({ width: 200, height: 100 }, { maxHeight: 50, maxWidth: 50 })).toEqual({
      width: 50,
      height: 25,
    });
    expect(
      resizeOutputSize({ width: 200, height: 100 }, { maxHeight: 200, maxWidth: 500 }),
    ).toEqual({ width: 400, height: 200 });
    expect(resizeOutputSize({ width: 640, height: 480 }, { height: 224, width: 224 })).toEqual({
      width: 224,
      height: 224,
    });
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => resizeOutputSize({ width: 0, height: 4 }, detr)).toThrow(
      'resizeOutputSize(): size.width must be a positive integer, got 0.',
    );
    expect(() => resizeOutputSize({ width: 4, height: 4 }, { shortestEdge: 2.5 })).toThrow(
      'target.shortestEdge must be a positive integer, got 2.5',
    );
    expect(() => resizeOutputSize({ width: 4, height: 4 }, { height: 4, width: -1 })).toThrow(
      'target.width must be a positive integer, got -1',
    );
  });
});
