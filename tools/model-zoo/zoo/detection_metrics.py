"""Mean average precision of box detections as the COCO evaluation computes it (pycocotools' COCOeval, bbox, area
'all', https://cocodataset.org/#detection-eval), step for step as tools/eval/src/mean-average-precision.ts does, so
that the model card's numbers and the TypeScript re-measurement agree.

Per image and category, detections in descending score (at most max_detections) each take the unmatched ground-truth
box they overlap most with IoU ≥ t; per category, the precision / recall curve over all images, made monotone, is
read at the 101 recall points 0, 0.01, …, 1 and averaged. mAP averages over the categories that have ground truth
(and, for mAP@[.5:.95], over the ten IoU thresholds). Boxes are (x0, y0, x1, y1) in continuous pixel coordinates.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# np.linspace(.5, .95, 10) as COCOeval builds it: start + i × step, the last set to the stop exactly.
COCO_IOU_THRESHOLDS: list[float] = [0.95 if i == 9 else 0.5 + i * ((0.95 - 0.5) / 9) for i in range(10)]
# np.linspace(0, 1, 101): the recall points.
RECALL_POINTS: list[float] = [1.0 if i == 100 else i * 0.01 for i in range(101)]
EPSILON = sys.float_info.epsilon  # np.spacing(1), COCOeval's guard in tp / (tp + fp + eps)


@dataclass
class EvaluatedImage:
    """What the evaluation sees of one image: ground truth (box, category) and detections (box, category, score)."""

    ground_truth: list[tuple[Box, str]]
    detections: list[tuple[Box, str, float]]


@dataclass
class MeanAveragePrecision:
    iou_thresholds: list[float]
    categories: list[str]  # categories with ground truth, sorted
    ap: list[list[float]]  # ap[t][c]: average precision at iou_thresholds[t] for categories[c]
    per_threshold: list[float]  # mean over categories: mAP@0.5 is per_threshold[0] with the COCO thresholds
    mean: float  # mean over thresholds and categories: mAP@[.5:.95] with the COCO thresholds

    def per_category(self) -> dict[str, tuple[float, float]]:
        """{category: (AP at the first threshold, AP averaged over the thresholds)}."""
        return {
            category: (self.ap[0][c], _mean([row[c] for row in self.ap]))
            for c, category in enumerate(self.categories)
        }


def box_iou(a: Box, b: Box) -> float:
    """area(A ∩ B) / area(A ∪ B), no +1 on widths (0 when the union is empty)."""
    overlap_width = max(min(a[2], b[2]) - max(a[0], b[0]), 0.0)
    overlap_height = max(min(a[3], b[3]) - max(a[1], b[1]), 0.0)
    intersection = overlap_width * overlap_height
    union = _area(a) + _area(b) - intersection
    return intersection / union if union > 0 else 0.0


def mean_average_precision(images: list[EvaluatedImage], iou_thresholds: list[float] | None = None,
                           max_detections: int = 100) -> MeanAveragePrecision:
    """COCO-style average precision of `images` (see the module docstring)."""
    thresholds = list(COCO_IOU_THRESHOLDS if iou_thresholds is None else iou_thresholds)
    if not thresholds or not all(0 <= threshold <= 1 for threshold in thresholds):
        raise ValueError(f"mean_average_precision(): iou_thresholds must be numbers in [0, 1], got {thresholds}")
    if max_detections < 1:
        raise ValueError(f"mean_average_precision(): max_detections must be a positive integer, got {max_detections}")
    categories = sorted({category for image in images for _, category in image.ground_truth})
    ap = []
    for threshold in thresholds:
        row = []
        for category in categories:
            scored: list[tuple[float, bool]] = []
            positives = 0
            for image in images:
                truth = [box for box, truth_category in image.ground_truth if truth_category == category]
                positives += len(truth)
                scored += _match_image(truth, image.detections, category, threshold, max_detections)
            row.append(_average_precision(scored, positives))
        ap.append(row)
    per_threshold = [_mean(row) for row in ap]
    return MeanAveragePrecision(thresholds, categories, ap, per_threshold, _mean(per_threshold))


def _match_image(truth: list[Box], detections: list[tuple[Box, str, float]], category: str, threshold: float,
                 max_detections: int) -> list[tuple[float, bool]]:
    """One image and category at one threshold: (score, found a box) for each kept detection, best first."""
    ranked = sorted((detection for detection in detections if detection[1] == category),
                    key=lambda detection: -detection[2])[:max_detections]  # stable, as COCOeval's mergesort
    taken = [False] * len(truth)
    results = []
    for box, _, score in ranked:
        best, best_iou = -1, min(threshold, 1 - 1e-10)
        for index, truth_box in enumerate(truth):
            if taken[index]:
                continue
            iou = box_iou(box, truth_box)
            if iou < best_iou:
                continue
            best, best_iou = index, iou  # a later box as good as the best so far wins, as in COCOeval
        if best >= 0:
            taken[best] = True
        results.append((score, best >= 0))
    return results


def _average_precision(scored: list[tuple[float, bool]], positives: int) -> float:
    """The 101-point interpolated AP of detections pooled over images (image order kept for equal scores)."""
    if positives == 0:
        return 0.0
    ranked = sorted(scored, key=lambda entry: -entry[0])
    recall, precision = [], []
    hits = 0
    for index, (_, hit) in enumerate(ranked):
        hits += hit
        recall.append(hits / positives)
        precision.append(hits / (index + 1 + EPSILON))
    for index in range(len(precision) - 1, 0, -1):  # monotone: the best precision at any higher recall
        precision[index - 1] = max(precision[index - 1], precision[index])
    total, index = 0.0, 0
    for point in RECALL_POINTS:
        while index < len(recall) and recall[index] < point:  # searchsorted, side 'left'
            index += 1
        if index == len(recall):
            break
        total += precision[index]
    return total / len(RECALL_POINTS)


def _area(box: Box) -> float:
    return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
