"""zoo/data.py error messages and zoo/spm_tokenizer.py's tokenizer.json."""
import tempfile
import unittest
from pathlib import Path

from zoo.data import DataError, require_files, resolve_data_dir
from zoo.spm_tokenizer import SentencePieceTokenizer, train_unigram


class DataTest(unittest.TestCase):
    def test_missing_directory_names_expected_files(self):
        with self.assertRaisesRegex(DataError, r"does not exist.*the folder that holds multi30k/task1/\*\.gz \(see"):
            resolve_data_dir("/nonexistent/attn-data")

    def test_missing_directory_names_what_the_caller_reads(self):
        expected = ["multi30k/task2/train.1.en.gz", "dailydialog-plusplus/dev.json"]
        named = r"holds multi30k/task2/train\.1\.en\.gz, dailydialog-plusplus/dev\.json \(see"
        with self.assertRaisesRegex(DataError, named):
            resolve_data_dir("/nonexistent/attn-data", expected)

    def test_missing_files_are_all_named(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaisesRegex(DataError, r"train\.en\.gz.*train\.de\.gz"):
                require_files(Path(folder), ["multi30k/task1/train.en.gz", "multi30k/task1/train.de.gz"])


class TokenizerTest(unittest.TestCase):
    def test_round_trip_and_json_schema(self):
        sentences = [f"A man number {i} walks a dog in the park." for i in range(200)]
        sentences += [f"Ein Mann Nummer {i} geht mit einem Hund im Park." for i in range(200)]
        with tempfile.TemporaryDirectory() as folder:
            tokenizer = SentencePieceTokenizer(train_unigram(sentences, Path(folder) / "spm", 60))
            ids = tokenizer.encode("A man walks a dog.")
            self.assertEqual(ids[-1], 0)
            self.assertEqual(tokenizer.decode(ids), "A man walks a dog.")
            document = tokenizer.to_hf_json()
        self.assertEqual(document["model"]["type"], "Unigram")
        self.assertEqual(document["model"]["unk_id"], 1)
        self.assertEqual([token["content"] for token in document["added_tokens"]], ["</s>", "<unk>", "<pad>"])
        self.assertEqual(len(document["model"]["vocab"]), tokenizer.vocab_size)
        self.assertEqual(document["decoder"]["replacement"], "\u2581")
        self.assertEqual(document["post_processor"]["single"][-1]["SpecialToken"]["id"], "</s>")


if __name__ == "__main__":
    unittest.main()
