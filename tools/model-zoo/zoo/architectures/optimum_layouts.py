"""The two other decoder layouts of Optimum's encoder–decoder exports (../shared/HF-FORMATS.md), for BART
(zoo/architectures/bart.py), next to the plain merged decoder of zoo/export_onnx.export_seq2seq. Both keep the cross
keys/values of the first step as a cache (`*.encoder.key|value`), as Optimum's exports do:

- split, onnx/decoder_model.onnx (the first step): input_ids, encoder_attention_mask, encoder_hidden_states
  → logits, present.{i}.decoder.key|value, present.{i}.encoder.key|value (the cross keys/values of the encoder
  output);
  onnx/decoder_with_past_model.onnx (later steps): input_ids, encoder_attention_mask,
  past_key_values.{i}.decoder.key|value, past_key_values.{i}.encoder.key|value → logits, present.{i}.decoder.key|value
  only: like Optimum's decoder-with-past it does not output the cross cache, which the caller keeps from the first step.
- merged, onnx/decoder_model_merged.onnx: the two graphs as the branches of one If on `use_cache_branch` (bool [1]), as
  optimum.onnx.merge_decoders builds it: then_branch the with-past decoder (its present.{i}.encoder.* an Identity of the
  encoder past), else_branch the first-step decoder; graph inputs the union of both plus use_cache_branch; initializers
  equal in both branches stored once in the outer graph.

Shape legend: B batch, S source length, T new target positions, P past length, H heads, Dh head dim, D d_model.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from zoo.export_onnx import OPSET, postprocess, softmax_node_names
from zoo.transformer import causal_mask, padding_mask

BATCH = "batch_size"
KEEP_FLOAT32 = ("embed_positions",)


def past_names(layers: int, prefix: str, encoder: bool = True) -> list[str]:
    """`{prefix}.{i}.decoder.key|value` (and `.encoder.key|value`) per layer, in Optimum's order."""
    names = []
    for i in range(layers):
        names += [f"{prefix}.{i}.decoder.key", f"{prefix}.{i}.decoder.value"]
        if encoder:
            names += [f"{prefix}.{i}.encoder.key", f"{prefix}.{i}.encoder.value"]
    return names


class _CrossAttention(nn.Module):
    """A decoder layer's encoder_attn (zoo.transformer.Attention's weights and arithmetic) whose keys and values are
    either projected from the encoder output (first step) or given (the cross cache)."""

    def __init__(self, attention):
        super().__init__()
        self.heads, self.head_dim, self.scaling = attention.heads, attention.head_dim, attention.scaling
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (
            attention.q_proj, attention.k_proj, attention.v_proj, attention.out_proj)

    def split_heads(self, states: torch.Tensor) -> torch.Tensor:
        return states.reshape(states.shape[0], -1, self.heads, self.head_dim).transpose(1, 2)  # [B, H, L, Dh]

    def forward(self, hidden, encoder_hidden_states, key, value, additive_mask):
        """Returns (output [B, T, D], key [B, H, S, Dh], value [B, H, S, Dh])."""
        if key is None:
            key = self.split_heads(self.k_proj(encoder_hidden_states))
            value = self.split_heads(self.v_proj(encoder_hidden_states))
        query = self.split_heads(self.q_proj(hidden) * self.scaling)  # [B, H, T, Dh]
        scores = torch.matmul(query, key.transpose(-1, -2)) + additive_mask  # [B, H, T, S]
        context = torch.matmul(torch.softmax(scores, dim=-1), value)  # [B, H, T, Dh]
        context = context.transpose(1, 2).reshape(hidden.shape[0], -1, self.heads * self.head_dim)  # [B, T, D]
        return self.out_proj(context), key, value


class _DecoderLayer(nn.Module):
    """zoo.transformer.DecoderLayer (post-norm, eval mode) with the cross keys/values as inputs and outputs."""

    def __init__(self, layer):
        super().__init__()
        self.self_attn, self.self_attn_layer_norm = layer.self_attn, layer.self_attn_layer_norm
        self.encoder_attn = _CrossAttention(layer.encoder_attn)
        self.encoder_attn_layer_norm = layer.encoder_attn_layer_norm
        self.fc1, self.fc2, self.activation = layer.fc1, layer.fc2, layer.activation
        self.final_layer_norm = layer.final_layer_norm

    def forward(self, hidden, self_mask, encoder_hidden_states, cross_mask, past_key, past_value, cross_key,
                cross_value):
        attended, key, value = self.self_attn(hidden, past_key=past_key, past_value=past_value, additive_mask=self_mask)
        hidden = self.self_attn_layer_norm(hidden + attended)
        attended, cross_key, cross_value = self.encoder_attn(hidden, encoder_hidden_states, cross_key, cross_value,
                                                             cross_mask)
        hidden = self.encoder_attn_layer_norm(hidden + attended)
        hidden = self.final_layer_norm(hidden + self.fc2(self.activation(self.fc1(hidden))))
        return hidden, key, value, cross_key, cross_value


class _BartDecoder(nn.Module):
    """bart.BartDecoder's (or transformer.Decoder's, Marian: no layernorm_embedding) forward with a cross cache:
    `past` and `cross` are per-layer (key, value) lists or None."""

    def __init__(self, decoder):
        super().__init__()
        self.embed_tokens, self.embed_scale = decoder.embed_tokens, decoder.embed_scale
        self.embed_positions = decoder.embed_positions
        self.layernorm_embedding = getattr(decoder, "layernorm_embedding", None)
        self.layers = nn.ModuleList([_DecoderLayer(layer) for layer in decoder.layers])

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask, past, cross):
        query_length = input_ids.shape[1]
        past_length = 0 if past is None else past[0][0].shape[2]
        positions = torch.arange(query_length, device=input_ids.device) + past_length  # [T]
        hidden = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(positions)[None]
        if self.layernorm_embedding is not None:
            hidden = self.layernorm_embedding(hidden)  # [B, T, D]
        self_mask = causal_mask(query_length, past_length, input_ids)
        cross_mask = padding_mask(encoder_attention_mask)
        presents, crosses = [], []
        for index, layer in enumerate(self.layers):
            past_key, past_value = (None, None) if past is None else past[index]
            cross_key, cross_value = (None, None) if cross is None else cross[index]
            hidden, key, value, cross_key, cross_value = layer(hidden, self_mask, encoder_hidden_states, cross_mask,
                                                               past_key, past_value, cross_key, cross_value)
            presents.append((key, value))
            crosses.append((cross_key, cross_value))
        return hidden, presents, crosses


class _Scope(nn.Module):
    """Holds the decoder as `model.decoder`, so that node names read /model/decoder/layers.{i}/encoder_attn/..."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, *arguments):
        return self.decoder(*arguments)


class FirstStepDecoder(nn.Module):
    """decoder_model.onnx: (input_ids, encoder_attention_mask, encoder_hidden_states) → (logits [B, T, V], then per
    layer present decoder key, value and encoder key, value)."""

    def __init__(self, model):
        super().__init__()
        self.model = _Scope(_BartDecoder(model.model.decoder))
        self.lm_head = model.lm_head
        self.register_buffer("final_logits_bias", model.final_logits_bias.clone())

    def forward(self, input_ids, encoder_attention_mask, encoder_hidden_states):
        hidden, presents, crosses = self.model(input_ids, encoder_hidden_states, encoder_attention_mask, None, None)
        flat = []
        for (key, value), (cross_key, cross_value) in zip(presents, crosses):
            flat += [key, value, cross_key, cross_value]
        return (self.lm_head(hidden) + self.final_logits_bias, *flat)


class WithPastDecoder(nn.Module):
    """decoder_with_past_model.onnx: (input_ids, encoder_attention_mask, then per layer past decoder key, value and
    encoder key, value) → (logits [B, T, V], then per layer present decoder key, value)."""

    def __init__(self, model):
        super().__init__()
        self.model = _Scope(_BartDecoder(model.model.decoder))
        self.lm_head = model.lm_head
        self.register_buffer("final_logits_bias", model.final_logits_bias.clone())

    def forward(self, input_ids, encoder_attention_mask, *past_flat):
        past = [(past_flat[4 * i], past_flat[4 * i + 1]) for i in range(len(past_flat) // 4)]
        cross = [(past_flat[4 * i + 2], past_flat[4 * i + 3]) for i in range(len(past_flat) // 4)]
        hidden, presents, _ = self.model(input_ids, None, encoder_attention_mask, past, cross)
        flat = [tensor for pair in presents for tensor in pair]
        return (self.lm_head(hidden) + self.final_logits_bias, *flat)


@torch.no_grad()
def greedy_with_cross_cache(model, input_ids: list[int], start_id: int, eos_id: int, max_new_tokens: int) -> list[int]:
    """Greedy decoding through FirstStepDecoder then WithPastDecoder (the cross cache kept from the first step): the
    PyTorch check that the layouts compute what model.decode does."""
    first, later = FirstStepDecoder(model).eval(), WithPastDecoder(model).eval()
    ids = torch.tensor([input_ids])
    mask = torch.ones_like(ids)
    encoded = model.encode(ids, mask)
    logits, *cache = first(torch.tensor([[start_id]]), mask, encoded)
    chosen = []
    for _ in range(max_new_tokens):
        chosen.append(int(logits[0, -1].argmax()))
        if chosen[-1] == eos_id:
            break
        logits, *presents = later(torch.tensor([[chosen[-1]]]), mask, *cache)
        for i in range(len(presents) // 2):
            cache[4 * i], cache[4 * i + 1] = presents[2 * i], presents[2 * i + 1]
    return chosen


def _export(module: nn.Module, arguments: tuple, path: Path, inputs: list[str], outputs: list[str], axes: dict):
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(module.eval(), arguments, str(path), input_names=inputs, output_names=outputs,
                      dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    return postprocess(path, float16=False, keep=KEEP_FLOAT32)


def _sample_inputs(config):
    """Tracing inputs: batch 2, source 5, past 3 (values do not matter, only shapes)."""
    generator = torch.Generator().manual_seed(0)
    heads = config.decoder_attention_heads
    head_dim = config.d_model // heads
    batch, past_length, source_length = 2, 3, 5
    input_ids = torch.tensor([[10], [11]])
    encoder_attention_mask = torch.ones(batch, source_length, dtype=torch.long)
    encoder_hidden_states = torch.randn(batch, source_length, config.d_model, generator=generator)
    past = []
    for _ in range(config.decoder_layers):
        past += [torch.randn(batch, heads, length, head_dim, generator=generator)
                 for length in (past_length, past_length, source_length, source_length)]
    return input_ids, encoder_attention_mask, encoder_hidden_states, past


def export_first_step_decoder(model, path: Path) -> dict:
    """FirstStepDecoder → path (onnx/decoder_model.onnx)."""
    layers = model.config.decoder_layers
    input_ids, encoder_attention_mask, encoder_hidden_states, _ = _sample_inputs(model.config)
    inputs = ["input_ids", "encoder_attention_mask", "encoder_hidden_states"]
    outputs = ["logits", *past_names(layers, "present")]
    axes = {
        "input_ids": {0: BATCH, 1: "decoder_sequence_length"},
        "encoder_attention_mask": {0: BATCH, 1: "encoder_sequence_length"},
        "encoder_hidden_states": {0: BATCH, 1: "encoder_sequence_length"},
        "logits": {0: BATCH, 1: "decoder_sequence_length"},
    }
    for name in outputs[1:]:
        axes[name] = {0: BATCH, 2: "encoder_sequence_length_out" if ".encoder." in name else "decoder_sequence_length"}
    return _export(FirstStepDecoder(model), (input_ids, encoder_attention_mask, encoder_hidden_states), path, inputs,
                   outputs, axes)


def export_with_past_decoder(model, path: Path) -> dict:
    """WithPastDecoder → path (onnx/decoder_with_past_model.onnx)."""
    layers = model.config.decoder_layers
    input_ids, encoder_attention_mask, _, past = _sample_inputs(model.config)
    inputs = ["input_ids", "encoder_attention_mask", *past_names(layers, "past_key_values")]
    outputs = ["logits", *past_names(layers, "present", encoder=False)]
    axes = {
        "input_ids": {0: BATCH, 1: "decoder_sequence_length"},
        "encoder_attention_mask": {0: BATCH, 1: "encoder_sequence_length"},
        "logits": {0: BATCH, 1: "decoder_sequence_length"},
    }
    for name in inputs[2:]:
        length = "encoder_sequence_length_out" if ".encoder." in name else "past_decoder_sequence_length"
        axes[name] = {0: BATCH, 2: length}
    for name in outputs[1:]:
        axes[name] = {0: BATCH, 2: "past_decoder_sequence_length + 1"}
    return _export(WithPastDecoder(model), (input_ids, encoder_attention_mask, *past), path, inputs, outputs, axes)


def export_split_decoders(model, folder: Path) -> dict:
    """onnx/decoder_model.onnx + onnx/decoder_with_past_model.onnx (the encoder is export_onnx.export_encoder's)."""
    first = folder / "onnx" / "decoder_model.onnx"
    later = folder / "onnx" / "decoder_with_past_model.onnx"
    return {"decoder": export_first_step_decoder(model, first),
            "decoder_with_past": export_with_past_decoder(model, later), "decoder_softmax": softmax_node_names(first)}


def export_merged_decoder(model, folder: Path, float16: bool = False) -> dict:
    """onnx/decoder_model_merged.onnx with Optimum's If on use_cache_branch (float16: weights stored as float16, as
    export_onnx.postprocess does)."""
    path = folder / "onnx" / "decoder_model_merged.onnx"
    with tempfile.TemporaryDirectory() as work:
        first, later = Path(work) / "decoder_model.onnx", Path(work) / "decoder_with_past_model.onnx"
        export_first_step_decoder(model, first)
        export_with_past_decoder(model, later)
        merged = merge_decoders(onnx.load(str(first)), onnx.load(str(later)))
    onnx.checker.check_model(merged)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(merged, str(path))
    if float16:
        return postprocess(path, float16=True, keep=KEEP_FLOAT32)
    return {"bytes": path.stat().st_size}


# ---------------------------------------------------------------------------------------------------------------
# Merging (what optimum.onnx.merge_decoders does, for these two graphs)


def merge_decoders(first_step: onnx.ModelProto, with_past: onnx.ModelProto) -> onnx.ModelProto:
    """One graph: If(use_cache_branch) with then_branch = with_past (plus an Identity passing each encoder past out as
    its present) and else_branch = first_step. Both branches output first_step's outputs, in its order."""
    outputs = [output.name for output in first_step.graph.output]
    passed = [name for name in outputs if name not in {output.name for output in with_past.graph.output}]
    with_past_graph = onnx.GraphProto()
    with_past_graph.CopyFrom(with_past.graph)
    for name in passed:
        with_past_graph.node.append(helper.make_node("Identity", [name.replace("present.", "past_key_values.")], [name],
                                                     name=f"/{name}/Identity"))
    shared, branches = _hoist_initializers([with_past_graph, first_step.graph])
    then_branch, else_branch = (
        helper.make_graph(list(graph.node), name, [], [_output_info(graph, first_step.graph, name) for name in outputs],
                          initializer=list(graph.initializer))
        for graph, name in zip(branches, ["with_past", "no_past"]))
    if_node = helper.make_node("If", ["use_cache_branch"], outputs, name="optimum::if", then_branch=then_branch,
                               else_branch=else_branch)
    inputs = list(first_step.graph.input)
    inputs += [value for value in with_past.graph.input if value.name not in {known.name for known in inputs}]
    inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    graph = helper.make_graph([if_node], "merged", inputs, [_output_info(first_step.graph, first_step.graph, name)
                                                            for name in outputs], initializer=shared)
    merged = helper.make_model(graph, opset_imports=list(first_step.opset_import), producer_name="attn-model-zoo")
    merged.ir_version = first_step.ir_version
    return merged


def _output_info(graph: onnx.GraphProto, reference: onnx.GraphProto, name: str) -> onnx.ValueInfoProto:
    """The output `name` with the element type and rank of `reference`'s, every sequence axis one symbolic name
    (the two branches give the cache different lengths)."""
    declared = next(value for value in [*graph.output, *reference.output] if value.name == name)
    tensor = declared.type.tensor_type
    dims: list = [dim.dim_value if dim.HasField("dim_value") else dim.dim_param for dim in tensor.shape.dim]
    if name == "logits":
        dims[1] = "decoder_sequence_length"
    elif ".decoder." in name:
        dims[2] = "present_decoder_sequence_length"
    return helper.make_tensor_value_info(name, tensor.elem_type, dims)


def _hoist_initializers(graphs: list[onnx.GraphProto]) -> tuple[list[onnx.TensorProto], list[onnx.GraphProto]]:
    """Float initializers are moved to the outer graph, one copy per distinct content, under a name no branch uses
    for another value (the exporter's `onnx::MatMul_123` names need not mean the same tensor in both); each branch's
    node inputs are renamed to match. Integer initializers (shapes, axes) stay in their branch, as Optimum keeps
    them."""
    produced = {name for graph in graphs for node in graph.node for name in node.output}
    produced |= {value.name for graph in graphs for value in [*graph.input, *graph.output]}
    by_content: dict[tuple, str] = {}
    shared: list[onnx.TensorProto] = []
    result = []
    for graph in graphs:
        renames: dict[str, str] = {}
        kept = []
        for init in graph.initializer:
            if init.data_type != TensorProto.FLOAT:
                kept.append(init)
                continue
            array = numpy_helper.to_array(init)
            key = (tuple(array.shape), array.tobytes())
            if key not in by_content:
                name, suffix = init.name, 0
                while name in produced or name in {tensor.name for tensor in shared}:
                    suffix += 1
                    name = f"{init.name}.{suffix}"
                by_content[key] = name
                shared.append(numpy_helper.from_array(array, name))
            renames[init.name] = by_content[key]
        branch = onnx.GraphProto()
        branch.CopyFrom(graph)
        del branch.initializer[:]
        branch.initializer.extend(kept)
        for node in branch.node:
            node.input[:] = [renames.get(name, name) for name in node.input]
        result.append(branch)
    return shared, result
