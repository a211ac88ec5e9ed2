"""zoo/detection_metrics.py against hand-worked COCO average-precision cases (101-point interpolation, greedy
best-IoU matching, max detections per image and category), the same cases tools/eval's TypeScript version meets."""
import unittest

from zoo.detection_metrics import COCO_IOU_THRESHOLDS, EvaluatedImage, box_iou, mean_average_precision


class BoxIouTest(unittest.TestCase):
    def test_overlap_disjoint_and_empty(self):
        # [0,10]² and [5,15]²: intersection 25, union 100 + 100 - 25 = 175
        self.assertAlmostEqual(box_iou((0, 0, 10, 10), (5, 5, 15, 15)), 25 / 175, places=12)
        self.assertEqual(box_iou((0, 0, 10, 10), (10, 0, 20, 10)), 0.0)
        self.assertEqual(box_iou((3, 3, 3, 3), (3, 3, 3, 3)), 0.0)


class MeanAveragePrecisionTest(unittest.TestCase):
    def test_thresholds_are_cocoeval_linspace(self):
        self.assertEqual(len(COCO_IOU_THRESHOLDS), 10)
        self.assertEqual(COCO_IOU_THRESHOLDS[0], 0.5)
        self.assertEqual(COCO_IOU_THRESHOLDS[9], 0.95)
        for index, threshold in enumerate(COCO_IOU_THRESHOLDS):
            self.assertAlmostEqual(threshold, 0.5 + 0.05 * index, places=12)

    def test_monotone_precision_at_101_recall_points(self):
        # Two squares; by score: hit A, miss, hit B. Precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1; made monotone
        # 1, 2/3, 2/3. Recall points 0 … .5 (51) read 1, .51 … 1 (50) read 2/3: AP = (51 + 50 · 2/3) / 101.
        a, b = (0, 0, 10, 10), (20, 20, 30, 30)
        image = EvaluatedImage([(a, "square"), (b, "square")],
                               [(a, "square", 0.9), ((50, 50, 60, 60), "square", 0.8), (b, "square", 0.7)])
        result = mean_average_precision([image], iou_thresholds=[0.5])
        self.assertEqual(result.categories, ["square"])
        self.assertAlmostEqual(result.mean, (51 + 50 * 2 / 3) / 101, places=12)
        self.assertAlmostEqual(result.mean, 0.834983498349835, places=12)

    def test_hit_only_up_to_its_iou(self):
        # IoU of [0,10]² with [0,10]×[0,6.2] is 62 / 100: a hit at 0.5, 0.55 and 0.6 only; mean 3/10.
        image = EvaluatedImage([((0, 0, 10, 10), "disc")], [((0, 0, 10, 6.2), "disc", 0.5)])
        result = mean_average_precision([image])
        for index, ap in enumerate(result.per_threshold):
            self.assertAlmostEqual(ap, 1.0 if index < 3 else 0.0, places=12)
        self.assertAlmostEqual(result.mean, 0.3, places=12)
        self.assertAlmostEqual(result.per_category()["disc"][1], 0.3, places=12)

    def test_detection_takes_best_overlapping_free_box(self):
        # G1 = [0,10], G2 = [4,14] wide. D1 = [3,13] overlaps G1 by 7/13, G2 by 9/11: takes G2; D2 = G1 then takes
        # G1: AP 1. Taking the first box over 0.5 would leave D2 a miss (AP (51 + 50/2) / 101).
        image = EvaluatedImage([((0, 0, 10, 10), "bar"), ((4, 0, 14, 10), "bar")],
                               [((3, 0, 13, 10), "bar", 0.9), ((0, 0, 10, 10), "bar", 0.8)])
        self.assertAlmostEqual(mean_average_precision([image], iou_thresholds=[0.5]).mean, 1.0, places=12)

    def test_pools_images_and_averages_categories_with_ground_truth(self):
        square = (0, 0, 10, 10)
        images = [
            EvaluatedImage([(square, "square")], [(square, "square", 0.6), ((40, 40, 50, 50), "square", 0.95)]),
            EvaluatedImage([(square, "square"), ((20, 20, 30, 30), "circle")],
                           [(square, "square", 0.7), (square, "star", 0.99)]),
        ]
        # square, pooled by score: miss, hit, hit → precision 0, 1/2, 2/3 → monotone 2/3 everywhere. circle: 0.
        # star has no ground truth and is not scored.
        result = mean_average_precision(images, iou_thresholds=[0.5])
        self.assertEqual(result.categories, ["circle", "square"])
        self.assertEqual(result.ap[0][0], 0.0)
        self.assertAlmostEqual(result.ap[0][1], 2 / 3, places=12)
        self.assertAlmostEqual(result.mean, 1 / 3, places=12)

    def test_max_detections_per_image_and_category(self):
        image = EvaluatedImage([((0, 0, 10, 10), "square"), ((20, 0, 30, 10), "square")],
                               [((0, 0, 10, 10), "square", 0.9), ((20, 0, 30, 10), "square", 0.8)])
        self.assertAlmostEqual(mean_average_precision([image], iou_thresholds=[0.5]).mean, 1.0, places=12)
        # one detection kept: recall reaches 1/2 only; points 0 … .5 read 1, the other 50 read 0
        self.assertAlmostEqual(mean_average_precision([image], iou_thresholds=[0.5], max_detections=1).mean,
                               51 / 101, places=12)

    def test_perfect_and_empty(self):
        truth = [((0, 0, 10, 10), "square"), ((5, 5, 25, 15), "square"), ((30, 2, 34, 40), "bar")]
        perfect = mean_average_precision([EvaluatedImage(truth, [(box, name, 0.5) for box, name in truth])])
        for ap in perfect.per_threshold:
            self.assertAlmostEqual(ap, 1.0, places=12)
        self.assertEqual(mean_average_precision([EvaluatedImage(truth, [])]).mean, 0.0)

    def test_rejects_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "iou_thresholds must be numbers in"):
            mean_average_precision([], iou_thresholds=[1.5])
        with self.assertRaisesRegex(ValueError, "max_detections must be a positive integer"):
            mean_average_precision([], max_detections=0)


if __name__ == "__main__":
    unittest.main()
