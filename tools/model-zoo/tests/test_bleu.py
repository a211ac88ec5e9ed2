"""zoo/bleu.py against hand-worked corpus BLEU cases (sacreBLEU defaults: 13a, exp smoothing, 4-grams)."""
import math
import unittest

from zoo.bleu import corpus_bleu, tokenize_13a


class Tokenize13aTest(unittest.TestCase):
    def test_splits_punctuation_but_not_numbers(self):
        self.assertEqual(tokenize_13a("Hello, world."), "Hello , world .")
        self.assertEqual(tokenize_13a("It costs 3.5 or 1,000."), "It costs 3.5 or 1,000 .")
        self.assertEqual(tokenize_13a("a 5-year-old (boy)"), "a 5 - year-old ( boy )")
        self.assertEqual(tokenize_13a("&quot;hi&quot;  there"), '" hi " there')


class CorpusBleuTest(unittest.TestCase):
    def test_identical_is_100(self):
        self.assertAlmostEqual(corpus_bleu(["Ein Mann läuft ."], ["Ein Mann läuft."]).score, 100.0)

    def test_one_substitution_with_exp_smoothing(self):
        # hyp "the cat is on the mat" vs ref "the cat sat on the mat", 6 tokens each, BP 1:
        # p1 5/6, p2 3/5 (the cat, on the, the mat), p3 1/4 (on the mat), p4 0/3 → exp smoothing 1/(2·3)
        # BLEU = 100 · (5/6 · 3/5 · 1/4 · 1/6)^(1/4) = 100 · 0.0208333^(1/4) = 37.9918
        result = corpus_bleu(["the cat is on the mat"], ["the cat sat on the mat"])
        self.assertAlmostEqual(result.score, 100 * (5 / 6 * 3 / 5 * 1 / 4 * 1 / 6) ** 0.25, places=6)
        self.assertAlmostEqual(result.score, 37.9918, places=3)

    def test_brevity_penalty(self):
        # all n-grams match, hyp 5 tokens vs ref 8: BP = exp(1 - 8/5) = exp(-0.6) = 0.548812
        result = corpus_bleu(["a b c d e"], ["a b c d e f g h"])
        self.assertAlmostEqual(result.brevity_penalty, math.exp(-0.6), places=9)
        self.assertAlmostEqual(result.score, 54.8812, places=3)

    def test_clipping_and_repeated_smoothing(self):
        # hyp "the the the the" vs ref "the cat": p1 clipped 1/4 = 25; p2 0/3 → 100/(2·3) = 16.667;
        # p3 0/2 → 100/(4·2) = 12.5; p4 0/1 → 100/(8·1) = 12.5; BP 1 (4 ≥ 2)
        # BLEU = (25 · 16.667 · 12.5 · 12.5)^(1/4) = 65104.17^(1/4) = 15.9737
        result = corpus_bleu(["the the the the"], ["the cat"])
        self.assertEqual(result.matches, [1, 0, 0, 0])
        self.assertAlmostEqual(result.score, (25 * (100 / 6) * 12.5 * 12.5) ** 0.25, places=6)

    def test_too_short_for_4grams_scores_zero(self):
        self.assertEqual(corpus_bleu(["the cat"], ["the cat sat on the mat"]).score, 0.0)

    def test_statistics_are_pooled_over_the_corpus(self):
        # sentence 1 identical (4 tokens), sentence 2 "x y" vs "u v": pooled p1 4/6, p2 3/4, p3 2/2, p4 1/1,
        # BP 1 (6 = 6) → (4/6 · 3/4 · 1 · 1)^(1/4) = 0.5^(1/4) = 0.840896
        result = corpus_bleu(["a b c d", "x y"], ["a b c d", "u v"])
        self.assertAlmostEqual(result.score, 100 * 0.5**0.25, places=6)

    def test_length_mismatch_raises(self):
        with self.assertRaises(ValueError):
            corpus_bleu(["a"], ["a", "b"])


if __name__ == "__main__":
    unittest.main()
