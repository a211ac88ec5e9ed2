"""recipes/vit_shapes.py: DINO's mass mask, nearest upsampling, Jaccard and rollout against hand-worked cases and a
float64 reference (the definitions of @attn/vision's segment() and tools/eval's segmentation-jaccard.ts), multi-label
scores by hand, pixel normalisation, held-out scenes read back, and the epoch batches partitioning each pass."""
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from recipes.vit_shapes import (SMOKE, jaccard, mass_mask, multilabel_scores, normalize, read_held_out,
                                resize_to_input, rollout_cls_row, training_plan, upsample_mask)
from zoo.scenes import CLASSES, generate_scene, write_coco_split


def reference_rollout(attentions: np.ndarray, residual: float) -> np.ndarray:
    """Naive float64 loops: Ã_l = (1 − r)·mean_h A_l + r·I, rows normalised; R = Ã_L ··· Ã_1. attentions [L, H, T, T]."""
    layers, heads, tokens, _ = attentions.shape
    product = np.eye(tokens)
    for layer in range(layers):
        mixed = np.zeros((tokens, tokens))
        for i in range(tokens):
            for j in range(tokens):
                mixed[i, j] = (1 - residual) * sum(attentions[layer, h, i, j] for h in range(heads)) / heads + residual * (i == j)
            mixed[i] /= mixed[i].sum()
        product = mixed @ product
    return product


class MaskTest(unittest.TestCase):
    def test_mass_mask_keeps_the_largest_weights_holding_the_fraction(self):
        # ascending 0.1 (#0), 0.2 (#2), 0.3 (#3), 0.4 (#1); running shares 0.1, 0.3, 0.6, 1.0; keep those > 0.4
        weights = np.array([0.1, 0.4, 0.2, 0.3], dtype=np.float32)
        self.assertEqual(mass_mask(weights, 0.6).tolist(), [False, True, False, True])
        # unnormalised weights give the same mask
        self.assertEqual(mass_mask(weights * 7, 0.6).tolist(), [False, True, False, True])
        # ties sort by position: running 0.25, 0.5, 0.75, 1.0 > 0.5 keeps positions 2 and 3
        self.assertEqual(mass_mask(np.full(4, 0.25, dtype=np.float32), 0.5).tolist(), [False, False, True, True])
        self.assertFalse(mass_mask(np.zeros(3, dtype=np.float32), 0.6).any())
        self.assertTrue(mass_mask(np.array([0.0, 1.0, 2.0], dtype=np.float32), 1.0)[1:].all())

    def test_upsample_takes_the_cell_of_each_pixel_centre(self):
        self.assertEqual(upsample_mask(np.array([[True, False]]), 4, 2).astype(int).tolist(), [[1, 1, 0, 0], [1, 1, 0, 0]])
        # 3 columns over 4 pixels: centres 0.5, 1.5, 2.5, 3.5 → cells ⌊0.375⌋, ⌊1.125⌋, ⌊1.875⌋, ⌊2.625⌋ = 0, 1, 1, 2
        self.assertEqual(upsample_mask(np.array([[True, False, True]]), 4, 1).astype(int).tolist(), [[1, 0, 0, 1]])

    def test_jaccard(self):
        self.assertAlmostEqual(jaccard(np.array([1, 1, 0, 0], bool), np.array([0, 1, 1, 0], bool)), 1 / 3)
        self.assertEqual(jaccard(np.zeros(3, bool), np.zeros(3, bool)), 1.0)
        self.assertEqual(jaccard(np.array([1, 0], bool), np.array([0, 1], bool)), 0.0)

    def test_rollout_hand_worked(self):
        # A_1 = [[1,0,0],[1,0,0],[0,1,0]], A_2 = rows [0,0,1]; r = 0.5 → R row 0 = [0.5, 0.25, 0.25]
        first = torch.tensor([[1.0, 0, 0], [1, 0, 0], [0, 1, 0]])
        second = torch.tensor([[0.0, 0, 1], [0, 0, 1], [0, 0, 1]])
        row = rollout_cls_row([first[None, None], second[None, None]], 0.5)
        np.testing.assert_allclose(row, [[0.5, 0.25, 0.25]], atol=1e-7)

    def test_rollout_matches_a_float64_reference(self):
        generator = torch.Generator().manual_seed(3)
        attentions = torch.randn(3, 2, 4, 5, 5, generator=generator).softmax(dim=-1)  # [L, B, H, T, T]
        for residual in (0.5, 0.2):
            rows = rollout_cls_row(list(attentions), residual)
            for batch in range(2):
                expected = reference_rollout(attentions[:, batch].double().numpy(), residual)[0]
                np.testing.assert_allclose(rows[batch], expected, atol=1e-6)


class ScoresAndDataTest(unittest.TestCase):
    def test_multilabel_scores_by_hand(self):
        # predicted [[1,0],[1,1]] vs truth [[1,0],[0,1]]: rows right 1 of 2; class 0 TP 1 FP 1, class 1 TP 1
        # micro-F1 = 2·2 / (2·2 + 1) = 0.8; macro-F1 = (2/3 + 1) / 2
        scores = multilabel_scores(torch.tensor([[1.0, -1.0], [1.0, 1.0]]), torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        self.assertAlmostEqual(scores["subset_accuracy"], 0.5)
        self.assertAlmostEqual(scores["micro_f1"], 0.8)
        self.assertAlmostEqual(scores["macro_f1"], (2 / 3 + 1) / 2)

    def test_normalize_maps_bytes_to_minus_one_one_channels_first(self):
        pixels = np.zeros((1, 2, 2, 3), dtype=np.uint8)
        pixels[0, 0, 1] = [255, 0, 51]  # row 0, column 1
        values = normalize(pixels)
        self.assertEqual(tuple(values.shape), (1, 3, 2, 2))
        torch.testing.assert_close(values[0, :, 0, 1], torch.tensor([1.0, -1.0, 51 / 255 * 2 - 1]))
        self.assertEqual(float(values[0, 0, 1, 1]), -1.0)

    def test_held_out_scenes_read_back(self):
        with tempfile.TemporaryDirectory() as folder:
            held_out = read_held_out(write_coco_split(Path(folder), seed=9, count=3, width=40, height=30), side=16)
            for index in range(3):
                image, objects = generate_scene(9, index, 40, 30)
                np.testing.assert_array_equal(held_out.pixels[index], resize_to_input(image, 16))
                expected = np.zeros(len(CLASSES))
                expected[[scene_object["category_id"] for scene_object in objects]] = 1
                np.testing.assert_array_equal(held_out.labels[index], expected)
                np.testing.assert_array_equal(held_out.foregrounds[index],
                                              np.logical_or.reduce([scene_object["mask"] for scene_object in objects]))

    def test_epochs_partition_each_pass_deterministically(self):
        settings = dict(SMOKE, train_scenes=8, images_per_epoch=4, batch_size=3)
        prepared = {"pixels": np.zeros((8, 4, 4, 3), dtype=np.uint8), "labels": np.zeros((8, len(CLASSES)), np.uint8)}
        plan = training_plan(settings, Path("unused"), prepared, validation=None)
        for first_epoch in (0, 2):
            batches = plan.batches(first_epoch) + plan.batches(first_epoch + 1)
            self.assertEqual([len(indices) for indices, _ in batches], [3, 1, 3, 1])
            self.assertEqual(sorted(np.concatenate([indices for indices, _ in batches]).tolist()), list(range(8)))
        again = plan.batches(2)
        self.assertEqual([indices.tolist() for indices, _ in again], [indices.tolist() for indices, _ in plan.batches(2)])
        self.assertNotEqual([indices.tolist() for indices, _ in plan.batches(0)], [indices.tolist() for indices, _ in again])


if __name__ == "__main__":
    unittest.main()
