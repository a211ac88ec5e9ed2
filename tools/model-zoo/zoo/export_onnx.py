"""ONNX export of the encoder–decoder Transformer in the Hugging Face / Optimum layout that transformers.js loads.

- onnx/encoder_model.onnx: input_ids, attention_mask (int64 [batch_size, encoder_sequence_length])
  → last_hidden_state (float32 [batch_size, encoder_sequence_length, d_model]).
- onnx/decoder_model_merged.onnx, the simplest accepted merged decoder (one plain graph, no If node, cross
  keys/values recomputed every step): input_ids [batch_size, decoder_sequence_length], encoder_attention_mask,
  encoder_hidden_states, past_key_values.{i}.decoder.key|value [batch_size, heads, past_decoder_sequence_length,
  head_dim] → logits [batch_size, decoder_sequence_length, vocab], present.{i}.decoder.key|value.
Weights are stored as float16 initializers each followed by a Cast to float32 (the graph computes in float32;
onnxruntime folds the casts when it loads the model). Axis names follow Optimum's exports.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

OPSET = 14


class _EncoderScope(nn.Module):
    """Holds the encoder under the name `model` so that node names read /model/encoder/layers.{i}/..."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask):
        return self.encoder(input_ids, attention_mask)


class _DecoderScope(nn.Module):
    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask, past):
        return self.decoder(input_ids, encoder_hidden_states, encoder_attention_mask, past)


class EncoderForExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = _EncoderScope(model.model.encoder)

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids, attention_mask)


class DecoderForExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = _DecoderScope(model.model.decoder)
        self.lm_head = model.lm_head
        self.register_buffer("final_logits_bias", model.final_logits_bias.clone())
        self.layers = len(model.model.decoder.layers)

    def forward(self, input_ids, encoder_attention_mask, encoder_hidden_states, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(self.layers)]
        hidden, presents = self.model(input_ids, encoder_hidden_states, encoder_attention_mask, past)
        logits = self.lm_head(hidden) + self.final_logits_bias  # [B, T, V]
        flat = []
        for key, value in presents:
            flat.extend([key, value])
        return (logits, *flat)


def export_encoder(model, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    input_ids = torch.tensor([[10, 11, 12, 13, 0], [14, 15, 0, 2, 2]], dtype=torch.long)
    attention_mask = (input_ids != 2).long()
    axes = {0: "batch_size", 1: "encoder_sequence_length"}
    torch.onnx.export(
        EncoderForExport(model).eval(),
        (input_ids, attention_mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["last_hidden_state"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
        opset_version=OPSET,
        do_constant_folding=True,
    )


def decoder_io_names(layers: int) -> tuple[list[str], list[str]]:
    inputs = ["input_ids", "encoder_attention_mask", "encoder_hidden_states"]
    outputs = ["logits"]
    for i in range(layers):
        inputs += [f"past_key_values.{i}.decoder.key", f"past_key_values.{i}.decoder.value"]
        outputs += [f"present.{i}.decoder.key", f"present.{i}.decoder.value"]
    return inputs, outputs


def export_decoder(model, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    config = model.config
    layers = config.decoder_layers
    heads = config.decoder_attention_heads
    head_dim = config.d_model // heads
    batch, past_length, source_length = 2, 3, 5
    input_ids = torch.tensor([[10], [11]], dtype=torch.long)
    encoder_attention_mask = torch.ones(batch, source_length, dtype=torch.long)
    encoder_hidden_states = torch.randn(batch, source_length, config.d_model)
    past = []
    for _ in range(layers):
        past += [torch.randn(batch, heads, past_length, head_dim), torch.randn(batch, heads, past_length, head_dim)]
    input_names, output_names = decoder_io_names(layers)
    dynamic_axes = {
        "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
        "encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
        "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
        "logits": {0: "batch_size", 1: "decoder_sequence_length"},
    }
    for name in input_names[3:]:
        dynamic_axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length"}
    for name in output_names[1:]:
        dynamic_axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
    torch.onnx.export(
        DecoderForExport(model).eval(),
        (input_ids, encoder_attention_mask, encoder_hidden_states, *past),
        str(path),
        input_names=input_names,
        output_names=output_names,
        dynamic_axes=dynamic_axes,
        opset_version=OPSET,
        do_constant_folding=True,
    )


def deduplicate_transposed_initializers(model: onnx.ModelProto) -> int:
    """Replace an initializer that equals the transpose of another 2-D initializer by a Transpose node.

    Constant folding turns the tied output projection Eᵀ into a second copy of the embedding E; this restores the
    sharing. Returns the number of initializers replaced.
    """
    graph = model.graph
    arrays = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    two_d = {name: array for name, array in arrays.items() if array.ndim == 2 and array.size >= 4096}
    replaced = 0
    for name, array in list(two_d.items()):
        for other_name, other in two_d.items():
            if other_name == name or other.shape != array.shape[::-1]:
                continue
            if np.array_equal(other.T, array):
                graph.initializer.remove(next(init for init in graph.initializer if init.name == name))
                graph.node.insert(0, helper.make_node("Transpose", [other_name], [name], perm=[1, 0], name=f"{name}_transpose"))
                del two_d[name]
                replaced += 1
                break
    return replaced


def store_float16(model: onnx.ModelProto, minimum_elements: int = 1024, keep: tuple[str, ...] = ()) -> int:
    """Store float32 initializers with ≥ minimum_elements as float16 followed by Cast(to=float32).

    Returns the number converted. Names in `keep` (substring match) stay float32.
    """
    graph = model.graph
    converted = 0
    new_initializers = []
    cast_nodes = []
    for init in list(graph.initializer):
        if init.data_type != TensorProto.FLOAT:
            continue
        array = numpy_helper.to_array(init)
        if array.size < minimum_elements or any(part in init.name for part in keep):
            continue
        half_name = f"{init.name}_fp16"
        new_initializers.append(numpy_helper.from_array(array.astype(np.float16), half_name))
        cast_nodes.append(helper.make_node("Cast", [half_name], [init.name], to=TensorProto.FLOAT, name=f"{init.name}_cast"))
        graph.initializer.remove(init)
        converted += 1
    graph.initializer.extend(new_initializers)
    for node in reversed(cast_nodes):
        graph.node.insert(0, node)
    return converted


def postprocess(path: Path, float16: bool, keep: tuple[str, ...] = ()) -> dict:
    model = onnx.load(str(path))
    replaced = deduplicate_transposed_initializers(model)
    converted = store_float16(model, keep=keep) if float16 else 0
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return {"transposes_shared": replaced, "float16_initializers": converted, "bytes": path.stat().st_size}


def softmax_node_names(path: Path) -> list[str]:
    """Names of the Softmax nodes of a graph, those inside If branches included (each branch's once per name)."""

    def walk(graph: onnx.GraphProto) -> list[str]:
        names = []
        for node in graph.node:
            if node.op_type == "Softmax":
                names.append(node.name)
            for attribute in node.attribute:
                if attribute.type == onnx.AttributeProto.GRAPH:
                    names += [name for name in walk(attribute.g) if name not in names]
        return names

    return walk(onnx.load(str(path)).graph)


def export_seq2seq(model, folder: Path, float16: bool = True, cross_cache: bool = False) -> dict:
    """Export encoder and merged decoder into folder/onnx; returns a summary with file sizes.

    cross_cache=False: the decoder is one plain graph that recomputes the cross keys/values every step.
    cross_cache=True: Optimum's merged decoder (If on use_cache_branch; the first step outputs the cross keys/values,
    later steps take them as past_key_values.{i}.encoder.*), see zoo/architectures/optimum_layouts.py.
    """
    from .architectures.optimum_layouts import export_merged_decoder  # imports this module

    model = model.eval()
    onnx_folder = folder / "onnx"
    encoder_path = onnx_folder / "encoder_model.onnx"
    decoder_path = onnx_folder / "decoder_model_merged.onnx"
    export_encoder(model, encoder_path)
    keep = ("embed_positions",)
    encoder_summary = postprocess(encoder_path, float16, keep)
    if cross_cache:
        decoder_summary = export_merged_decoder(model, folder, float16=float16)
    else:
        export_decoder(model, decoder_path)
        decoder_summary = postprocess(decoder_path, float16, keep)
    return {
        "encoder": encoder_summary,
        "decoder": decoder_summary,
        "encoder_softmax": softmax_node_names(encoder_path),
        "decoder_softmax": softmax_node_names(decoder_path),
    }


def seq2seq_generation_config(config, max_length: int, num_beams: int) -> dict:
    """generation_config.json of a Marian-style translation export (pad as decoder start, eos forced, pad banned)."""
    return {
        "bad_words_ids": [[config.pad_token_id]],
        "bos_token_id": config.eos_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "eos_token_id": config.eos_token_id,
        "forced_eos_token_id": config.eos_token_id,
        "pad_token_id": config.pad_token_id,
        "max_length": max_length,
        "num_beams": num_beams,
    }
