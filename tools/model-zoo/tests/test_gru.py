"""zoo/gru.py: step-wise decoding equals teacher forcing; additive attention masks padding; the ablation pair
differs only by the attention parameters and stays within 10% of each other's size."""
import unittest

import torch

from zoo.decoding import beam_search, greedy
from zoo.gru import GRUConfig, GRUSeq2Seq


def tiny(attention: bool, seed: int = 0) -> GRUSeq2Seq:
    torch.manual_seed(seed)
    config = GRUConfig(vocab_size=30, embed_dim=8, encoder_hidden=8, decoder_hidden=12, attention_dim=6,
                       attention=attention, dropout=0.0)
    return GRUSeq2Seq(config).eval()


class GRUTest(unittest.TestCase):
    def test_stepwise_equals_teacher_forcing(self):
        for attention in (True, False):
            model = tiny(attention)
            source = torch.tensor([[5, 6, 7, 0], [8, 9, 0, 2]])
            mask = (source != 2).long()
            target = torch.tensor([[2, 11, 12], [2, 13, 14]])
            with torch.no_grad():
                full = model(source, mask, target)
                annotations = model.encode(source, mask)
                past, steps = None, []
                for position in range(target.shape[1]):
                    logits, past = model.decode(target[:, position : position + 1], annotations, mask, past)
                    steps.append(logits)
            torch.testing.assert_close(torch.cat(steps, dim=1), full, atol=1e-5, rtol=1e-5)

    def test_attention_ignores_padding(self):
        model = tiny(True)
        source = torch.tensor([[5, 6, 0, 2, 2]])
        mask = torch.tensor([[1, 1, 1, 0, 0]])
        with torch.no_grad():
            padded = model(source, mask, torch.tensor([[2, 11]]))
            weights = model.last_attention  # [1, 2, 5]
            alone = model(source[:, :3], mask[:, :3], torch.tensor([[2, 11]]))
        torch.testing.assert_close(weights.sum(dim=-1), torch.ones(1, 2))
        self.assertLess(float(weights[0, :, 3:].max()), 1e-12)
        torch.testing.assert_close(padded, alone, atol=1e-5, rtol=1e-5)

    def test_decoding_runs_with_beam_reordering(self):
        model = tiny(True, seed=2)
        source = torch.tensor([[5, 6, 7, 0], [8, 9, 0, 2]])
        mask = (source != 2).long()
        self.assertEqual(greedy(model, source, mask, 6, 2, 0, 2), beam_search(model, source, mask, 6, 2, 0, 2, num_beams=1))
        self.assertEqual(len(beam_search(model, source, mask, 6, 2, 0, 2, num_beams=3)), 2)

    def test_full_size_pair_is_matched(self):
        with_attention = GRUSeq2Seq(GRUConfig(vocab_size=8000, attention=True)).parameter_count()
        without = GRUSeq2Seq(GRUConfig(vocab_size=8000, attention=False)).parameter_count()
        # the difference is exactly W_a (640·320) + U_a (640·320 + 320) + v_a (320)
        self.assertEqual(with_attention - without, 640 * 320 + 640 * 320 + 320 + 320)
        self.assertLess((with_attention - without) / with_attention, 0.10)


if __name__ == "__main__":
    unittest.main()
