"""zoo/squad_metrics.py: the official SQuAD normalisation, exact match and F1 on hand-worked cases — the cases of
tools/eval/src/squad-metrics.test.ts, plus the places where Python and JavaScript regular expressions differ."""
import unittest

from zoo.squad_metrics import exact_match, f1_score, normalize_answer, squad_scores


class NormalizeTest(unittest.TestCase):
    def test_lower_punctuation_articles_white_space(self):
        self.assertEqual(normalize_answer("The  Cat's, hat!"), "cats hat")
        self.assertEqual(normalize_answer("An apple a day"), "apple day")
        self.assertEqual(normalize_answer("theater"), "theater")  # articles only as whole words
        self.assertEqual(normalize_answer("  "), "")

    def test_word_boundaries_and_white_space_as_in_javascript(self):
        # JavaScript's \b sees "é" as a non-word character, so the "a" after it is an article
        self.assertEqual(normalize_answer("éa b"), "é b")
        self.assertEqual(normalize_answer("red\u00a0ball"), "red ball")  # no-break space is \s in JavaScript
        self.assertEqual(normalize_answer("red\x1cball"), "red\x1cball")  # U+001C is not (Python's split says it is)


class ScoreTest(unittest.TestCase):
    def test_exact_match_against_best_gold(self):
        self.assertEqual(exact_match("The Eiffel tower.", ["Paris", "eiffel tower"]), 1.0)
        self.assertEqual(exact_match("tower", ["eiffel tower"]), 0.0)

    def test_f1_by_hand_worked_counts(self):
        # "cat sat" vs "cat sat down": 2 common, P = 1, R = 2/3 → F1 = 0.8
        self.assertAlmostEqual(f1_score("the cat sat", ["a cat sat down"]), 0.8, places=12)
        # repeated tokens are clipped: "cat cat dog" vs "cat dog dog" → 2 common, P = R = 2/3
        self.assertAlmostEqual(f1_score("cat cat dog", ["cat dog dog"]), 2 / 3, places=12)
        self.assertAlmostEqual(f1_score("red", ["blue", "red ball"]), 2 / 3, places=12)
        self.assertEqual(f1_score("nothing", ["else"]), 0.0)

    def test_no_gold_answers_means_unanswerable(self):
        self.assertEqual(exact_match("", []), 1.0)
        self.assertEqual(f1_score("", []), 1.0)
        self.assertEqual(exact_match("a dog", []), 0.0)
        self.assertEqual(f1_score("the", ["dog"]), 0.0)  # normalises to empty

    def test_set_scores_are_percent_means(self):
        # EM: 1 ("a dog" = "dog") and 0; F1: 1 and 0 ("cat" vs "bird") → 50 / 50
        scores = squad_scores(["a dog", "cat"], [["dog"], ["a bird"]])
        self.assertEqual(scores, {"exact_match": 50.0, "f1": 50.0, "count": 2})


if __name__ == "__main__":
    unittest.main()
