"""ONNX exports of the zoo's architectures in the Hugging Face / Optimum layout and input/output names
(see ../shared/HF-FORMATS.md); Marian and BART go through zoo/export_onnx.export_seq2seq.

- bert → onnx/model.onnx: input_ids, attention_mask, token_type_ids (int64 [batch_size, sequence_length])
  → start_logits, end_logits [batch_size, sequence_length].
- gpt2 → onnx/model.onnx: input_ids, attention_mask [batch_size, past_sequence_length + sequence_length],
  position_ids, past_key_values.{i}.key|value [batch_size, heads, past_sequence_length, head_dim]
  → logits [batch_size, sequence_length, vocab], present.{i}.key|value.
- vit → onnx/model.onnx: pixel_values [batch_size, 3, H, W] → logits [batch_size, labels], last_hidden_state.
- detr → onnx/model.onnx: pixel_values [batch_size, 3, height, width], pixel_mask int64 [batch_size, height, width]
  → logits [batch_size, queries, labels + 1], pred_boxes [batch_size, queries, 4].
- whisper → onnx/encoder_model.onnx: input_features [batch_size, mel bins, frames] → last_hidden_state;
  onnx/decoder_model_merged.onnx (one plain graph, cross keys/values recomputed each step, no encoder_attention_mask):
  input_ids, encoder_hidden_states, past_key_values.{i}.decoder.key|value → logits, present.{i}.decoder.key|value,
  cross_attentions.{i} [batch_size, heads, decoder_sequence_length, encoder positions] (the Softmax weights that
  transformers.js' word timestamps read).
Every export is followed by zoo/export_onnx.postprocess (tied embeddings shared again, optional float16 storage).
"""
from __future__ import annotations

from pathlib import Path

import onnx
import torch
from torch import nn

from zoo.export_onnx import OPSET, postprocess, softmax_node_names

BATCH = "batch_size"


def _export(module: nn.Module, arguments: tuple, path: Path, inputs: list[str], outputs: list[str], axes: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        module.eval(),
        arguments,
        str(path),
        input_names=inputs,
        output_names=outputs,
        dynamic_axes=axes,
        opset_version=OPSET,
        do_constant_folding=True,
    )


def _declare_outputs(path: Path, shapes: dict[str, list]) -> None:
    """Writes output dims that the exporter's shape inference lost (it names a static size behind a Reshape
    'Addlogits_dim_1'): ints become fixed sizes, strings symbolic ones."""
    model = onnx.load(str(path))
    for output in model.graph.output:
        for dim, value in zip(output.type.tensor_type.shape.dim, shapes.get(output.name, [])):
            dim.Clear()
            if isinstance(value, int):
                dim.dim_value = value
            else:
                dim.dim_param = value
    onnx.save(model, str(path))


def _finish(paths: dict[str, Path], float16: bool, keep: tuple[str, ...] = ()) -> dict:
    summary = {name: postprocess(path, float16, keep) for name, path in paths.items()}
    summary.update({f"{name}_softmax": softmax_node_names(path) for name, path in paths.items()})
    return summary


def export_bert(model, folder: Path, float16: bool = True) -> dict:
    """BertForQuestionAnswering → onnx/model.onnx."""
    path = folder / "onnx" / "model.onnx"
    input_ids = torch.tensor([[2, 10, 11, 12, 3, 13, 14, 3], [2, 15, 16, 3, 17, 3, 0, 0]])
    attention_mask = (input_ids != model.config.pad_token_id).long()
    token_type_ids = torch.tensor([[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 1, 1, 0, 0]])
    sequence = {0: BATCH, 1: "sequence_length"}
    names = ["input_ids", "attention_mask", "token_type_ids", "start_logits", "end_logits"]
    _export(model, (input_ids, attention_mask, token_type_ids), path, names[:3], names[3:],
            {name: sequence for name in names})
    return _finish({"model": path}, float16, keep=("position_embeddings",))


class _GPT2ForExport(nn.Module):
    """Flat past/present tensors; holds `transformer` and `lm_head` so node names read /transformer/h.{i}/..."""

    def __init__(self, model):
        super().__init__()
        self.transformer = model.transformer
        self.lm_head = model.lm_head
        self.layers = model.config.n_layer

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(self.layers)]
        hidden, presents = self.transformer(input_ids, attention_mask, position_ids, past)
        return (self.lm_head(hidden), *[tensor for pair in presents for tensor in pair])


def gpt2_io_names(layers: int) -> tuple[list[str], list[str]]:
    inputs = ["input_ids", "attention_mask", "position_ids"]
    outputs = ["logits"]
    for i in range(layers):
        inputs += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        outputs += [f"present.{i}.key", f"present.{i}.value"]
    return inputs, outputs


def export_gpt2(model, folder: Path, float16: bool = True) -> dict:
    """GPT2LMHeadModel → onnx/model.onnx with the KV cache."""
    config = model.config
    path = folder / "onnx" / "model.onnx"
    batch, past_length = 2, 3
    head_dim = config.n_embd // config.n_head
    input_ids = torch.tensor([[5, 6], [7, 8]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 1, 1, 1, 1]])
    position_ids = torch.tensor([[3, 4], [2, 3]])
    generator = torch.Generator().manual_seed(0)
    past = [torch.randn(batch, config.n_head, past_length, head_dim, generator=generator)
            for _ in range(2 * config.n_layer)]
    inputs, outputs = gpt2_io_names(config.n_layer)
    axes = {
        "input_ids": {0: BATCH, 1: "sequence_length"},
        "attention_mask": {0: BATCH, 1: "past_sequence_length + sequence_length"},
        "position_ids": {0: BATCH, 1: "sequence_length"},
        "logits": {0: BATCH, 1: "sequence_length"},
    }
    axes.update({name: {0: BATCH, 2: "past_sequence_length"} for name in inputs[3:]})
    axes.update({name: {0: BATCH, 2: "past_sequence_length + sequence_length"} for name in outputs[1:]})
    _export(_GPT2ForExport(model), (input_ids, attention_mask, position_ids, *past), path, inputs, outputs, axes)
    return _finish({"model": path}, float16, keep=("wpe",))


def export_vit(model, folder: Path, float16: bool = True) -> dict:
    """ViTForImageClassification → onnx/model.onnx (fixed image size: the positions are not interpolated)."""
    config = model.config
    path = folder / "onnx" / "model.onnx"
    pixel_values = torch.randn(2, config.num_channels, config.image_size, config.image_size,
                               generator=torch.Generator().manual_seed(0))
    axes = {name: {0: BATCH} for name in ("pixel_values", "logits", "last_hidden_state")}
    _export(model, (pixel_values,), path, ["pixel_values"], ["logits", "last_hidden_state"], axes)
    _declare_outputs(path, {"last_hidden_state": [BATCH, config.num_patches + 1, config.hidden_size]})
    return _finish({"model": path}, float16, keep=("position_embeddings", "cls_token"))


def export_detr(model, folder: Path, image_size: tuple[int, int], float16: bool = True) -> dict:
    """DetrForObjectDetection → onnx/model.onnx (any image size; pixel_mask marks the real pixels of padded images)."""
    config = model.config
    path = folder / "onnx" / "model.onnx"
    height, width = image_size
    pixel_values = torch.randn(2, config.num_channels, height, width, generator=torch.Generator().manual_seed(0))
    pixel_mask = torch.ones(2, height, width, dtype=torch.long)
    pixel_mask[1, :, width // 2 :] = 0
    axes = {
        "pixel_values": {0: BATCH, 2: "height", 3: "width"},
        "pixel_mask": {0: BATCH, 1: "height", 2: "width"},
        "logits": {0: BATCH},
        "pred_boxes": {0: BATCH},
    }
    _export(model, (pixel_values, pixel_mask), path, ["pixel_values", "pixel_mask"], ["logits", "pred_boxes"], axes)
    _declare_outputs(path, {"logits": [BATCH, config.num_queries, len(config.labels) + 1],
                            "pred_boxes": [BATCH, config.num_queries, 4]})
    return _finish({"model": path}, float16)


class _WhisperEncoderScope(nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_features):
        return self.encoder(input_features)


class _WhisperEncoderForExport(nn.Module):
    """Holds the encoder as `model.encoder` so node names read /model/encoder/layers.{i}/..."""

    def __init__(self, model):
        super().__init__()
        self.model = _WhisperEncoderScope(model.model.encoder)

    def forward(self, input_features):
        return self.model(input_features)


class _WhisperDecoderScope(nn.Module):
    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids, encoder_hidden_states, past):
        return self.decoder(input_ids, encoder_hidden_states, past)


class _WhisperDecoderForExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = _WhisperDecoderScope(model.model.decoder)
        self.proj_out = model.proj_out
        self.layers = model.config.decoder_layers

    def forward(self, input_ids, encoder_hidden_states, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(self.layers)]
        hidden, presents, cross_attentions = self.model(input_ids, encoder_hidden_states, past)
        return (self.proj_out(hidden), *[tensor for pair in presents for tensor in pair], *cross_attentions)


def whisper_decoder_io_names(layers: int) -> tuple[list[str], list[str]]:
    inputs = ["input_ids", "encoder_hidden_states"]
    outputs = ["logits"]
    for i in range(layers):
        inputs += [f"past_key_values.{i}.decoder.key", f"past_key_values.{i}.decoder.value"]
        outputs += [f"present.{i}.decoder.key", f"present.{i}.decoder.value"]
    outputs += [f"cross_attentions.{i}" for i in range(layers)]
    return inputs, outputs


def export_whisper(model, folder: Path, float16: bool = True) -> dict:
    """WhisperForConditionalGeneration → onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx."""
    config = model.config
    encoder_path = folder / "onnx" / "encoder_model.onnx"
    decoder_path = folder / "onnx" / "decoder_model_merged.onnx"
    generator = torch.Generator().manual_seed(0)
    frames = 2 * config.max_source_positions
    input_features = torch.randn(2, config.num_mel_bins, frames, generator=generator)
    _export(_WhisperEncoderForExport(model), (input_features,), encoder_path, ["input_features"], ["last_hidden_state"],
            {"input_features": {0: BATCH, 2: "encoder_sequence_length"},
             "last_hidden_state": {0: BATCH, 1: "encoder_sequence_length / 2"}})
    _declare_outputs(encoder_path, {"last_hidden_state": [BATCH, "encoder_sequence_length / 2", config.d_model]})

    heads = config.decoder_attention_heads
    head_dim = config.d_model // heads
    batch, past_length, positions = 2, 3, 5
    input_ids = torch.tensor([[10], [11]])
    encoder_hidden_states = torch.randn(batch, positions, config.d_model, generator=generator)
    past = [torch.randn(batch, heads, past_length, head_dim, generator=generator)
            for _ in range(2 * config.decoder_layers)]
    inputs, outputs = whisper_decoder_io_names(config.decoder_layers)
    axes = {
        "input_ids": {0: BATCH, 1: "decoder_sequence_length"},
        "encoder_hidden_states": {0: BATCH, 1: "encoder_sequence_length / 2"},
        "logits": {0: BATCH, 1: "decoder_sequence_length"},
    }
    axes.update({name: {0: BATCH, 2: "past_decoder_sequence_length"} for name in inputs[2:]})
    for name in outputs[1:]:
        if name.startswith("present."):
            axes[name] = {0: BATCH, 2: "past_decoder_sequence_length + decoder_sequence_length"}
        else:
            axes[name] = {0: BATCH, 2: "decoder_sequence_length", 3: "encoder_sequence_length / 2"}
    _export(_WhisperDecoderForExport(model), (input_ids, encoder_hidden_states, *past), decoder_path, inputs, outputs,
            axes)
    cross_shape = [BATCH, heads, "decoder_sequence_length", "encoder_sequence_length / 2"]
    _declare_outputs(decoder_path, {name: cross_shape for name in outputs if name.startswith("cross_attentions.")})
    return _finish({"encoder": encoder_path, "decoder": decoder_path}, float16, keep=("embed_positions",))
