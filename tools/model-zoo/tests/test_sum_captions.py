"""recipes/sum_captions.py: rotations and the evaluation set as summarize-rouge.ts builds it, sources assembled from
per-caption ids equal to encoding the joined text, the baselines on hand-worked cases, truncation, and data errors
that name the expected files."""
import gzip
import tempfile
import unittest
from pathlib import Path

from recipes.sum_captions import (
    BOS_ID,
    EOS_ID,
    CaptionTokenizer,
    caption_data_dir,
    centroid_caption,
    encode_captions,
    epoch_examples,
    evaluation_items,
    oracle_caption,
    read_captions,
    rotation,
)
from zoo.architectures.byte_level_bpe import train_bpe
from zoo.data import DataError

# [caption number - 1][image]: punctuation, digits, quotes and apostrophes at the joins
CAPTIONS = [
    ["A dog's toy.", "Two men, one on a ladder"],
    ['"Rock" music at 5 pm', "3 men work on a roof."],
    ["a dog runs fast!", "it's a roof 'n' a ladder"],
    ["The dog plays with 2 balls", "Workers fix a house..."],
    ["dog, toy", "Men on the roof of a house."],
]


def tokenizer() -> CaptionTokenizer:
    return CaptionTokenizer(*train_bpe([text for lines in CAPTIONS for text in lines], 40))


class ExamplesTest(unittest.TestCase):
    def test_rotation_keeps_caption_order(self):
        self.assertEqual(rotation(["c1", "c2", "c3", "c4", "c5"], 2), (["c1", "c2", "c4", "c5"], "c3"))

    def test_evaluation_set_is_captions_2_to_5_against_caption_1(self):
        items = evaluation_items(CAPTIONS)
        self.assertEqual(items[1]["source"], "3 men work on a roof. it's a roof 'n' a ladder Workers fix a house... "
                                             "Men on the roof of a house.")
        self.assertEqual(items[1]["references"], ["Two men, one on a ladder"])
        self.assertEqual(items[0]["inputs"][0], '"Rock" music at 5 pm')

    def test_five_epochs_use_every_rotation_once_with_the_joined_text_encoded(self):
        words = tokenizer()
        encoded = encode_captions(words, CAPTIONS)
        seen = {image: set() for image in range(2)}
        for epoch in range(5):
            for image, (source, target) in enumerate(epoch_examples(encoded, epoch, max_source_tokens=10_000)):
                number = (image + epoch) % 5
                inputs, caption = rotation([lines[image] for lines in CAPTIONS], number)
                self.assertEqual(source, [BOS_ID, *words.encode(" ".join(inputs)), EOS_ID])
                self.assertEqual(target, words.encode(caption) + [EOS_ID])
                seen[image].add(number)
        self.assertEqual(seen, {0: set(range(5)), 1: set(range(5))})

    def test_long_sources_are_left_out(self):
        encoded = encode_captions(tokenizer(), CAPTIONS)
        lengths = [len(source) for source, _ in epoch_examples(encoded, 0, max_source_tokens=10_000)]
        kept = epoch_examples(encoded, 0, max_source_tokens=min(lengths))
        self.assertEqual([len(source) for source, _ in kept], [min(lengths)])


class TokenizerTest(unittest.TestCase):
    def test_source_is_cut_to_the_positions_keeping_the_end_token(self):
        words = tokenizer()
        full = words.source("A dog's toy. Two men", 1000)
        self.assertEqual(full[0], BOS_ID)
        self.assertEqual(words.source("A dog's toy. Two men", 4), full[:3] + [EOS_ID])

    def test_decode_skips_special_tokens(self):
        words = tokenizer()
        self.assertEqual(words.decode(words.source("Men on the roof, 3 of them.", 1000)), "Men on the roof, 3 of them.")


class BaselineTest(unittest.TestCase):
    def test_centroid_is_the_caption_agreeing_most_with_the_others(self):
        # mean ROUGE-1 F against the other three: "a dog runs" (6/7 + 1/3 + 2/3) / 3 = 0.619, "a dog runs fast"
        # (6/7 + 2/7 + 4/7) / 3 = 0.571, "a cat sleeps" (1/3 + 2/7 + 1/3) / 3 = 0.317, "a dog walks" 0.524
        inputs = ["a dog runs fast", "a cat sleeps", "a dog runs", "a dog walks"]
        self.assertEqual(centroid_caption(inputs), "a dog runs")

    def test_centroid_agreement_is_rouge_1_and_ties_keep_the_first(self):
        # ROUGE-1: "b a c" and "a b c" both (1 + 2/3 + 0) / 3; ROUGE-L would prefer "a b c" ((2/3 + 2/3) / 3 vs
        # (2/3 + 1/3) / 3)
        self.assertEqual(centroid_caption(["b a c", "a b c", "a b d", "e f g"]), "b a c")
        self.assertEqual(centroid_caption(["x", "y", "z", "w"]), "x")

    def test_oracle_is_the_input_closest_to_the_reference(self):
        self.assertEqual(oracle_caption(["a cat sleeps", "a dog sleeps", "a dog"], ["the dog sleeps"]), "a dog sleeps")


class DataErrorTest(unittest.TestCase):
    def test_missing_folder_and_files_are_named(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaises(DataError) as missing_folder:
                caption_data_dir(str(Path(folder) / "nowhere"))
            with self.assertRaises(DataError) as missing_files:
                caption_data_dir(folder)
        for error in (missing_folder.exception, missing_files.exception):
            self.assertIn("multi30k/task2/train.1.en.gz", str(error))
            self.assertIn("multi30k/task2/test_2016.5.en.gz", str(error))

    def test_caption_files_must_have_equal_line_counts(self):
        with tempfile.TemporaryDirectory() as folder:
            task = Path(folder) / "multi30k" / "task2"
            task.mkdir(parents=True)
            for number in range(1, 6):
                with gzip.open(task / f"val.{number}.en.gz", "wt", encoding="utf-8") as handle:
                    handle.write("a dog\n" * (2 if number == 3 else 3))
            with self.assertRaisesRegex(DataError, "one line per image.*val.3.en.gz 2"):
                read_captions(Path(folder), "val")


if __name__ == "__main__":
    unittest.main()
