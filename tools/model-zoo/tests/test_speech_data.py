"""zoo/speech_data.py: word spans from digital silence, re-timed joins, the room and noise models, Whisper's log-mel
against mel_filters.npz and a float64 DFT written out, and one real espeak-ng utterance with its gold boundaries."""
import shutil
import unittest

import numpy as np
import torch

from zoo import speech_data
from zoo.data import DataError, resolve_data_dir


class WordSpanTest(unittest.TestCase):
    def test_spans_split_at_long_zero_runs_only(self):
        # zero runs of 2 (inside a word), 4 and 5 (between words); minimum silence 3
        samples = np.array([0, 0, 1, 2, 0, 0, 5, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 4, 0])
        self.assertEqual(speech_data.word_spans(samples, 3), [(2, 7), (11, 12), (17, 18)])
        self.assertEqual(speech_data.word_spans(np.zeros(5), 3), [])

    def test_join_puts_each_word_at_known_samples(self):
        signal, spans = speech_data.join_words([np.ones(3), 2 * np.ones(2)], pauses=[4], lead=1, trail=2)
        np.testing.assert_array_equal(signal, [0, 1, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0])
        self.assertEqual(spans, [(1, 4), (8, 10)])

    def test_wav_payload_reads_espeak_streaming_header(self):
        header = (b"RIFF" + (0x7FFFFFFF).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
                  + (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + (22050).to_bytes(4, "little")
                  + (44100).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
                  + b"data" + (0x7FFFFFFF).to_bytes(4, "little"))
        samples = speech_data.wav_payload(header + np.array([1, -2, 300], dtype="<i2").tobytes() + b"\x07", 22050)
        np.testing.assert_array_equal(samples, [1, -2, 300])
        with self.assertRaises(DataError):
            speech_data.wav_payload(header, 16000)


def block_utterance(values: list[int], word_seconds: float, pause_seconds: float, edge_seconds: float):
    """An utterance whose word i is `values[i]` held for word_seconds, between pauses of silence, with its words."""
    rate = speech_data.SAMPLE_RATE
    samples, words, at = [np.zeros(round(edge_seconds * rate), np.int16)], [], edge_seconds
    for index, value in enumerate(values):
        samples.append(np.full(round(word_seconds * rate), value, np.int16))
        words.append({"word": f"w{value}", "start": at, "end": at + word_seconds})
        at += word_seconds
        gap = edge_seconds if index + 1 == len(values) else pause_seconds
        samples.append(np.zeros(round(gap * rate), np.int16))
        at += gap
    return np.concatenate(samples), words


class JoinedWindowTest(unittest.TestCase):
    def test_windows_hold_whole_words_of_the_end_of_one_and_the_start_of_the_next(self):
        rate, chunk = speech_data.SAMPLE_RATE, 6 * speech_data.SAMPLE_RATE
        first = block_utterance([101, 102, 103, 104, 105, 106, 107], 0.4, 0.12, 0.2)
        second = block_utterance([201, 202, 203, 204, 205, 206, 207, 208], 0.35, 0.2, 0.3)
        kinds = set()
        for seed in range(200):
            samples, words = speech_data.joined_window(first, second, chunk, np.random.RandomState(seed))
            self.assertEqual(samples.dtype, np.int16)
            self.assertLessEqual(len(samples), chunk)
            values = [int(word["word"][1:]) for word in words]
            from_first = [value for value in values if value < 200]
            from_second = [value for value in values if value > 200]
            # a suffix of the first utterance's words, then a prefix of the second's
            self.assertEqual(values, from_first + from_second)
            self.assertEqual(from_first, list(range(108 - len(from_first), 108)) if from_first else [])
            self.assertEqual(from_second, list(range(201, 201 + len(from_second))))
            self.assertTrue(values)
            covered = np.zeros(len(samples), bool)
            for word, value in zip(words, values):
                start, end = round(word["start"] * rate), round(word["end"] * rate)
                self.assertTrue(0 <= start < end <= len(samples))
                np.testing.assert_array_equal(samples[start:end], value)  # the word, whole, where its times say
                covered[start:end] = True
            self.assertFalse(samples[~covered].any())  # nothing else of either utterance: no cut word
            kinds.add((len(from_first) == 7, len(from_first) > 0, len(from_second) == 8, len(from_second) > 0))
        self.assertIn((False, True, False, True), kinds)  # end of one, start of the next
        self.assertIn((False, False, False, True), kinds)  # the start of a sentence only
        self.assertIn((True, True, False, True), kinds)  # one whole sentence and the start of the next
        self.assertIn((False, True, True, True), kinds)  # the end of one and the whole next


class RoomAndNoiseTest(unittest.TestCase):
    def test_impulse_response_has_the_requested_direct_to_reverberant_ratio(self):
        response = speech_data.room_impulse_response(np.random.default_rng(0), rt60=0.3, direct_to_reverberant_db=10.0)
        self.assertEqual(len(response), 4800)
        self.assertEqual(response[0], 1.0)
        np.testing.assert_array_equal(response[1:32], 0.0)  # nothing before 2 ms
        self.assertAlmostEqual(10 * np.log10(1.0 / np.sum(response[1:] ** 2)), 10.0, places=6)
        first, last = np.sum(response[32:1600] ** 2), np.sum(response[3200:] ** 2)
        self.assertGreater(first / last, 100)  # decays ~40 dB over the last two thirds of RT60

    def test_pink_noise_slope(self):
        noise = speech_data.colored_noise(np.random.default_rng(1), 1 << 16, 1.0)
        self.assertAlmostEqual(float(np.std(noise)), 1.0, places=6)
        power = np.abs(np.fft.rfft(noise)) ** 2
        frequencies = np.fft.rfftfreq(len(noise))
        band = (frequencies > 1e-3) & (frequencies < 0.4)
        slope = np.polyfit(np.log(frequencies[band]), np.log(power[band]), 1)[0]
        self.assertAlmostEqual(slope, -1.0, delta=0.1)


class LogMelTest(unittest.TestCase):
    def test_filters_equal_whispers_mel_filters_npz(self):
        try:
            path = resolve_data_dir() / "hf-reference" / "whisper-assets" / "mel_filters.npz"
        except DataError:
            self.skipTest("shared data not found")
        reference = np.load(path)["mel_80"]
        np.testing.assert_allclose(speech_data.mel_filters(), reference, rtol=0, atol=1e-7)

    def test_log_mel_equals_a_float64_dft_written_out(self):
        audio = np.random.default_rng(2).standard_normal(1600) * 0.1
        n_fft, hop = speech_data.N_FFT, speech_data.HOP_LENGTH
        padded = np.pad(audio, n_fft // 2, mode="reflect")
        window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # periodic Hann
        frames = len(audio) // hop
        k = np.arange(n_fft // 2 + 1)[:, None]
        basis = np.exp(-2j * np.pi * k * np.arange(n_fft)[None, :] / n_fft)  # X[k] = Σ_t x[t] e^{−2πi tk/N}
        power = np.stack([np.abs(basis @ (padded[f * hop : f * hop + n_fft] * window)) ** 2 for f in range(frames)], axis=1)
        levels = np.log10(np.maximum(speech_data.mel_filters().astype(np.float64) @ power, 1e-10))
        expected = (np.maximum(levels, levels.max() - 8.0) + 4.0) / 4.0
        filters = torch.from_numpy(speech_data.mel_filters())
        actual = speech_data.log_mel(torch.from_numpy(audio.astype(np.float32))[None], filters)[0].numpy()
        self.assertEqual(actual.shape, (80, 10))
        np.testing.assert_allclose(actual, expected, rtol=0, atol=2e-4)

    def test_silence_is_minus_one_and_a_half(self):
        # log10(1e-10) = −10 everywhere, the clamp to max − 8 keeps it, (−10 + 4) / 4 = −1.5
        filters = torch.from_numpy(speech_data.mel_filters())
        features = speech_data.log_mel(speech_data.padded_audio([np.zeros(100, dtype=np.int16)], 3200), filters)
        self.assertEqual(tuple(features.shape), (1, 80, 20))
        torch.testing.assert_close(features, torch.full_like(features, -1.5))


@unittest.skipIf(shutil.which("espeak-ng") is None, "espeak-ng not installed")
class EspeakTest(unittest.TestCase):
    def test_utterance_words_match_the_energy_envelope(self):
        spec = speech_data.SplitSpec("t", "train", 1, ("en-us",), ("m1",), seed=3, max_seconds=10.0)
        result = speech_data.make_utterance((spec, 0, "A dog runs in the park."))
        words = result["words"]
        self.assertEqual([word["word"] for word in words], ["A", "dog", "runs", "in", "the", "park."])
        for before, after in zip(words, words[1:]):
            self.assertLess(before["start"], before["end"])
            self.assertGreaterEqual(after["start"] - before["end"], spec.variation.pause_seconds[0] - 1e-4)
        self.assertEqual(len(result["samples"]), round(result["duration"] * speech_data.SAMPLE_RATE))
        check = result["check"]
        differences = np.abs(check["start"] + check["end"])
        self.assertLess(np.median(differences), 0.003)  # within the 5 ms smoothing window's half width
        self.assertLess(differences.max(), 0.02)  # a weak final "s" ends up to ~12 ms before its gold end
        self.assertLess(check["outside_energy"], 1e-5)
        again = speech_data.make_utterance((spec, 0, "A dog runs in the park."))
        np.testing.assert_array_equal(again["samples"], result["samples"])  # seeded: the same bytes


if __name__ == "__main__":
    unittest.main()
