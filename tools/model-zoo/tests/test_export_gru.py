"""zoo/export_gru.py and recipes/gru_ablation_finish.py: the export modules compute what zoo/gru.py computes, the ONNX
files have the recurrent layout's names and the Softmax the runtime taps, float16 rounding is exact, and the ablation
tables and the budget rule work on hand-made numbers."""
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from recipes.gru_ablation_finish import ablation_table, delta_table, same_epochs
from zoo.export_gru import (
    DECODER_INPUTS,
    DECODER_OUTPUTS,
    SOFTMAX_NODE,
    DecoderForExport,
    EncoderForExport,
    export_gru,
    node_check_runs,
    round_to_float16,
)
from zoo.gru import GRUConfig, GRUSeq2Seq


def tiny(attention: bool = True) -> GRUSeq2Seq:
    torch.manual_seed(3)
    config = GRUConfig(vocab_size=600, embed_dim=8, encoder_hidden=6, decoder_hidden=10, attention_dim=5,
                       attention=attention, dropout=0.0)
    return GRUSeq2Seq(config).eval()


SOURCE = torch.tensor([[5, 6, 7, 8, 0], [9, 10, 0, 2, 2], [11, 0, 2, 2, 2]])  # right-padded with pad id 2
MASK = (SOURCE != 2).long()


class ExportModulesTest(unittest.TestCase):
    @torch.no_grad()
    def test_encoder_without_packing_equals_encode(self):
        model = tiny()
        torch.testing.assert_close(EncoderForExport(model)(SOURCE, MASK), model.encode(SOURCE, MASK),
                                   atol=1e-6, rtol=1e-6)

    @torch.no_grad()
    def test_decoder_steps_equal_decode(self):
        """Three steps: the first computes s_0 from the encoder output (past_state ignored), later ones carry it."""
        model = tiny()
        step = DecoderForExport(model)
        annotations = model.encode(SOURCE, MASK)
        tokens, past = torch.full((3, 1), 2), None
        state = torch.full((3, 10), 7.0)  # ignored on the first step
        for position in range(3):
            logits, past = model.decode(tokens, annotations, MASK, past)
            exported_logits, exported_state, weights = step(tokens, MASK, annotations, state,
                                                            torch.tensor([position > 0]))
            torch.testing.assert_close(exported_logits, logits, atol=1e-6, rtol=1e-6)
            torch.testing.assert_close(exported_state, past[0][0], atol=1e-6, rtol=1e-6)
            torch.testing.assert_close(weights, model.last_attention[:, :, None, :], atol=1e-6, rtol=1e-6)
            self.assertEqual(float(weights[2, 0, 0, 2:].max()), 0.0)  # row 3 has 2 real tokens
            tokens, state = logits[:, -1].argmax(dim=-1, keepdim=True), exported_state

    def test_round_to_float16_is_exact_and_idempotent(self):
        model = round_to_float16(tiny())
        for tensor in model.parameters():
            torch.testing.assert_close(tensor, tensor.half().float(), atol=0, rtol=0)


class ExportFilesTest(unittest.TestCase):
    def test_layout_names_shapes_and_softmax(self):
        model = tiny()
        with tempfile.TemporaryDirectory() as folder:
            summary = export_gru(model, Path(folder), float16=True)
            encoder = onnx.load(str(Path(folder) / "onnx" / "encoder_model.onnx")).graph
            decoder = onnx.load(str(Path(folder) / "onnx" / "decoder_model_merged.onnx")).graph
        self.assertEqual([value.name for value in encoder.input], ["input_ids", "attention_mask"])
        self.assertEqual([value.name for value in encoder.output], ["last_hidden_state"])
        self.assertEqual([value.name for value in decoder.input], DECODER_INPUTS)
        self.assertEqual([value.name for value in decoder.output], DECODER_OUTPUTS)
        shapes = {value.name: [dim.dim_param or dim.dim_value for dim in value.type.tensor_type.shape.dim]
                  for value in [*decoder.input, *decoder.output]}
        self.assertEqual(shapes["past_state"], ["batch_size", 10])
        self.assertEqual(shapes["present_state"], ["batch_size", 10])
        self.assertEqual(shapes["use_cache_branch"], [1])
        self.assertEqual(shapes["cross_attentions.0"], ["batch_size", 1, 1, "encoder_sequence_length"])
        self.assertEqual(summary["decoder_softmax"], [SOFTMAX_NODE])
        # the tied output projection (600 × 8) is one stored matrix plus a Transpose, and large ones are float16
        self.assertEqual(summary["decoder"]["transposes_shared"], 1)
        stored = {init.name: numpy_helper.to_array(init) for init in decoder.initializer}
        self.assertTrue(any(array.dtype == np.float16 for array in stored.values()))

    def test_model_without_attention_is_refused(self):
        with tempfile.TemporaryDirectory() as folder, self.assertRaises(ValueError):
            export_gru(tiny(attention=False), Path(folder))

    def test_node_check_runs_follow_the_layout(self):
        runs = node_check_runs(tiny(), [[5, 6, 7, 0], [8, 0]], steps=3)
        self.assertEqual([run["file"] for run in runs], ["onnx/encoder_model.onnx"] + ["onnx/decoder_model_merged.onnx"] * 3)
        self.assertEqual(runs[0]["inputs"]["attention_mask"]["data"], [1, 1, 1, 1, 1, 1, 0, 0])
        self.assertEqual([run["inputs"]["use_cache_branch"]["data"] for run in runs[1:]], [[False], [True], [True]])
        self.assertEqual(runs[1]["inputs"]["input_ids"]["data"], [2, 2])  # decoder start
        self.assertEqual(runs[2]["inputs"]["past_state"]["data"], runs[1]["expected"]["present_state"]["data"])
        self.assertEqual(runs[1]["expected"]["cross_attentions.0"]["dims"], [2, 1, 1, 4])


class AblationTablesTest(unittest.TestCase):
    HISTORY = [{"epoch": 1, "train_seconds": 1205.2}, {"epoch": 2, "train_seconds": 1808.4},
               {"epoch": 3, "train_seconds": 2385.5}, {"epoch": 4, "train_seconds": 3258.6}]

    def test_same_epoch_budget(self):
        self.assertEqual(same_epochs(self.HISTORY, 3)["epoch"], 3)
        self.assertEqual(same_epochs(self.HISTORY, 9)["epoch"], 4)  # a shorter run: its last epoch
        self.assertEqual(same_epochs(self.HISTORY, 0)["epoch"], 1)  # never less than one epoch

    def test_tables(self):
        systems = [{"key": "gru-plain", "name": "plain", "parameters": 6912000, "train_minutes": 42.04},
                   {"key": "gru-attention", "name": "attention", "parameters": 7324672, "train_minutes": 41.96}]
        scores = {("gru-plain", "test_2016_flickr"): (20.0, 21.5), ("gru-attention", "test_2016_flickr"): (27.25, 28.0),
                  ("gru-plain", "test_2017_flickr"): (15.0, 16.0), ("gru-attention", "test_2017_flickr"): (20.5, 20.0)}
        rows = [{"system": system, "split": split, "decoding": decoding, "bleu": bleu}
                for (system, split), pair in scores.items() for decoding, bleu in zip(("greedy", "beam 4"), pair)]
        metrics = {"systems": systems, "rows": rows}
        self.assertIn("| attention | 7,324,672 | 42.0 | 27.25 | 28.00 | 20.50 | 20.00 |", ablation_table(metrics))
        delta = delta_table(metrics).splitlines()[2:]
        self.assertEqual(delta, ["| test_2016_flickr | greedy | 20.00 | 27.25 | +7.25 |",
                                 "| test_2016_flickr | beam 4 | 21.50 | 28.00 | +6.50 |",
                                 "| test_2017_flickr | greedy | 15.00 | 20.50 | +5.50 |",
                                 "| test_2017_flickr | beam 4 | 16.00 | 20.00 | +4.00 |"])
        metrics["systems"].append({"key": "mt-en-de", "name": "shipped", "parameters": 7577600, "train_minutes": 102.4})
        self.assertIn("| shipped | 7,577,600 | 102.4 | – | – | – | – |", ablation_table(metrics))


if __name__ == "__main__":
    unittest.main()
