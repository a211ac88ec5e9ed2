"""recipes/chat_dailydialog.py: chat()'s prompt format, the split by dialogue, the metrics (against hand-worked values
and the TypeScript definitions), and the teacher-forced and greedy scoring against step-by-step references."""
import itertools
import json
import math
import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import torch

from recipes import chat_dailydialog as recipe
from zoo.architectures import byte_level_bpe as bpe
from zoo.architectures.gpt2 import GPT2Config, GPT2LMHeadModel
from zoo import data as zoo_data
from zoo.data import REPO_ROOT, DataError

GPT2_TOKENIZER = REPO_ROOT.parent / "shared" / "data" / "hf-reference" / "gpt2-tokenizer" / "tokenizer.json"
EOS = 99
UNIQUE = itertools.count()


def word_ids(text: str) -> list[int]:
    """A stand-in tokenizer: one id per word, its length."""
    return [len(word) for word in text.split()]


def tiny_model(vocab_size: int = 40) -> GPT2LMHeadModel:
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=vocab_size, n_positions=32, n_embd=16, n_layer=2, n_head=2, n_inner=32,
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = GPT2LMHeadModel(config).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0, 0.5)  # far from uniform outputs, so the comparisons can fail
    return model


def item(context: list[str], responses: list[str] | None = None) -> dict:
    """A DailyDialog++ context; its default responses are shared with no other item."""
    return {"context": context, "positive_responses": responses or [f"reply {next(UNIQUE)}" for _ in range(5)]}


class ChatPromptTest(unittest.TestCase):
    def test_turns_each_followed_by_eos(self):
        self.assertEqual(recipe.chat_prompt(word_ids, ["a bb", "ccc"], 100, EOS), [1, 2, EOS, 3, EOS])

    def test_oldest_turns_left_out_then_last_turn_cut_from_the_left(self):
        turns = ["a", "bb cc", "ddd eeee"]  # encoded lengths 2, 3, 3
        self.assertEqual(recipe.chat_prompt(word_ids, turns, 7, EOS), [2, 2, EOS, 3, 4, EOS])
        self.assertEqual(recipe.chat_prompt(word_ids, turns, 8, EOS), [1, EOS, 2, 2, EOS, 3, 4, EOS])
        self.assertEqual(recipe.chat_prompt(word_ids, turns, 2, EOS), [4, EOS])

    @unittest.skipUnless(GPT2_TOKENIZER.exists(), "needs ../shared/data/hf-reference/gpt2-tokenizer")
    def test_gpt2_vocabulary_gives_chat_prompt_test_ts_ids(self):
        document = json.loads(GPT2_TOKENIZER.read_text(encoding="utf-8"))
        merges = [tuple(merge.split(" ")) if isinstance(merge, str) else tuple(merge) for merge in document["model"]["merges"]]
        encoder = bpe.ByteLevelBPE(document["model"]["vocab"], merges)
        self.assertEqual(recipe.chat_prompt(encoder.encode, ["Hello world", "Hello"], 100, 50256),
                         [15496, 995, 50256, 15496, 50256])

    def test_reply_case_keeps_the_reply_and_fits_the_context_around_it(self):
        tokenizer = SimpleNamespace(encode=word_ids, eos_id=EOS, utterance=lambda text: word_ids(text) + [EOS])
        prompt, reply = recipe.reply_case(tokenizer, ["a", "bb"], "ccc dddd", positions=6)
        self.assertEqual(reply, [3, 4, EOS])
        self.assertEqual(prompt, [2, EOS])  # 6 - 3 positions left: turn "a" does not fit
        prompt, reply = recipe.reply_case(tokenizer, ["a"], "b c d e f g h", positions=4)
        self.assertEqual((prompt, reply), ([EOS], [1, 1, 1]))  # a prompt of 1 position keeps the last token


class TokenizerTest(unittest.TestCase):
    def test_round_trip_and_eos_skipped(self):
        texts = ["Hello there! I ’ m fine.", "a cat sat on the mat", "café ¥2,000"]
        vocabulary, merges = bpe.train_bpe(texts, 30)
        tokenizer = recipe.ChatTokenizer(vocabulary, merges)
        self.assertEqual(tokenizer.eos_id, len(vocabulary))
        for text in texts:
            self.assertEqual(tokenizer.decode(tokenizer.utterance(text)), text)
            self.assertEqual(tokenizer.utterance(text)[-1], tokenizer.eos_id)


class SplitTest(unittest.TestCase):
    def test_groups_join_on_a_long_utterance_or_two_short_ones(self):
        long = "I would like to have a pair of trousers made"
        items = [
            item(["Thank you.", long]),
            item([long, "Sure."]),  # shares the long turn with item 0
            item(["Thank you.", "Hi."]),  # one short turn with item 0: not linked
            item(["Hi.", "Sure."]),  # one short turn each with items 1, 2 and 4: not linked
            item(["Hi.", "Thank you.", "Bye."]),  # "Hi." and "Thank you." with item 2: linked
        ]
        self.assertEqual(recipe.dialogue_groups(items), [0, 0, 1, 2, 1])

    def test_positive_responses_count_as_utterances(self):
        answer = "No . Only a few pounds . But my passport was in the bag"
        items = [item(["What is wrong?"], [answer] + ["x"] * 4), item(["Oh dear.", answer])]
        self.assertEqual(recipe.dialogue_groups(items), [0, 0])

    def test_split_keeps_groups_whole_and_is_seeded(self):
        items = [item([f"turn {index}"]) for index in range(40)]
        groups = [index // 4 for index in range(40)]  # ten dialogues of four contexts
        splits = recipe.split_by_dialogue(items, groups, {"test": 0.2, "val": 0.1}, seed=3)
        self.assertEqual((len(splits["test"]), len(splits["val"]), len(splits["train"])), (8, 4, 28))
        owner = {}
        for split, split_items in splits.items():
            for element in split_items:
                group = groups[items.index(element)]
                self.assertEqual(owner.setdefault(group, split), split)
        self.assertEqual(splits, recipe.split_by_dialogue(items, groups, {"test": 0.2, "val": 0.1}, seed=3))
        self.assertNotEqual(splits["test"], recipe.split_by_dialogue(items, groups, {"test": 0.2, "val": 0.1}, seed=4)["test"])


class DataErrorTest(unittest.TestCase):
    def test_malformed_line_names_file_and_line(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "dev.json"
            path.write_text(json.dumps(item(["a"])) + "\n" + json.dumps({"context": ["a"]}) + "\n")
            with self.assertRaisesRegex(DataError, r"dev\.json:2: expected"):
                recipe.read_dialogues(path, "dev")
            path.write_text(json.dumps({"context": "hello", "positive_responses": ["a", "b", "c", "d", "e"]}) + "\n")
            with self.assertRaisesRegex(DataError, r"dev\.json:1: expected a non-empty list context and 5"):
                recipe.read_dialogues(path, "dev")

    def test_wrong_data_directory_names_the_expected_files(self):
        with tempfile.TemporaryDirectory() as folder:
            for data in (folder, str(Path(folder) / "nowhere")):  # files missing; the directory itself missing
                args = SimpleNamespace(data=data, smoke=True)
                with mock.patch.object(zoo_data, "WORK_ROOT", Path(folder) / "work"):
                    with self.assertRaises(DataError) as raised:
                        recipe.prepare(args, recipe.SMOKE, lambda message: None)
                self.assertIn("dailydialog-plusplus/dev.json", str(raised.exception))
                self.assertIn("multi30k/task2/train.1.en.gz", str(raised.exception))


class MetricTest(unittest.TestCase):
    def test_distinct_n_matches_the_typescript_examples(self):
        self.assertAlmostEqual(recipe.distinct_n(["i am fine", "i am ok"], 1), 4 / 6)
        self.assertAlmostEqual(recipe.distinct_n(["i am fine", "i am ok"], 2), 3 / 4)
        self.assertAlmostEqual(recipe.distinct_n(["Yes!", "yes."], 1), 3 / 4)
        self.assertEqual(recipe.distinct_words("I'm OK… it’s 25¥"), ["i'm", "ok", "…", "it", "’", "s", "25", "¥"])
        self.assertEqual(recipe.distinct_n([], 1), 0.0)
        self.assertEqual(recipe.distinct_n(["one"], 2), 0.0)

    def test_unigram_add_one(self):
        log_probability = recipe.unigram_log_probability([[0, 0], [1]], 3)  # counts 2, 1, 0; N 3, V 3
        self.assertAlmostEqual(math.exp(log_probability(0)), 3 / 6)
        self.assertAlmostEqual(math.exp(log_probability(2)), 1 / 6)
        self.assertAlmostEqual(sum(math.exp(log_probability(token)) for token in range(3)), 1.0)

    def test_batched_reply_nll_equals_step_by_step_scoring(self):
        model = tiny_model()
        cases = [([1, 2, 3, 39], [4, 5, 39]), ([7, 39], [8, 9, 39]), ([12, 13, 14, 15, 16, 39], [17, 18, 39])]
        expected, count = 0.0, 0
        with torch.no_grad():
            for prompt, reply in cases:  # scoreContinuation's loop: feed the prompt, then one reply token at a time
                tokens, past, total = prompt, None, len(prompt)
                for token in reply:
                    positions = torch.arange(total - len(tokens), total)[None]
                    logits, past = model(torch.tensor([tokens]), torch.ones(1, total, dtype=torch.long), positions, past)
                    expected -= float(torch.log_softmax(logits[0, -1].double(), -1)[token])
                    tokens, total, count = [token], total + 1, count + 1
        nll, tokens = recipe.reply_nll(model, cases, max_tokens=18)  # batches [5 + 2 padding, 7] and [9] tokens
        self.assertEqual(tokens, count)
        self.assertAlmostEqual(nll, expected, places=3)

    def test_greedy_with_cache_equals_recomputing_the_whole_sequence(self):
        model = tiny_model()
        prompt = [3, 1, 4, 1, 5, 39]
        reply = recipe.greedy_reply(model, prompt, eos_id=39, max_new_tokens=12)
        sequence, expected = list(prompt), []
        with torch.no_grad():
            for _ in range(12):
                length = len(sequence)
                logits, _ = model(torch.tensor([sequence]), torch.ones(1, length, dtype=torch.long), torch.arange(length)[None])
                expected.append(int(logits[0, -1].argmax()))
                if expected[-1] == 39:
                    break
                sequence.append(expected[-1])
        self.assertEqual(reply, expected)
        self.assertGreater(len(set(reply)), 1)


class ExampleTest(unittest.TestCase):
    def test_dialogue_epochs_take_the_responses_in_turn_and_label_every_token(self):
        tokenizer = SimpleNamespace(encode=word_ids, eos_id=EOS, utterance=lambda text: word_ids(text) + [EOS])
        items = [item(["a bb"], ["c", "dd", "eee", "ffff", "ggggg"])]
        for response in range(5):
            (ids, labels), = recipe.dialogue_examples(tokenizer, items, 32, response)
            self.assertEqual(ids, [1, 2, EOS, response + 1, EOS])
            self.assertEqual(labels, ids)

    def test_language_model_loss_ignores_unlabelled_and_padded_tokens(self):
        model = tiny_model()
        examples = [([1, 2, 3], [recipe.IGNORE, recipe.IGNORE, 3]), ([4, 5, 6, 7], [4, 5, 6, 7])]
        input_ids, labels, attention_mask = recipe.collate(examples, pad_id=0)
        total = recipe.language_model_loss(model, input_ids, labels, attention_mask, reduction="sum")
        expected = 0.0
        with torch.no_grad():
            for ids, wanted in [([1, 2, 3], [3]), ([4, 5, 6, 7], [5, 6, 7])]:
                logits, _ = model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long), torch.arange(len(ids))[None])
                scores = torch.log_softmax(logits[0], -1)
                expected -= sum(float(scores[len(ids) - len(wanted) - 1 + index, token]) for index, token in enumerate(wanted))
        self.assertAlmostEqual(float(total), expected, places=4)


if __name__ == "__main__":
    unittest.main()
