"""zoo/architectures and the tokenizer builders behind fixtures.py: cached decoding equals full decoding, shapes and
conventions of each architecture, hand-worked tokenizer cases, and ONNX export names (Optimum inputs/outputs,
Hugging Face-style Softmax node names).
"""
import math
import tempfile
import unittest
from pathlib import Path

import onnx
import torch

from zoo.architectures import byte_level_bpe as bpe
from zoo.architectures import wordpiece
from zoo.architectures.bart import BartConfig, BartForConditionalGeneration
from zoo.architectures.bert import BertConfig, BertForQuestionAnswering
from zoo.architectures.detr import DetrConfig, DetrForObjectDetection
from zoo.architectures.export import export_bert, export_detr, export_gpt2, export_vit, export_whisper
from zoo.architectures.gpt2 import GPT2Config, GPT2LMHeadModel
from zoo.architectures.vit import ViTConfig, ViTForImageClassification
from zoo.architectures.whisper import WhisperConfig, WhisperForConditionalGeneration, whisper_sinusoids


def tiny(factory, config):
    torch.manual_seed(0)
    return factory(config).eval()


def gpt2():
    return tiny(GPT2LMHeadModel, GPT2Config(vocab_size=30, n_positions=16, n_embd=8, n_layer=2, n_head=2,
                                            resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))


def whisper():
    return tiny(WhisperForConditionalGeneration, WhisperConfig(
        vocab_size=30, num_mel_bins=4, d_model=8, encoder_layers=1, decoder_layers=2, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=16, decoder_ffn_dim=16, max_source_positions=5,
        max_target_positions=16))


def bart():
    return tiny(BartForConditionalGeneration, BartConfig(
        vocab_size=30, d_model=8, encoder_layers=1, decoder_layers=2, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=16, decoder_ffn_dim=16, dropout=0.0, max_position_embeddings=16))


def graph_io(path: Path) -> tuple[list[str], list[str], list[str]]:
    model = onnx.load(str(path))
    softmax = [node.name for node in model.graph.node if node.op_type == "Softmax"]
    return [i.name for i in model.graph.input], [o.name for o in model.graph.output], softmax


class CachedDecodingTest(unittest.TestCase):
    """Feeding tokens one at a time with the KV cache gives the logits of one full causal forward."""

    def assert_steps_match(self, full, step):
        past, rows = None, []
        for position in range(full.shape[1]):
            logits, past = step(position, past)
            rows.append(logits[:, -1])
        torch.testing.assert_close(torch.stack(rows, dim=1), full, atol=1e-5, rtol=1e-5)

    @torch.no_grad()
    def test_gpt2(self):
        model = gpt2()
        tokens = torch.tensor([[3, 4, 5, 6]])
        full, _ = model(tokens, torch.ones_like(tokens), torch.arange(4)[None])

        def step(position, past):
            return model(tokens[:, position : position + 1], torch.ones(1, position + 1, dtype=torch.long),
                         torch.tensor([[position]]), past)

        self.assert_steps_match(full, step)

    @torch.no_grad()
    def test_gpt2_left_padding_masks_the_pad(self):
        model = gpt2()
        padded, _ = model(torch.tensor([[0, 3, 4]]), torch.tensor([[0, 1, 1]]), torch.tensor([[0, 0, 1]]))
        plain, _ = model(torch.tensor([[3, 4]]), torch.ones(1, 2, dtype=torch.long), torch.tensor([[0, 1]]))
        torch.testing.assert_close(padded[:, 1:], plain, atol=1e-5, rtol=1e-5)

    @torch.no_grad()
    def test_whisper(self):
        model = whisper()
        encoded = model.encode(torch.randn(1, 4, 10))
        tokens = torch.tensor([[1, 2, 3, 4]])
        full, _, _ = model.decode(tokens, encoded)

        def step(position, past):
            logits, presents, _ = model.decode(tokens[:, position : position + 1], encoded, past)
            return logits, presents

        self.assert_steps_match(full, step)

    @torch.no_grad()
    def test_bart(self):
        model = bart()
        source = torch.tensor([[0, 5, 6, 7, 2]])
        mask = torch.ones_like(source)
        encoded = model.encode(source, mask)
        tokens = torch.tensor([[2, 8, 9, 10]])
        full, _ = model.decode(tokens, encoded, mask)
        self.assert_steps_match(full, lambda position, past: model.decode(tokens[:, position : position + 1],
                                                                          encoded, mask, past))


class ArchitectureTest(unittest.TestCase):
    def test_bart_positions_start_at_row_two(self):
        model = bart()
        table = model.model.encoder.embed_positions
        torch.testing.assert_close(table(torch.tensor([0, 3])), table.weight[[2, 5]])

    def test_whisper_sinusoids(self):
        table = whisper_sinusoids(3, 8)
        # channel 1 of 4 sin channels: timescale 10000^(-1/3); position 2 → sin(2 · 10000^(-1/3)), cos in channel 5
        angle = 2 * math.exp(-math.log(10000) / 3)
        self.assertAlmostEqual(float(table[2, 1]), math.sin(angle), places=6)
        self.assertAlmostEqual(float(table[2, 5]), math.cos(angle), places=6)

    @torch.no_grad()
    def test_whisper_cross_attention_rows_are_distributions(self):
        model = whisper()
        _, _, cross = model.decode(torch.tensor([[1, 2]]), model.encode(torch.randn(2, 4, 10)).narrow(0, 0, 1))
        self.assertEqual(list(cross[0].shape), [1, 2, 2, 5])  # [B, H, T, S = frames / 2]
        torch.testing.assert_close(cross[1].sum(-1), torch.ones(1, 2, 2))

    @torch.no_grad()
    def test_detr_shapes_boxes_and_padding(self):
        model = tiny(DetrForObjectDetection, DetrConfig(labels=["a", "b"], backbone_channels=[4, 8], d_model=8,
                                                        num_queries=3, encoder_layers=1, decoder_layers=1,
                                                        encoder_attention_heads=2, decoder_attention_heads=2,
                                                        encoder_ffn_dim=16, decoder_ffn_dim=16, dropout=0.0))
        pixels = torch.randn(1, 3, 16, 16)
        logits, boxes = model(pixels, torch.ones(1, 16, 16, dtype=torch.long))
        self.assertEqual(list(logits.shape), [1, 3, 3])  # 2 labels + no object
        self.assertTrue(bool(((boxes > 0) & (boxes < 1)).all()))
        # What lies under pixel_mask = 0 does not matter.
        padded = torch.cat([pixels, torch.randn(1, 3, 16, 16)], dim=3)
        mask = torch.cat([torch.ones(1, 16, 16), torch.zeros(1, 16, 16)], dim=2).long()
        other = padded.clone()
        other[..., 16:] = torch.randn(1, 3, 16, 16)
        torch.testing.assert_close(model(padded, mask)[0], model(other, mask)[0])

    @torch.no_grad()
    def test_vit_logits_read_the_cls_token(self):
        model = tiny(ViTForImageClassification, ViTConfig(image_size=8, patch_size=4, hidden_size=8,
                                                          num_hidden_layers=1, num_attention_heads=2,
                                                          intermediate_size=16, labels=["x", "y", "z"]))
        logits, hidden = model(torch.randn(2, 3, 8, 8))
        self.assertEqual(list(hidden.shape), [2, 5, 8])  # 4 patches + [CLS]
        torch.testing.assert_close(logits, model.classifier(hidden[:, 0]))


class TokenizerTest(unittest.TestCase):
    def test_byte_alphabet(self):
        table = bpe.bytes_to_unicode()
        self.assertEqual(len(set(table.values())), 256)
        self.assertEqual(table[ord(" ")], "Ġ")  # U+0120: byte 32 is the 33rd non-printable byte, 256 + 32
        self.assertEqual(next(iter(table.values())), "!")  # GPT-2's id 0

    def test_bpe_training_hand_worked(self):
        # Pre-tokens "ab", "Ġab", "Ġabc": pairs (a,b)×3, (Ġ,a)×2, (b,c)×1 → merge a+b; then (Ġ,ab)×2, (ab,c)×1 →
        # merge Ġ+ab; then (Ġab,c)×1 is below min_frequency 2: stop.
        vocabulary, merges = bpe.train_bpe(["ab ab abc"], merges_wanted=10)
        self.assertEqual(merges, [("a", "b"), ("Ġ", "ab")])
        self.assertEqual(vocabulary[256:], ["ab", "Ġab"])
        encoder = bpe.ByteLevelBPE({token: i for i, token in enumerate(vocabulary)}, merges)
        self.assertEqual(encoder.encode("abc ab"), [256, vocabulary.index("c"), 257])

    def test_whisper_layout(self):
        vocabulary, merges = bpe.train_bpe(["ab ab"], merges_wanted=2)
        document = bpe.whisper_tokenizer_json(vocabulary, merges, ["en"])
        added = [token["content"] for token in document["added_tokens"]]
        self.assertEqual(added[0], "<|endoftext|>")
        self.assertEqual(added[-1], "<|notimestamps|>")
        self.assertEqual([token["id"] for token in document["added_tokens"]],
                         list(range(len(vocabulary), len(vocabulary) + len(added))))

    def test_wordpiece(self):
        vocabulary = wordpiece.build_vocabulary(["the dogs catch", "a Dog", "a dog"], vocab_size=100)
        self.assertEqual(vocabulary[:5], list(wordpiece.SPECIALS))
        self.assertLess(vocabulary.index("dog"), vocabulary.index("dogs"))  # lowercased: frequency 2 before 1
        pieces = wordpiece.WordPiece(vocabulary)
        self.assertEqual(pieces.encode_word("catches"), ["catch", "##e", "##s"])
        self.assertEqual(pieces.encode_word("zebra"), ["[UNK]"])  # z is not in the alphabet
        ids, types = pieces.encode("the dog", "a dog")
        self.assertEqual(types, [0, 0, 0, 0, 1, 1, 1])
        self.assertEqual([vocabulary[i] for i in ids], ["[CLS]", "the", "dog", "[SEP]", "a", "dog", "[SEP]"])


class ExportNamesTest(unittest.TestCase):
    def test_names(self):
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            torch.manual_seed(0)
            export_gpt2(gpt2(), folder / "gpt2", float16=False)
            inputs, outputs, softmax = graph_io(folder / "gpt2" / "onnx" / "model.onnx")
            self.assertEqual(inputs, ["input_ids", "attention_mask", "position_ids", "past_key_values.0.key",
                                      "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"])
            self.assertEqual(outputs, ["logits", "present.0.key", "present.0.value", "present.1.key",
                                       "present.1.value"])
            self.assertEqual(softmax, ["/transformer/h.0/attn/Softmax", "/transformer/h.1/attn/Softmax"])

            export_whisper(whisper(), folder / "whisper", float16=False)
            inputs, outputs, softmax = graph_io(folder / "whisper" / "onnx" / "decoder_model_merged.onnx")
            self.assertEqual(inputs[:2], ["input_ids", "encoder_hidden_states"])
            self.assertEqual(outputs[-2:], ["cross_attentions.0", "cross_attentions.1"])
            self.assertIn("/model/decoder/layers.1/encoder_attn/Softmax", softmax)
            inputs, outputs, softmax = graph_io(folder / "whisper" / "onnx" / "encoder_model.onnx")
            self.assertEqual((inputs, outputs, softmax), (["input_features"], ["last_hidden_state"],
                                                          ["/model/encoder/layers.0/self_attn/Softmax"]))

            bert = tiny(BertForQuestionAnswering, BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=1,
                                                            num_attention_heads=2, intermediate_size=16,
                                                            max_position_embeddings=16))
            export_bert(bert, folder / "bert", float16=False)
            inputs, outputs, softmax = graph_io(folder / "bert" / "onnx" / "model.onnx")
            self.assertEqual((inputs, outputs, softmax), (["input_ids", "attention_mask", "token_type_ids"],
                                                          ["start_logits", "end_logits"],
                                                          ["/bert/encoder/layer.0/attention/self/Softmax"]))

            vit = tiny(ViTForImageClassification, ViTConfig(image_size=8, patch_size=4, hidden_size=8,
                                                            num_hidden_layers=1, num_attention_heads=2,
                                                            intermediate_size=16))
            export_vit(vit, folder / "vit", float16=False)
            self.assertEqual(graph_io(folder / "vit" / "onnx" / "model.onnx")[2],
                             ["/vit/encoder/layer.0/attention/attention/Softmax"])

            detr = tiny(DetrForObjectDetection, DetrConfig(backbone_channels=[4], d_model=8, num_queries=2,
                                                           encoder_layers=1, decoder_layers=1,
                                                           encoder_attention_heads=2, decoder_attention_heads=2,
                                                           encoder_ffn_dim=8, decoder_ffn_dim=8))
            export_detr(detr, folder / "detr", (8, 8), float16=False)
            inputs, outputs, softmax = graph_io(folder / "detr" / "onnx" / "model.onnx")
            self.assertEqual((inputs, outputs), (["pixel_values", "pixel_mask"], ["logits", "pred_boxes"]))
            self.assertEqual(softmax, ["/model/encoder/layers.0/self_attn/Softmax",
                                       "/model/decoder/layers.0/self_attn/Softmax",
                                       "/model/decoder/layers.0/encoder_attn/Softmax"])


if __name__ == "__main__":
    unittest.main()
