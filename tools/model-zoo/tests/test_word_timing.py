"""zoo/word_timing.py: word timing and WER on the hand-worked examples of the TypeScript they mirror
(core-attention's dtw.ts, median-filter.ts, standardize-alignment-heads.ts; audio's token-boundaries.ts,
window-words.ts; tools/eval's word-error-rate.ts, word-boundary-error.ts)."""
import unittest

import numpy as np
import torch

from zoo import word_timing as timing


class TimingTest(unittest.TestCase):
    def test_dtw_path(self):
        # x = [[1, 9, 9], [9, 1, 1]]: (0,0) → (1,1) → (1,2), cost 3
        rows, columns = timing.dynamic_time_warping(np.array([[1.0, 9, 9], [9, 1, 1]]))
        self.assertEqual((rows, columns), ([0, 1, 1], [0, 1, 2]))

    def test_dtw_ties_prefer_the_horizontal_step(self):
        # all costs equal: every cell past the first is reached by the horizontal step, so the backtrace walks left
        # along the last row and meets row 0 only at column 0
        rows, columns = timing.dynamic_time_warping(np.zeros((2, 3)))
        self.assertEqual((rows, columns), ([0, 1, 1, 1], [0, 0, 1, 2]))

    def test_median_filter_reflects_without_repeating_the_edge(self):
        # width 3, padded [2 | 1 2 9 3 | 9]
        np.testing.assert_array_equal(timing.median_filter(np.array([1.0, 2, 9, 3]), 3), [2, 2, 3, 9])
        np.testing.assert_array_equal(timing.median_filter(np.array([5.0, 1, 4]), 7), [5, 1, 4])  # too short: unchanged

    def test_standardize_over_tokens(self):
        # frame 0 has (0.2, 0.6): mean 0.4, std 0.2 → (−1, 1); frame 1 (0.8, 0.4) → (1, −1); a constant column → 0
        weights = np.array([[[0.2, 0.8, 0.5], [0.6, 0.4, 0.5]]])
        np.testing.assert_allclose(timing.standardize_over_tokens(weights), [[[-1, 1, 0], [1, -1, 0]]], atol=1e-12)

    def test_token_boundaries_of_a_block_diagonal(self):
        # a prompt row, then tokens A (frames 0–1), B (2–3) and the end row (4–5); median width 1 keeps it as it is
        weights = np.array([[[1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 0, 0, 1, 1]]],
                           dtype=np.float32)
        self.assertEqual(timing.token_boundaries(weights, first_row=1, tokens=2, has_end_row=True, median_width=1),
                         [0, 2, 4])
        self.assertEqual(timing.token_boundaries(weights[:, :3], first_row=1, tokens=2, has_end_row=False,
                                                 median_width=1), [0, 2, 6])

    def test_alignment_weights_pick_heads_and_renormalise_over_the_audio_frames(self):
        cross = torch.zeros(2, 2, 2, 4)  # [L, H, Q, S]
        cross[1, 0] = torch.tensor([[1.0, 3.0, 5.0, 5.0], [0.0, 0.0, 1.0, 1.0]])
        cross[0, 1] = torch.tensor([[2.0, 2.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]])
        # frames beyond the audio (2 of 4) are dropped before renormalising; a row with no weight there stays zero
        np.testing.assert_allclose(timing.alignment_weights(cross, [(1, 0), (0, 1)], frames=2),
                                   [[[0.25, 0.75], [0, 0]], [[0.5, 0.5], [1, 0]]])

    def test_timed_words_group_at_leading_spaces(self):
        pieces = [piece.encode("utf-8") for piece in ["hel", "lo", ",", " world"]]
        text, words = timing.timed_words([0, 1, 2, 3], pieces.__getitem__, [0, 5, 10, 12, 20], 0.35)
        self.assertEqual(text, "hello, world")
        # 20 ms per position; the end is clamped to the audio's 0.35 s
        self.assertEqual(words, [{"word": "hello,", "start": 0.0, "end": 0.24},
                                 {"word": "world", "start": 0.24, "end": 0.35}])


class WordErrorTest(unittest.TestCase):
    def test_normalize_words(self):
        self.assertEqual(timing.normalize_words("Hello, World! Don't stop—now."),
                         ["hello", "world", "dont", "stop", "now"])

    def test_alignment_prefers_match_then_deletion_then_insertion(self):
        self.assertEqual(timing.align_words(["a", "b", "c"], ["a", "x", "c", "d"]),
                         [("match", 0, 0), ("substitution", 1, 1), ("match", 2, 2), ("insertion", None, 3)])

    def test_counts_and_boundary_errors(self):
        scores = timing.WordScores()
        scores.add("The cat sat on the mat.", "the cat sit on mat", [], [])
        scores.add("a dog", "A cat",
                   [{"word": "a", "start": 0.0, "end": 0.5}, {"word": "dog", "start": 0.5, "end": 1.0}],
                   [{"word": "A", "start": 0.1, "end": 0.45}, {"word": "cat", "start": 0.45, "end": 1.0}])
        summary = scores.summary()
        self.assertEqual((summary["substitutions"], summary["deletions"], summary["insertions"]), (2, 1, 0))
        self.assertEqual(summary["reference_words"], 8)
        self.assertAlmostEqual(summary["wer"], 3 / 8)
        self.assertEqual((summary["timed_words"], summary["start_median_ms"], summary["end_median_ms"]), (1, 100, 50))

    def test_quantiles_interpolate_linearly(self):
        scores = timing.WordScores()
        scores.start_errors = [0.010, 0.001, 0.004, 0.002]
        scores.end_errors = [0.010, 0.001, 0.004, 0.002]
        summary = scores.summary()
        # sorted 1, 2, 4, 10 ms: median between 2 and 4; p90 at position 0.9 · 3 = 2.7, 4 + 0.7 · 6 = 8.2
        self.assertEqual((summary["start_median_ms"], summary["start_p90_ms"]), (3, 8))

    def test_proportional_baseline(self):
        self.assertEqual(timing.proportional_words("ab c", 3.0),
                         [{"word": "ab", "start": 0.0, "end": 2.0}, {"word": "c", "start": 2.0, "end": 3.0}])


if __name__ == "__main__":
    unittest.main()
