"""recipes/detr_shapes.py: the pieces whose mistakes would not show as an error — BatchNorm folding (the exported
weights), the auxiliary decoder outputs, the dense encoder targets, DetrImageProcessor's resize rule and normalisation,
DETR's targets, and detections as @attn/vision's detect() reports them."""
import math
import unittest

import torch
from PIL import Image

from recipes.detr_shapes import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    decoder_layer_outputs,
    dense_targets,
    detect,
    fold_batch_norms,
    normalised_targets,
    pixel_values_of,
    resized_size,
)
from zoo.architectures.detr import DetrConfig, DetrForObjectDetection


def tiny_detr() -> DetrForObjectDetection:
    torch.manual_seed(0)
    config = DetrConfig(labels=["a", "b"], backbone_channels=[4, 8, 8], d_model=16, num_queries=3, encoder_layers=1,
                        decoder_layers=2, encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
                        decoder_ffn_dim=32, dropout=0.0)
    model = DetrForObjectDetection(config)
    with torch.no_grad():
        for stage in model.model.backbone.conv_encoder.stages:  # BatchNorm statistics far from the identity
            stage.norm.running_mean.uniform_(-1, 1)
            stage.norm.running_var.uniform_(0.5, 2)
            stage.norm.weight.uniform_(0.5, 1.5)
            stage.norm.bias.uniform_(-0.5, 0.5)
    return model.eval()


class ExportedWeightsTest(unittest.TestCase):
    def test_folding_batch_norm_keeps_the_outputs(self):
        model = tiny_detr()
        pixels = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
        mask = torch.ones(2, 32, 32, dtype=torch.long)
        with torch.no_grad():
            logits, boxes = model(pixels, mask)
            fold_batch_norms(model)
            folded_logits, folded_boxes = model(pixels, mask)
        self.assertTrue(bool((model.model.backbone.conv_encoder.stages[0].norm.weight == 1).all()))
        torch.testing.assert_close(folded_logits, logits, rtol=0, atol=1e-5)
        torch.testing.assert_close(folded_boxes, boxes, rtol=0, atol=1e-5)

    def test_last_auxiliary_output_is_the_model_output(self):
        model = tiny_detr()
        pixels = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            all_logits, all_boxes, encoded, feature_size = decoder_layer_outputs(model, pixels)
            logits, boxes = model(pixels, torch.ones(2, 32, 32, dtype=torch.long))
        self.assertEqual(feature_size, (4, 4))  # three stride-2 stages: 32 / 8
        self.assertEqual(tuple(encoded.shape), (2, 16, 16))  # [batch, h·w, d_model]
        self.assertEqual(tuple(all_logits.shape), (2, 2, 3, 3))  # [layers, batch, queries, labels + 1]
        torch.testing.assert_close(all_logits[-1], logits)
        torch.testing.assert_close(all_boxes[-1], boxes)
        self.assertFalse(torch.allclose(all_logits[0], logits))
        self.assertEqual(len(model.model.decoder.layers[0]._forward_hooks), 0)  # hooks removed


class DenseTargetsTest(unittest.TestCase):
    def test_cells_take_the_smallest_box_holding_their_centre(self):
        # a 4 × 4 grid, cell centres at 0.125, 0.375, 0.625, 0.875; a big box over the left half, a small one inside it
        big = [0.25, 0.5, 0.5, 1.0]  # x 0 … 0.5, y 0 … 1
        small = [0.25, 0.25, 0.3, 0.3]  # x 0.1 … 0.4, y 0.1 … 0.4
        labels, boxes = dense_targets([(torch.tensor([3, 5]), torch.tensor([big, small]))], 4, 4)
        no_object = 8  # len(CLASSES)
        expected = torch.tensor([[5, 5, no_object, no_object],
                                 [5, 5, no_object, no_object],
                                 [3, 3, no_object, no_object],
                                 [3, 3, no_object, no_object]]).reshape(1, 16)
        self.assertTrue(torch.equal(labels, expected))
        torch.testing.assert_close(boxes[0, 0], torch.tensor(small))
        torch.testing.assert_close(boxes[0, 8], torch.tensor(big))
        self.assertEqual(float(boxes[0, 2].abs().sum()), 0.0)

    def test_an_empty_scene_is_all_no_object(self):
        labels, _ = dense_targets([(torch.zeros(0, dtype=torch.long), torch.zeros(0, 4))], 2, 3)
        self.assertTrue(bool((labels == 8).all()))


class PreprocessingTest(unittest.TestCase):
    def test_resize_rule_of_detr_image_processor(self):
        # 640 × 480 to shortest 256 / longest 256: the long side caps the edge at 256 · 480 / 640 = 192
        self.assertEqual(resized_size(640, 480, 256, 256), (256, 192))
        self.assertEqual(resized_size(480, 640, 256, 256), (192, 256))
        self.assertEqual(resized_size(224, 224, 128, 128), (128, 128))
        self.assertEqual(resized_size(128, 128, 128, 128), (128, 128))
        # shortest edge 100, no cap reached: 300 × 200 → 150 × 100
        self.assertEqual(resized_size(300, 200, 100, 1000), (150, 100))

    def test_rescale_and_normalise(self):
        pixels = pixel_values_of(Image.new("RGB", (4, 2), (255, 0, 51)), {"shortest_edge": 2, "longest_edge": 4})  # kept
        self.assertEqual(tuple(pixels.shape), (3, 2, 4))
        expected = [(1 - IMAGENET_MEAN[0]) / IMAGENET_STD[0], -IMAGENET_MEAN[1] / IMAGENET_STD[1],
                    (0.2 - IMAGENET_MEAN[2]) / IMAGENET_STD[2]]
        for channel, value in enumerate(expected):
            self.assertAlmostEqual(float(pixels[channel, 1, 3]), value, places=5)

    def test_targets_are_normalised_centre_boxes(self):
        labels, boxes = normalised_targets([{"category_id": 3, "bbox": [10, 20, 30, 40]}], 100, 200)
        self.assertEqual(labels.tolist(), [3])
        torch.testing.assert_close(boxes, torch.tensor([[0.25, 0.2, 0.3, 0.2]]))
        self.assertEqual(tuple(normalised_targets([], 100, 100)[1].shape), (0, 4))


class FixedOutputs(torch.nn.Module):
    def __init__(self, logits, boxes):
        super().__init__()
        self.logits, self.boxes = logits, boxes

    def forward(self, pixel_values, pixel_mask):
        return self.logits, self.boxes


class DetectTest(unittest.TestCase):
    def test_best_real_class_softmax_score_and_clipped_pixel_box(self):
        # query 0: logits [1, 2, 3] (two labels + no object): best label 1, score e² / (e + e² + e³)
        # query 1: label 0 wins; its box overhangs the right edge and is clipped to the 100-px width
        logits = torch.tensor([[[1.0, 2.0, 3.0], [4.0, 0.0, 0.0]]])
        boxes = torch.tensor([[[0.5, 0.5, 0.2, 0.4], [0.95, 0.5, 0.2, 0.2]]])
        (found,) = detect(FixedOutputs(logits, boxes), torch.zeros(1, 3, 8, 8), [(100, 50)])
        (box0, label0, score0), (box1, label1, score1) = found
        self.assertEqual((label0, label1), ("square", "circle"))  # CLASSES[1], CLASSES[0]
        self.assertAlmostEqual(score0, math.exp(2) / (math.exp(1) + math.exp(2) + math.exp(3)), places=6)
        self.assertAlmostEqual(score1, math.exp(4) / (math.exp(4) + 2), places=6)
        for value, expected in zip(box0, (40, 15, 60, 35)):
            self.assertAlmostEqual(value, expected, places=4)
        for value, expected in zip(box1, (85, 20, 100, 30)):
            self.assertAlmostEqual(value, expected, places=4)


if __name__ == "__main__":
    unittest.main()
