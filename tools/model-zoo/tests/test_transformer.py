"""zoo/transformer.py and zoo/decoding.py: cached decoding equals full decoding; masks; export round trip."""
import tempfile
import unittest
from pathlib import Path

import torch

from zoo.decoding import beam_search, greedy
from zoo.transformer import MarianMT, TransformerConfig, causal_mask, sinusoidal_table


def tiny_model(seed=0):
    torch.manual_seed(seed)
    config = TransformerConfig(vocab_size=40, d_model=16, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                               decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, dropout=0.0)
    return MarianMT(config).eval()


class TransformerTest(unittest.TestCase):
    def test_causal_mask_with_past(self):
        mask = causal_mask(2, 3, torch.zeros(1))  # queries at absolute positions 3 and 4, keys 0..4
        blocked = (mask[0, 0] < 0).tolist()
        self.assertEqual(blocked, [[False, False, False, False, True], [False] * 5])

    def test_sinusoidal_table_halves(self):
        table = sinusoidal_table(4, 6)
        # position 1, frequency index 1: angle = 1 / 10000^(2/6) = 0.0464159
        self.assertAlmostEqual(float(table[1, 1]), torch.sin(torch.tensor(10000 ** (-2 / 6))).item(), places=6)
        self.assertAlmostEqual(float(table[1, 4]), torch.cos(torch.tensor(10000 ** (-2 / 6))).item(), places=6)

    def test_cached_steps_match_full_forward(self):
        model = tiny_model()
        source = torch.tensor([[5, 6, 7, 0, 2], [8, 9, 0, 2, 2]])
        mask = (source != 2).long()
        target = torch.tensor([[2, 11, 12, 13], [2, 14, 15, 16]])
        with torch.no_grad():
            full = model(source, mask, target)
            encoded = model.encode(source, mask)
            past, steps = None, []
            for position in range(target.shape[1]):
                logits, past = model.decode(target[:, position : position + 1], encoded, mask, past)
                steps.append(logits)
        torch.testing.assert_close(torch.cat(steps, dim=1), full, atol=1e-5, rtol=1e-5)

    def test_padding_does_not_change_encoding(self):
        model = tiny_model()
        with torch.no_grad():
            alone = model.encode(torch.tensor([[5, 6, 0]]), torch.ones(1, 3, dtype=torch.long))
            padded = model.encode(torch.tensor([[5, 6, 0, 2, 2]]), torch.tensor([[1, 1, 1, 0, 0]]))
        torch.testing.assert_close(padded[:, :3], alone, atol=1e-5, rtol=1e-5)

    def test_beam_one_equals_greedy(self):
        model = tiny_model(3)
        source = torch.tensor([[5, 6, 7, 0], [8, 9, 0, 2]])
        mask = (source != 2).long()
        self.assertEqual(
            greedy(model, source, mask, 8, 2, 0, 2),
            [ids for ids in beam_search(model, source, mask, 8, 2, 0, 2, num_beams=1)],
        )

    def test_wide_beam_finds_the_exhaustive_optimum(self):
        # vocabulary of 6 (eos 0, pad 2 never generated), at most 3 new tokens (the third forced to eos):
        # 1 + 4 + 16 = 21 candidate outputs; with 32 beams nothing is pruned, so beam search must return the
        # candidate with the best sum-of-log-probabilities / length, found here by enumeration.
        import itertools

        torch.manual_seed(5)
        config = TransformerConfig(vocab_size=6, d_model=8, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                                   decoder_attention_heads=2, encoder_ffn_dim=16, decoder_ffn_dim=16, dropout=0.0)
        model = MarianMT(config).eval()
        with torch.no_grad():
            model.model.shared.weight.mul_(8.0)  # sharper distributions so that the candidates differ clearly
        source = torch.tensor([[3, 4, 5, 0]])
        mask = torch.ones_like(source)

        def score(ids):
            tokens = torch.tensor([[2] + ids[:-1]])
            with torch.no_grad():
                logits = model(source, mask, tokens)[0]
            log_probs = torch.log_softmax(logits, dim=-1)  # pad is masked after normalising, as HF generate does
            # the third token is forced to eos at log-probability 0, as HF's ForcedEOSTokenLogitsProcessor does
            terms = [0.0 if i == 2 else float(log_probs[i, token]) for i, token in enumerate(ids)]
            return sum(terms) / len(ids)

        words = [1, 3, 4, 5]
        candidates = [[0]] + [[a, 0] for a in words] + [[a, b, 0] for a, b in itertools.product(words, words)]
        best = max(candidates, key=score)
        found = beam_search(model, source, mask, 3, 2, 0, 2, num_beams=32)[0]
        self.assertAlmostEqual(score(found), score(best), places=5)

    def test_export_produces_optimum_names(self):
        from zoo.export_onnx import export_seq2seq
        import onnx

        model = tiny_model()
        with tempfile.TemporaryDirectory() as folder:
            summary = export_seq2seq(model, Path(folder))
            decoder = onnx.load(str(Path(folder) / "onnx" / "decoder_model_merged.onnx"))
        self.assertEqual([i.name for i in decoder.graph.input][:3], ["input_ids", "encoder_attention_mask", "encoder_hidden_states"])
        self.assertIn("past_key_values.1.decoder.value", [i.name for i in decoder.graph.input])
        self.assertIn("present.1.decoder.key", [o.name for o in decoder.graph.output])
        self.assertIn("/model/decoder/layers.1/encoder_attn/Softmax", summary["decoder_softmax"])
        self.assertEqual(summary["encoder_softmax"], ["/model/encoder/layers.0/self_attn/Softmax", "/model/encoder/layers.1/self_attn/Softmax"])


if __name__ == "__main__":
    unittest.main()
