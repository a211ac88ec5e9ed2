"""zoo/hungarian.py: generalized IoU on hand-worked boxes, the Hungarian matching against a brute-force search over
every assignment, and the set-prediction loss on a case small enough to compute by hand."""
import itertools
import math
import unittest

import torch

from zoo.hungarian import LossWeights, center_to_corners, generalized_box_iou, match, set_prediction_loss


class BoxTest(unittest.TestCase):
    def test_center_to_corners(self):
        corners = center_to_corners(torch.tensor([[0.5, 0.4, 0.2, 0.6]]))
        torch.testing.assert_close(corners, torch.tensor([[0.4, 0.1, 0.6, 0.7]]))

    def test_generalized_iou_hand_worked(self):
        first = torch.tensor([[0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 1.0, 1.0]])
        second = torch.tensor([[1.0, 1.0, 3.0, 3.0], [2.0, 0.0, 3.0, 1.0], [0.0, 0.0, 2.0, 2.0]])
        giou = generalized_box_iou(first, second)
        # overlap 1, union 7, enclosing [0,3]² = 9: 1/7 − 2/9 = −5/63
        self.assertAlmostEqual(float(giou[0, 0]), -5 / 63, places=6)
        # disjoint: IoU 0, union 2, enclosing [0,3]×[0,1] = 3: −1/3
        self.assertAlmostEqual(float(giou[1, 1]), -1 / 3, places=6)
        self.assertAlmostEqual(float(giou[0, 2]), 1.0, places=6)
        # [0,1]² inside [0,2]²: IoU 1/4, the enclosing box is the union: 1/4
        self.assertAlmostEqual(float(giou[1, 2]), 0.25, places=6)


class MatchTest(unittest.TestCase):
    def test_equals_brute_force_minimum(self):
        generator = torch.Generator().manual_seed(4)
        weights = LossWeights()
        for _ in range(5):
            logits = torch.randn(5, 4, generator=generator)
            boxes = torch.rand(5, 4, generator=generator) * 0.5 + 0.25
            labels = torch.randint(0, 3, (3,), generator=generator)
            targets = torch.rand(3, 4, generator=generator) * 0.5 + 0.25
            probabilities = logits.softmax(-1)
            giou = generalized_box_iou(center_to_corners(boxes), center_to_corners(targets))

            def cost(query: int, target: int) -> float:
                return float(-probabilities[query, labels[target]] + 5 * (boxes[query] - targets[target]).abs().sum()
                             - 2 * giou[query, target])

            best = min(sum(cost(q, t) for t, q in enumerate(queries)) for queries in itertools.permutations(range(5), 3))
            query_indices, object_indices = match(logits, boxes, labels, targets, weights)
            self.assertEqual(sorted(object_indices.tolist()), [0, 1, 2])
            self.assertEqual(len(set(query_indices.tolist())), 3)
            found = sum(cost(int(q), int(t)) for q, t in zip(query_indices, object_indices))
            self.assertAlmostEqual(found, best, places=5)

    def test_no_objects(self):
        queries, objects = match(torch.randn(3, 2), torch.rand(3, 4), torch.zeros(0, dtype=torch.long),
                                 torch.zeros(0, 4), LossWeights())
        self.assertEqual((queries.numel(), objects.numel()), (0, 0))


class SetPredictionLossTest(unittest.TestCase):
    def test_hand_worked_two_queries(self):
        # One label (K = 1, logits [object, no object]); one object, predicted exactly by query 0.
        logits = torch.tensor([[[2.0, 0.0], [0.0, 0.0]]])  # [B=1, Q=2, K+1=2]
        target = torch.tensor([[0.5, 0.5, 0.2, 0.2]])
        boxes = torch.cat([target, torch.tensor([[0.1, 0.1, 0.1, 0.1]])])[None]
        total, parts = set_prediction_loss(logits, boxes, [(torch.tensor([0]), target)], LossWeights())
        # query 0 → class 0: −log(e²/(e²+1)); query 1 → no object (weight 0.1): log 2; mean weighted by 1 + 0.1
        expected_class = (math.log(1 + math.exp(-2)) + 0.1 * math.log(2)) / 1.1
        self.assertAlmostEqual(parts["class"], expected_class, places=6)
        self.assertAlmostEqual(parts["l1"], 0.0, places=6)
        self.assertAlmostEqual(parts["giou"], 0.0, places=6)
        self.assertAlmostEqual(float(total), expected_class, places=6)

    def test_box_losses_divide_by_objects(self):
        # Two images, one object each, both predicted 0.1 too wide: L1 0.1 per object → 0.1 after dividing by 2.
        # GIoU of w 0.3 vs 0.2 (same centre, h 0.2): IoU 0.04 / 0.06 = 2/3, enclosing = union → 1 − 2/3 per object.
        target = torch.tensor([[0.5, 0.5, 0.2, 0.2]])
        predicted = torch.tensor([[[0.5, 0.5, 0.3, 0.2]]]).repeat(2, 1, 1)  # [B=2, Q=1, 4]
        logits = torch.zeros(2, 1, 3)
        labels = torch.tensor([1])
        _, parts = set_prediction_loss(logits, predicted, [(labels, target), (labels, target)], LossWeights())
        self.assertAlmostEqual(parts["l1"], 0.1, places=6)
        self.assertAlmostEqual(parts["giou"], 1 / 3, places=5)

    def test_image_without_objects_only_has_a_class_loss(self):
        logits = torch.zeros(1, 3, 3, requires_grad=True)
        total, parts = set_prediction_loss(logits, torch.rand(1, 3, 4), [(torch.zeros(0, dtype=torch.long), torch.zeros(0, 4))],
                                           LossWeights())
        self.assertAlmostEqual(parts["class"], math.log(3), places=6)
        self.assertEqual((parts["l1"], parts["giou"]), (0.0, 0.0))
        total.backward()
        self.assertTrue(bool(logits.grad[0, :, 2].lt(0).all()))  # pushed towards "no object"


if __name__ == "__main__":
    unittest.main()
