// Mean average precision of box detections as the COCO evaluation computes it (pycocotools' COCOeval, bbox, area
// 'all', https://cocodataset.org/#detection-eval): per image and category, detections in descending score (at most
// maxDetections) each take the unmatched ground-truth box they overlap most with IoU >= t; per category, the
// precision / recall curve over all images, made monotone, is read at the 101 recall points 0, 0.01, …, 1 (the
// first point reaching each recall; 0 beyond the curve) and averaged. mAP averages over the categories that have
// ground truth (and, for mAP@[.5:.95], over the ten IoU thresholds). Crowd boxes and area ranges are not handled.
import { boxIou, type Box } from '@attn/vision';

/** What the evaluation sees of one image. */
export interface EvaluatedImage {
  groundTruth: readonly { box: Box; category: string }[];
  detections: readonly { box: Box; category: string; score: number }[];
}

export interface MeanAveragePrecisionOptions {
  /** Default {@link cocoIouThresholds}: 0.5, 0.55, …, 0.95. */
  iouThresholds?: readonly number[];
  /** Highest-scoring detections kept per image and category. Default 100, as COCO. */
  maxDetections?: number;
}

/** The result: AP per threshold and category, and their means. */
export interface MeanAveragePrecision {
  iouThresholds: number[];
  /** Categories with ground truth, sorted. */
  categories: string[];
  /** ap[t][c]: average precision at iouThresholds[t] for categories[c]. */
  ap: number[][];
  /** Mean over categories at each threshold: mAP@0.5 is perThreshold[0] with the default thresholds. */
  perThreshold: number[];
  /** Mean over thresholds and categories: mAP@[.5:.95] with the default thresholds. */
  mean: number;
}

/** np.linspace(.5, .95, 10) as COCOeval builds it: start + i × step, the last set to the stop exactly. */
export const cocoIouThresholds: readonly number[] = Array.from({ length: 10 }, (_, i) =>
  i === 9 ? 0.95 : 0.5 + i * ((0.95 - 0.5) / 9),
);

/** np.linspace(0, 1, 101): the recall points. */
const recallPoints = Array.from({ length: 101 }, (_, i) => (i === 100 ? 1 : i * 0.01));

/**
 * COCO-style average precision of `images`.
 *
 * @example
 * ```ts
 * // One image, two 'square' boxes; detections: a hit (0.9), a miss (0.8), the other hit (0.7).
 * // Precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1; made monotone: 1, 2/3, 2/3. Recall points 0..0.5 read 1,
 * // 0.51..1 read 2/3: AP = (51 × 1 + 50 × 2/3) / 101 = 0.83498…
 * meanAveragePrecision([{ groundTruth: [a, b], detections: [hitA, miss, hitB] }], { iouThresholds: [0.5] }).mean;
 * // 0.834983498349835
 * ```
 * @throws {Error} when an IoU threshold is outside [0, 1] or maxDetections is not a positive integer.
 */
export function meanAveragePrecision(
  images: readonly EvaluatedImage[],
  options: MeanAveragePrecisionOptions = {},
): MeanAveragePrecision {
  const { iouThresholds = cocoIouThresholds, maxDetections = 100 } = options;
  if (iouThresholds.length === 0 || !iouThresholds.every((t) => t >= 0 && t <= 1))
    throw new Error('meanAveragePrecision(): iouThresholds must be numbers in [0, 1]');
  if (!Number.isInteger(maxDetections) || maxDetections < 1)
    throw new Error('meanAveragePrecision(): maxDetections must be a positive integer');
  const categories = [
    ...new Set(images.flatMap(({ groundTruth }) => groundTruth.map(({ category }) => category))),
  ].sort();
  const ap = iouThresholds.map((threshold) =>
    categories.map((category) => {
      const scored: { score: number; hit: boolean }[] = [];
      let positives = 0;
      for (const image of images) {
        const truth = image.groundTruth.filter((object) => object.category === category);
        positives += truth.length;
        scored.push(...matchImage(truth, image.detections, category, threshold, maxDetections));
      }
      return averagePrecision(scored, positives);
    }),
  );
  const mean = (values: readonly number[]): number =>
    values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
  const perThreshold = ap.map(mean);
  return {
    iouThresholds: [...iouThresholds],
    categories,
    ap,
    perThreshold,
    mean: mean(perThreshold),
  };
}

/** One image and category at one threshold: each kept detection, best first, and whether it found a box. */
function matchImage(
  truth: readonly { box: Box }[],
  detections: EvaluatedImage['detections'],
  category: string,
  threshold: number,
  maxDetections: number,
): { score: number; hit: boolean }[] {
  const ranked = detections
    .filter((detection) => detection.category === category)
    .map((detection, order) => ({ detection, order }))
    .sort((a, b) => b.detection.score - a.detection.score || a.order - b.order) // mergesort: stable
    .slice(0, maxDetections);
  const taken = new Array<boolean>(truth.length).fill(false);
  return ranked.map(({ detection }) => {
    let best = -1;
    let bestIou = Math.min(threshold, 1 - 1e-10);
    truth.forEach(({ box }, g) => {
      if (taken[g]) return;
      const iou = boxIou(detection.box, box);
      if (iou < bestIou) return;
      bestIou = iou; // a later box as good as the best so far wins, as in COCOeval
      best = g;
    });
    if (best >= 0) taken[best] = true;
    return { score: detection.score, hit: best >= 0 };
  });
}

/** The 101-point interpolated AP of detections pooled over images (kept in image order for equal scores). */
function averagePrecision(scored: { score: number; hit: boolean }[], positives: number): number {
  if (positives === 0) return 0;
  const ranked = scored
    .map((entry, order) => ({ ...entry, order }))
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const recall: number[] = [];
  const precision: number[] = [];
  let hits = 0;
  ranked.forEach(({ hit }, index) => {
    if (hit) hits++;
    recall.push(hits / positives);
    precision.push(hits / (index + 1 + Number.EPSILON)); // tp / (tp + fp + np.spacing(1))
  });
  for (let i = precision.length - 1; i > 0; i--)
    if ((precision[i] as number) > (precision[i - 1] as number))
      precision[i - 1] = precision[i] as number;
  let sum = 0;
  let index = 0;
  for (const point of recallPoints) {
    while (index < recall.length && (recall[index] as number) < point) index++; // searchsorted, side 'left'
    if (index === recall.length) break;
    sum += precision[index] as number;
  }
  return sum / recallPoints.length;
}
