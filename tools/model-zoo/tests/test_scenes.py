"""zoo/scenes.py: COCO run-length encoding against hand-worked masks and a decode round trip, determinism by
(seed, index), visible masks inside their boxes and disjoint under occlusion, and the written split read back."""
import json
import tempfile
import unittest
from pathlib import Path

import numpy as np
from PIL import Image

from zoo.data import DataError
from zoo.scenes import (CLASSES, MAX_OBJECTS, SPLIT_SEEDS, decode_rle, encode_rle, generate_scene, held_out_split,
                         write_coco_split)


def boxes_intersect(first: list[float], second: list[float]) -> bool:
    return (first[0] < second[0] + second[2] and second[0] < first[0] + first[2]
            and first[1] < second[1] + second[3] and second[1] < first[1] + first[3])


class RunLengthTest(unittest.TestCase):
    def test_hand_worked_masks(self):
        # rows [0,1,0] / [1,1,0]; columns top to bottom: [0,1], [1,1], [0,0] → 0 | 1 1 1 | 0 0 → runs 1, 3, 2
        mask = np.array([[0, 1, 0], [1, 1, 0]], dtype=bool)
        self.assertEqual(encode_rle(mask), {"size": [2, 3], "counts": [1, 3, 2]})
        # first pixel set: columns [1,1], [0,1] → 1 1 | 0 | 1 → a leading empty run of 0s: 0, 2, 1, 1
        mask = np.array([[1, 0], [1, 1]], dtype=bool)
        self.assertEqual(encode_rle(mask), {"size": [2, 2], "counts": [0, 2, 1, 1]})
        self.assertEqual(encode_rle(np.zeros((2, 2), dtype=bool))["counts"], [4])
        self.assertEqual(encode_rle(np.ones((3, 1), dtype=bool))["counts"], [0, 3])

    def test_decode_inverts_encode(self):
        random = np.random.RandomState(0)
        for shape in [(1, 1), (5, 7), (16, 3)]:
            for density in [0.0, 0.3, 1.0]:
                mask = random.rand(*shape) < density
                rle = encode_rle(mask)
                self.assertEqual(sum(rle["counts"]), shape[0] * shape[1])
                np.testing.assert_array_equal(decode_rle(rle), mask)

    def test_decode_rejects_wrong_total(self):
        with self.assertRaisesRegex(ValueError, "sum to 5, not height × width = 6"):
            decode_rle({"size": [2, 3], "counts": [1, 4]})


class GenerateSceneTest(unittest.TestCase):
    def test_deterministic_by_seed_and_index(self):
        image, objects = generate_scene(5, 3, 96, 80)
        again, objects_again = generate_scene(5, 3, 96, 80)
        np.testing.assert_array_equal(np.asarray(image), np.asarray(again))
        self.assertEqual([(o["category_id"], o["bbox"]) for o in objects],
                         [(o["category_id"], o["bbox"]) for o in objects_again])
        other, _ = generate_scene(6, 3, 96, 80)
        self.assertFalse(np.array_equal(np.asarray(image), np.asarray(other)))
        self.assertEqual(len(set(SPLIT_SEEDS.values())), 3)

    def test_objects_masks_boxes_and_occlusion(self):
        overlapping_pairs = 0
        for index in range(30):
            image, objects = generate_scene(11, index, 128, 112)
            self.assertEqual(image.size, (128, 112))
            self.assertEqual(image.mode, "RGB")
            self.assertTrue(1 <= len(objects) <= MAX_OBJECTS)
            for scene_object in objects:
                mask, (x, y, width, height) = scene_object["mask"], scene_object["bbox"]
                self.assertIn(scene_object["category_id"], range(len(CLASSES)))
                self.assertEqual(mask.shape, (112, 128))
                self.assertGreater(mask.sum(), 0)
                inside = np.zeros_like(mask)
                inside[int(y):int(y + height), int(x):int(x + width)] = True
                self.assertFalse((mask & ~inside).any(), "mask pixels outside its box")
                # the box is tight: each edge row and column holds a mask pixel
                self.assertTrue(mask[int(y)].any() and mask[int(y + height) - 1].any())
                self.assertTrue(mask[:, int(x)].any() and mask[:, int(x + width) - 1].any())
            for first in range(len(objects)):
                for second in range(first + 1, len(objects)):
                    overlapping_pairs += boxes_intersect(objects[first]["bbox"], objects[second]["bbox"])
                    self.assertFalse((objects[first]["mask"] & objects[second]["mask"]).any(),
                                     "a covered pixel belongs to the object on top only")
        self.assertGreater(overlapping_pairs, 0, "no scene had overlapping objects, so occlusion went untested")


class WriteSplitTest(unittest.TestCase):
    def test_written_split_matches_the_generator(self):
        with tempfile.TemporaryDirectory() as folder:
            path = write_coco_split(Path(folder), seed=4, count=3, width=64, height=48)
            self.assertEqual(path, Path(folder) / "annotations.json")
            document = json.loads(path.read_text())
            self.assertEqual([c["name"] for c in document["categories"]], CLASSES)
            self.assertEqual([c["id"] for c in document["categories"]], list(range(len(CLASSES))))
            self.assertEqual([i["file_name"] for i in document["images"]],
                             ["images/000001.png", "images/000002.png", "images/000003.png"])
            annotation_ids = [a["id"] for a in document["annotations"]]
            self.assertEqual(annotation_ids, list(range(1, len(annotation_ids) + 1)))
            for index, entry in enumerate(document["images"]):
                image, objects = generate_scene(4, index, 64, 48)
                self.assertEqual((entry["id"], entry["width"], entry["height"]), (index + 1, 64, 48))
                np.testing.assert_array_equal(np.asarray(Image.open(Path(folder) / entry["file_name"])),
                                              np.asarray(image))
                written = [a for a in document["annotations"] if a["image_id"] == entry["id"]]
                self.assertEqual([a["category_id"] for a in written], [o["category_id"] for o in objects])
                for annotation, scene_object in zip(written, objects):
                    self.assertEqual(annotation["bbox"], scene_object["bbox"])
                    np.testing.assert_array_equal(decode_rle(annotation["segmentation"]), scene_object["mask"])

    def test_held_out_split_is_written_once_and_checked(self):
        with tempfile.TemporaryDirectory() as root:
            path = held_out_split("val", 2, 40, 32, root=Path(root))
            self.assertEqual(path, Path(root) / "val" / "annotations.json")
            written = path.stat().st_mtime_ns
            self.assertEqual(held_out_split("val", 2, 40, 32, root=Path(root)), path)
            self.assertEqual(path.stat().st_mtime_ns, written)
            image, _ = generate_scene(SPLIT_SEEDS["val"], 1, 40, 32)
            np.testing.assert_array_equal(np.asarray(Image.open(Path(root) / "val" / "images" / "000002.png")),
                                          np.asarray(image))
            with self.assertRaises(DataError) as mismatch:
                held_out_split("val", 3, 40, 32, root=Path(root))
            self.assertIn("held-out val split", str(mismatch.exception))
            self.assertIn("holds 2 scenes of sizes [(40, 32)], expected 3 of 40 x 32", str(mismatch.exception))
            self.assertIn(f"delete {Path(root) / 'val'}", str(mismatch.exception))
            self.assertEqual(sorted(child.name for child in Path(root).iterdir()), ["val"])


if __name__ == "__main__":
    unittest.main()
