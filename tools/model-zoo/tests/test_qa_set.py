"""zoo/qa_set.py: caption parsing, the generated questions and their answer spans on hand-written images, the
agreement and ambiguity rules, the lexicon learned from captions, and the lexical-overlap baseline."""
import unittest

from zoo.qa_set import Lexicon, Word, generate_questions, image_examples, overlap_baseline, parse, split_words

LEXICON = Lexicon(
    nouns=frozenset({"man", "men", "dog", "shirt", "shirts", "yard", "girl", "stairs", "park", "bike"}),
    ing_verbs=frozenset({"riding", "climbing", "standing", "walking"}),
)


def summary(examples):
    return [(example.caption, example.kind, example.question, example.answers) for example in examples]


class ParseTest(unittest.TestCase):
    def test_words_keep_compounds_and_offsets(self):
        self.assertEqual(split_words("A man's red t-shirt."), [
            Word("a", 0, 1), Word("man", 2, 5), Word("'", 5, 6), Word("s", 6, 7), Word("red", 8, 11),
            Word("t-shirt", 12, 19), Word(".", 19, 20),
        ])

    def test_questions_of_one_caption(self):
        clause = parse("A little girl is climbing the stairs in a park.", LEXICON)
        self.assertEqual([question for _, question, _ in generate_questions(clause, LEXICON)], [
            "What is the little girl doing?",
            "What is the little girl climbing?",
            "Who is climbing the stairs?",
            "Where is the little girl climbing?",
        ])


class ImageExamplesTest(unittest.TestCase):
    def test_each_caption_asks_and_the_others_answer(self):
        captions = ["Two men are standing in a yard.", "Two men in red shirts standing in the yard.",
                    "A dog is walking."]
        examples = image_examples(7, captions, LEXICON)
        # caption 1 asks; context = captions 2 and 3: "Two men in red shirts standing in the yard. A dog is walking."
        #                                              0   4                 22       31
        # caption 2 asks; context = captions 1 and 3: "Two men are standing in a yard. A dog is walking."
        #                                              0           12       21
        self.assertEqual(summary(examples), [
            (1, "how many", "How many men are there?", [{"text": "Two", "start": 0}]),
            (1, "doing", "What are the two men doing?", [{"text": "standing", "start": 22}]),
            (1, "who", "Who is standing?", [{"text": "Two men", "start": 0}]),
            (1, "where", "Where are the two men standing?", [{"text": "in the yard", "start": 31}]),
            (2, "how many", "How many men are there?", [{"text": "Two", "start": 0}]),
            (2, "doing", "What are the two men doing?", [{"text": "standing", "start": 12}]),
            (2, "who", "Who is standing?", [{"text": "Two men", "start": 0}]),
            (2, "where", "Where are the two men standing?", [{"text": "in a yard", "start": 21}]),
        ])
        for example in examples:
            for answer in example.answers:
                end = answer["start"] + len(answer["text"])
                self.assertEqual(example.context[answer["start"] : end], answer["text"])

    def test_disagreeing_numbers_drop_the_question(self):
        examples = image_examples(0, ["Two men are standing in a yard.", "Three men are standing."], LEXICON)
        self.assertNotIn("how many", [example.kind for example in examples])
        self.assertIn("who", [example.kind for example in examples])

    def test_colour_answer_shares_a_colour_word(self):
        riding = "A man in a dark blue shirt is riding a bike."
        examples = image_examples(0, ["A man in a blue shirt.", riding], LEXICON)
        self.assertEqual(summary(examples), [
            (1, "colour", "What colour is the shirt?", [{"text": "dark blue", "start": 11}]),
            (2, "colour", "What colour is the shirt?", [{"text": "blue", "start": 11}]),
        ])
        self.assertEqual(image_examples(0, ["A man in a red shirt.", riding], LEXICON), [])


class LexiconTest(unittest.TestCase):
    def test_nouns_and_ing_verbs_from_their_contexts(self):
        captions = ["A dog is running in a building."] * 5 + ["The tall building is old."]
        lexicon = Lexicon.learn(captions)
        # dog: 5 times, always after "a", always before "is" → noun; building: 6 times, 5 after "a", always before
        # "." or "is" → noun; running: after "is" 5 times, never after a determiner → verb; tall: once → neither
        self.assertEqual(lexicon.ing_verbs, {"running"})
        self.assertEqual(lexicon.nouns, {"dog", "building"})


class BaselineTest(unittest.TestCase):
    def test_best_window_overlap_then_earliest_then_shortest(self):
        # content words {man, riding}; candidates of caption 1: "red", "red bike", "bike" ("a", "is" are edge words,
        # "man", "riding" question words); 2 words before "red" are "riding a" → 1, before "red bike" the same → 1,
        # around "bike": "a red" → 0; caption 2 scores 0. Tie between "red" and "red bike": the shorter wins.
        context = "A man is riding a red bike. A dog sleeps."
        self.assertEqual(overlap_baseline("What is the man riding?", context), "red")


if __name__ == "__main__":
    unittest.main()
