"""recipes/qa_captions.py: token offsets into the context (as Hugging Face tokenizers reports them), answer spans as
token indices, the span decoding of answer() against a brute-force search, shard batching, the padding-blind loss
and the error for a wrong data path."""
import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import torch

from recipes import qa_captions
from zoo import data as zoo_data
from zoo.architectures import wordpiece

VOCABULARY = wordpiece.build_vocabulary(["a zoo is big .", "where ?"], 40)


class OffsetsTest(unittest.TestCase):
    def test_pieces_accents_and_unknown_words(self):
        tokenizer = wordpiece.WordPiece(VOCABULARY)
        ids, types, offsets = qa_captions.encode_pair(tokenizer, "Where?", "A Zoé zoo, øx.")
        tokens = [VOCABULARY[index] for index in ids]
        self.assertEqual(tokens, ["[CLS]", "where", "?", "[SEP]", "a", "z", "##o", "##e", "zoo", "[UNK]", "[UNK]", ".",
                                  "[SEP]"])
        self.assertEqual(types, [0, 0, 0, 0] + [1] * 9)
        # "Zoé" is spelled z ##o ##e, the "e" from "é" (character 4); "," and "øx" hold characters outside the
        # vocabulary, so each is one [UNK] spanning the whole word
        self.assertEqual(offsets, [None, None, None, None, (0, 1), (2, 3), (3, 4), (4, 5), (6, 9), (9, 10), (11, 13),
                                   (13, 14), None])
        self.assertEqual(qa_captions.answer_tokens(offsets, {"text": "Zoé zoo", "start": 2}), (5, 8))
        self.assertIsNone(qa_captions.answer_tokens(offsets, {"text": "zo", "start": 6}))  # ends inside "zoo"


def brute_force_span(start_logits, end_logits, is_context, max_length):
    """answer-span.ts's loop: the first strictly better (i, j) in order of i, then j."""
    best = None
    for i in range(len(is_context)):
        if not is_context[i]:
            continue
        for j in range(i, min(len(is_context), i + max_length)):
            if not is_context[j]:
                break
            logit = float(start_logits[i]) + float(end_logits[j])
            if best is None or logit > best[2]:
                best = (i, j, logit)
    return best


class BestSpanTest(unittest.TestCase):
    def test_equals_the_pipeline_loop(self):
        generator = torch.Generator().manual_seed(0)
        for length in (6, 40, 70):
            start_logits = torch.randn(length, generator=generator, dtype=torch.float64)
            end_logits = torch.randn(length, generator=generator, dtype=torch.float64)
            is_context = torch.zeros(length, dtype=torch.bool)
            is_context[4 : length - 1] = True  # [CLS] q q [SEP] context… [SEP]
            start, end, logit = qa_captions.best_span(start_logits, end_logits, is_context)
            expected = brute_force_span(start_logits, end_logits, is_context.tolist(), qa_captions.MAX_ANSWER_TOKENS)
            self.assertEqual((start, end), expected[:2])
            self.assertAlmostEqual(logit, expected[2], places=12)

    def test_ties_go_to_the_earlier_start_then_the_shorter_span(self):
        is_context = torch.tensor([False, True, True, True, False])
        self.assertEqual(qa_captions.best_span(torch.zeros(5), torch.zeros(5), is_context)[:2], (1, 1))

    def test_answers_are_at_most_30_tokens(self):
        # start logit 5 at token 1, end logit 9 at token 40 and 1 at token 30: (1, 40) is 40 tokens long, so the
        # candidates are (1, 30) = 5 + 1 = 6 and (11, 40) = 0 + 9 = 9 (11 is the earliest start within 30 of 40)
        start_logits, end_logits = torch.zeros(45), torch.zeros(45)
        start_logits[1], end_logits[40], end_logits[30] = 5.0, 9.0, 1.0
        is_context = torch.tensor([False] + [True] * 43 + [False])
        self.assertEqual(qa_captions.best_span(start_logits, end_logits, is_context), (11, 40, 9.0))


class TrainingTest(unittest.TestCase):
    def test_shards_partition_the_training_set(self):
        train = {"lengths": torch.tensor([5, 9, 7, 5, 6, 8, 9, 5, 7, 6, 5])}
        settings = {"seed": 3, "shards": 3, "batch_size": 2}
        seen = []
        for epoch in range(3):
            batches = qa_captions.training_batches(train, settings, epoch)
            self.assertTrue(all(len(batch) <= 2 for batch in batches))
            seen += [int(index) for batch in batches for index in batch]
        self.assertEqual(sorted(seen), list(range(11)))
        first, again = (qa_captions.training_batches(train, settings, 4) for _ in range(2))
        self.assertEqual([batch.tolist() for batch in first], [batch.tolist() for batch in again])

    def test_loss_ignores_padding(self):
        start_logits = torch.tensor([[0.0, 2.0, 1.0, 0.0]])
        end_logits = torch.tensor([[0.0, 0.0, 3.0, 0.0]])
        attention_mask = torch.tensor([[1, 1, 1, 0]])
        starts, ends = torch.tensor([1]), torch.tensor([2])
        padded_high = start_logits.clone()
        padded_high[0, 3] = 50.0
        expected = qa_captions.span_loss(start_logits[:, :3], end_logits[:, :3], attention_mask[:, :3], starts, ends)
        self.assertAlmostEqual(float(qa_captions.span_loss(padded_high, end_logits, attention_mask, starts, ends)),
                               float(expected), places=6)


class DataPathTest(unittest.TestCase):
    def test_wrong_data_path_names_the_expected_files(self):
        with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as data:
            arguments = SimpleNamespace(smoke=True, data=data, out=None)
            with mock.patch.object(zoo_data, "WORK_ROOT", Path(work)):
                expected = r"multi30k/task2/train\.1\.en\.gz.*test_2016\.5\.en\.gz"
                with self.assertRaisesRegex(zoo_data.DataError, expected):
                    qa_captions.prepare(arguments, qa_captions.SMOKE, lambda message: None)


if __name__ == "__main__":
    unittest.main()
