import { describe, expect, it } from 'vitest';
import { cocoIouThresholds, meanAveragePrecision } from './mean-average-precision.js';

const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });
const truth = (category: string, b: ReturnType<typeof box>) => ({ category, box: b });
const found = (category: string, b: ReturnType<typeof box>, score: number) => ({
  category,
  box: b,
  score,
});

describe('meanAveragePrecision', () => {
  it('uses the thresholds of COCOeval', () => {
    expect(cocoIouThresholds).toHaveLength(10);
    expect(cocoIouThresholds[0]).toBe(0.5);
    expect(cocoIouThresholds[9]).toBe(0.95);
    cocoIouThresholds.forEach((t, i) => expect(t).toBeCloseTo(0.5 + 0.05 * i, 12));
  });

  it('reads the monotone precision at 101 recall points (hand-worked)', () => {
    // Two squares; detections by score: hit A, miss, hit B. Precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1;
    // made monotone from the right: 1, 2/3, 2/3. Recall points 0, .01, …, .5 (51 of them) first reach recall
    // at index 0 (precision 1); .51 … 1 (50) at index 2 (2/3). AP = (51 + 50 × 2/3) / 101 = 84.333… / 101.
    const a = box(0, 0, 10, 10);
    const b = box(20, 20, 30, 30);
    const result = meanAveragePrecision(
      [
        {
          groundTruth: [truth('square', a), truth('square', b)],
          detections: [
            found('square', a, 0.9),
            found('square', box(50, 50, 60, 60), 0.8),
            found('square', b, 0.7),
          ],
        },
      ],
      { iouThresholds: [0.5] },
    );
    expect(result.categories).toEqual(['square']);
    expect(result.mean).toBeCloseTo((51 + (50 * 2) / 3) / 101, 12);
    expect(result.mean).toBeCloseTo(0.834983498349835, 12);
  });

  it('counts a hit only at thresholds up to its IoU (mAP@[.5:.95])', () => {
    // IoU of [0,10]x[0,10] with [0,10]x[0,6.2] is 62 / 100 = 0.62: a hit at 0.5, 0.55, 0.6, a miss above.
    const result = meanAveragePrecision([
      {
        groundTruth: [truth('disc', box(0, 0, 10, 10))],
        detections: [found('disc', box(0, 0, 10, 6.2), 0.5)],
      },
    ]);
    // (1 - 2e-16, not 1: precision is tp / (tp + fp + eps), as in COCOeval)
    result.perThreshold.forEach((ap, t) => expect(ap).toBeCloseTo(t < 3 ? 1 : 0, 12));
    expect(result.mean).toBeCloseTo(0.3, 12);
  });

  it('matches each detection to the unmatched box it overlaps most, not the first one over the threshold', () => {
    // G1 = [0,10], G2 = [4,14] (height 10 both). D1 = [3,13] overlaps G1 by 7 / 13 = 0.54 and G2 by 9 / 11 = 0.82:
    // it takes G2. D2 = G1 exactly (IoU with G2: 6 / 14 = 0.43) then takes G1. Both hit: AP 1. Taking the
    // first box over 0.5 would give D1 -> G1 and leave D2 a miss (AP = (51 + 50 × 1/2) / 101).
    const result = meanAveragePrecision(
      [
        {
          groundTruth: [truth('bar', box(0, 0, 10, 10)), truth('bar', box(4, 0, 14, 10))],
          detections: [found('bar', box(3, 0, 13, 10), 0.9), found('bar', box(0, 0, 10, 10), 0.8)],
        },
      ],
      { iouThresholds: [0.5] },
    );
    expect(result.mean).toBeCloseTo(1, 12);
  });

  it('pools detections of all images by score and averages over the categories with ground truth', () => {
    const square = box(0, 0, 10, 10);
    const result = meanAveragePrecision(
      [
        // image 1: a found square, and a false 'square' with a higher score than image 2's hit
        {
          groundTruth: [truth('square', square)],
          detections: [found('square', square, 0.6), found('square', box(40, 40, 50, 50), 0.95)],
        },
        // image 2: a square found, a circle missed, and a 'star' nobody annotated (ignored: no ground truth)
        {
          groundTruth: [truth('square', square), truth('circle', box(20, 20, 30, 30))],
          detections: [found('square', square, 0.7), found('star', square, 0.99)],
        },
      ],
      { iouThresholds: [0.5] },
    );
    // square: pooled by score: miss (0.95), hit (0.7), hit (0.6): precision 0, 1/2, 2/3 -> monotone 2/3, 2/3, 2/3;
    // recall 0, 1/2, 1: every recall point reads 2/3. circle: no detection, AP 0.
    expect(result.categories).toEqual(['circle', 'square']);
    expect(result.ap[0]![0]).toBe(0);
    expect(result.ap[0]![1]).toBeCloseTo(2 / 3, 12);
    expect(result.mean).toBeCloseTo(1 / 3, 12);
  });

  it('keeps only the best maxDetections per image and category', () => {
    const square = box(0, 0, 10, 10);
    const images = [
      {
        groundTruth: [truth('square', square), truth('square', box(20, 0, 30, 10))],
        detections: [found('square', square, 0.9), found('square', box(20, 0, 30, 10), 0.8)],
      },
    ];
    expect(meanAveragePrecision(images, { iouThresholds: [0.5] }).mean).toBeCloseTo(1, 12);
    // one detection: recall reaches 1/2 only; points 0 … .5 read 1, the other 50 read 0
    expect(
      meanAveragePrecision(images, { iouThresholds: [0.5], maxDetections: 1 }).mean,
    ).toBeCloseTo(51 / 101, 12);
  });

  it('gives 1 for perfect detections and 0 for none, at every threshold', () => {
    const boxes = [box(0, 0, 10, 10), box(5, 5, 25, 15), box(30, 2, 34, 40)];
    const groundTruth = boxes.map((b, i) => truth(i === 2 ? 'bar' : 'square', b));
    const perfect = meanAveragePrecision([
      {
        groundTruth,
        detections: groundTruth.map(({ category, box: b }) => found(category, b, 0.5)),
      },
    ]);
    perfect.perThreshold.forEach((ap) => expect(ap).toBeCloseTo(1, 12));
    expect(meanAveragePrecision([{ groundTruth, detections: [] }]).mean).toBe(0);
  });
});
