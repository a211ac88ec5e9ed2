"""zoo/rouge.py against hand-worked cases and the example of rouge-score's README (default tokenisation, no
stemming), the definition tools/eval/src/rouge.ts follows too."""
import unittest

from zoo.rouge import corpus_rouge, longest_common_subsequence, rouge_scores, tokenize


class TokenizeTest(unittest.TestCase):
    def test_lowercases_and_splits_on_everything_outside_a_to_z_and_digits(self):
        self.assertEqual(tokenize("Hello, World! Café-au-lait 3.5"), ["hello", "world", "caf", "au", "lait", "3", "5"])
        self.assertEqual(tokenize("  ...  "), [])


class RougeScoresTest(unittest.TestCase):
    def test_rouge_score_readme_example(self):
        # reference "The quick brown fox jumps over the lazy dog" (9 tokens), hypothesis "The quick brown dog jumps
        # on the log." (8): unigrams the×2 quick brown dog jumps match (6); bigrams "the quick", "quick brown" of 7
        # and 8; LCS "the quick brown jumps the" (5).
        scores = rouge_scores("The quick brown dog jumps on the log.", ["The quick brown fox jumps over the lazy dog"])
        self.assertAlmostEqual(scores["rouge1"].precision, 0.75)
        self.assertAlmostEqual(scores["rouge1"].recall, 6 / 9)
        self.assertAlmostEqual(scores["rouge1"].fmeasure, 0.7058823529411765)
        self.assertAlmostEqual(scores["rouge2"].precision, 2 / 7)
        self.assertAlmostEqual(scores["rouge2"].recall, 2 / 8)
        self.assertAlmostEqual(scores["rouge2"].fmeasure, 28 / 105)
        self.assertAlmostEqual(scores["rougeL"].precision, 0.625)
        self.assertAlmostEqual(scores["rougeL"].recall, 5 / 9)
        self.assertAlmostEqual(scores["rougeL"].fmeasure, 0.5882352941176471)

    def test_one_substituted_word(self):
        # "the cat sat on the mat" vs "the cat is on the mat": bigrams "the cat", "on the", "the mat" of 5 each
        self.assertAlmostEqual(rouge_scores("the cat sat on the mat", ["the cat is on the mat"])["rouge2"].fmeasure, 0.6)

    def test_repeated_words_are_clipped(self):
        # "the" three times against one "the": overlap 1, precision 1/3, recall 1/2, F = 2·(1/6)/(5/6) = 0.4
        score = rouge_scores("the the the", ["the cat"])["rouge1"]
        self.assertEqual((score.precision, score.recall), (1 / 3, 1 / 2))
        self.assertAlmostEqual(score.fmeasure, 0.4)

    def test_longest_common_subsequence_of_a_textbook_example(self):
        # CLRS: LCS(ABCBDAB, BDCABA) = 4 (e.g. BCBA)
        self.assertEqual(longest_common_subsequence(list("ABCBDAB"), list("BDCABA")), 4)
        score = rouge_scores("a b c b d a b", ["b d c a b a"])["rougeL"]
        self.assertAlmostEqual(score.precision, 4 / 7)
        self.assertAlmostEqual(score.recall, 4 / 6)

    def test_each_metric_takes_its_best_reference(self):
        # "a b c d" vs "d c b a": ROUGE-1 1.0, ROUGE-2 0, LCS 1 (F 0.25); vs "a b": ROUGE-1 F 2/3, ROUGE-2 F 0.5
        # (1 of 3 bigrams, 1 of 1), LCS 2 (F 2/3)
        scores = rouge_scores("a b c d", ["d c b a", "a b"])
        self.assertAlmostEqual(scores["rouge1"].fmeasure, 1.0)
        self.assertAlmostEqual(scores["rouge2"].fmeasure, 0.5)
        self.assertAlmostEqual(scores["rougeL"].fmeasure, 2 / 3)

    def test_empty_texts_score_zero(self):
        for hypothesis, reference in [("", "a dog"), ("!!", "a dog"), ("a dog", "--")]:
            for score in rouge_scores(hypothesis, [reference]).values():
                self.assertEqual((score.precision, score.recall, score.fmeasure), (0.0, 0.0, 0.0))
        self.assertEqual(rouge_scores("dog", ["dog"])["rouge2"].fmeasure, 0.0)  # no bigram on either side

    def test_needs_a_reference(self):
        with self.assertRaisesRegex(ValueError, "references must not be empty"):
            rouge_scores("a", [])


class CorpusRougeTest(unittest.TestCase):
    def test_mean_f_measure_times_100(self):
        self.assertEqual(corpus_rouge(["a b", "c"], [["a b"], ["d"]]), {"rouge1": 50.0, "rouge2": 50.0, "rougeL": 50.0})

    def test_lengths_must_agree(self):
        with self.assertRaisesRegex(ValueError, r"as many reference lists as hypotheses \(2\), got 1"):
            corpus_rouge(["a", "b"], [["a"]])


if __name__ == "__main__":
    unittest.main()
