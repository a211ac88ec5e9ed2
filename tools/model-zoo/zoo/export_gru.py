"""ONNX export of the attention GRU (zoo/gru.py, Bahdanau et al. 2014) in an encoder / decoder-with-state layout that
follows Optimum's encoder–decoder conventions as far as a recurrent decoder allows (../shared/HF-FORMATS.md):

- onnx/encoder_model.onnx: input_ids, attention_mask int64 [batch_size, encoder_sequence_length]
  → last_hidden_state float32 [batch_size, encoder_sequence_length, 2H], the annotations h_j of the bidirectional GRU
  (zero at padded positions).
- onnx/decoder_model_merged.onnx, one graph for every step, as Optimum's merged decoders are: input_ids int64
  [batch_size, 1], encoder_attention_mask int64 [batch_size, encoder_sequence_length], encoder_hidden_states float32
  [batch_size, encoder_sequence_length, 2H], past_state float32 [batch_size, D] (the decoder state s_{i-1}) and
  use_cache_branch bool [1] → logits float32 [batch_size, 1, vocab], present_state float32 [batch_size, D] (s_i) and
  cross_attentions.0 float32 [batch_size, 1, 1, encoder_sequence_length] (α_i: batch, heads, queries, keys).
  With use_cache_branch false (the first step) past_state is ignored and s_0 = tanh(W_s [h→_last; h←_first]) is
  computed from the encoder output; with true it is the state of the step before. The projected keys U_a h_j are
  recomputed every step instead of being cached (one [S, 2H] × [2H, A] product).
- The attention probabilities are the output of the Softmax node `/model/decoder/layers.0/encoder_attn/Softmax`,
  the name the runtime's tap classifier reads as cross attention of layer 0.
config.json has model_type "attn-gru" (ours: no Hugging Face architecture is a GRU); weights are stored as float16
initializers followed by Cast to float32, after every weight of the model has been rounded to float16, so the PyTorch
model and the ONNX files hold the same weights.

Shape legend: B batch, S source length, E embedding dim, H encoder GRU size per direction, K = 2H annotation size,
D decoder state size, A attention size, V vocabulary.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from .export_onnx import OPSET, postprocess, seq2seq_generation_config, softmax_node_names
from .gru import MASK_VALUE, GRUSeq2Seq
from .training import write_json

MODEL_TYPE = "attn-gru"
BATCH = "batch_size"
SOURCE = "encoder_sequence_length"
SOFTMAX_NODE = "/model/decoder/layers.0/encoder_attn/Softmax"
DECODER_INPUTS = ["input_ids", "encoder_attention_mask", "encoder_hidden_states", "past_state", "use_cache_branch"]
DECODER_OUTPUTS = ["logits", "present_state", "cross_attentions.0"]


class _Scope(nn.Module):
    """Holds a part under `model.<name>` and runs it, so that node names read /model/encoder/… and /model/decoder/…."""

    def __init__(self, name: str, part: nn.Module):
        super().__init__()
        self.name = name
        self.add_module(name, part)

    def forward(self, *arguments):
        return getattr(self, self.name)(*arguments)


def _one_direction(gru: nn.GRU, suffix: str) -> nn.GRU:
    """A unidirectional GRU holding the weights of one direction of a bidirectional one ('' or '_reverse')."""
    single = nn.GRU(gru.input_size, gru.hidden_size, batch_first=True)
    for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
        setattr(single, name, getattr(gru, name + suffix))
    return single


class _Encoder(nn.Module):
    """GRUSeq2Seq.encode without packed sequences (whose export fixes the batch size): the forward GRU over the
    right-padded rows, the backward GRU over each row reversed within its length, padded positions zeroed."""

    def __init__(self, model: GRUSeq2Seq):
        super().__init__()
        self.embed_tokens = model.shared
        self.forward_gru = _one_direction(model.encoder, "")
        self.backward_gru = _one_direction(model.encoder, "_reverse")

    def forward(self, input_ids, attention_mask):
        embedded = self.embed_tokens(input_ids)  # [B, S, E]
        lengths = attention_mask.sum(dim=1, keepdim=True)  # [B, 1]
        positions = torch.arange(input_ids.shape[1])[None, :]  # [1, S]
        reversal = torch.where(positions < lengths, lengths - 1 - positions, positions)[:, :, None]  # [B, S, 1]
        forward_states, _ = self.forward_gru(embedded)  # [B, S, H]
        reversed_states, _ = self.backward_gru(embedded.gather(1, reversal.expand(-1, -1, embedded.shape[2])))
        backward_states = reversed_states.gather(1, reversal.expand(-1, -1, reversed_states.shape[2]))  # [B, S, H]
        return torch.cat([forward_states, backward_states], dim=-1) * attention_mask[:, :, None]  # [B, S, K]


class EncoderForExport(nn.Module):
    def __init__(self, model: GRUSeq2Seq):
        super().__init__()
        self.model = _Scope("encoder", _Encoder(model))

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids, attention_mask)


class AdditiveAttentionStep(nn.Module):
    """gru.AdditiveAttention's weights and arithmetic, its weights shaped [B, 1, 1, S] (batch, heads, queries, keys)
    as attention outputs of Hugging Face exports are: e = v_aᵀ tanh(W_a s + U_a h); α = softmax(e); c = Σ α h."""

    def __init__(self, attention):
        super().__init__()
        self.query_proj, self.key_proj, self.energy = attention.query_proj, attention.key_proj, attention.energy

    def forward(self, state, annotations, additive_mask):
        # state [B, D], annotations [B, S, K], additive_mask [B, S]
        projected_keys = self.key_proj(annotations)  # [B, S, A]
        energies = self.energy(torch.tanh(projected_keys + self.query_proj(state)[:, None, :]))  # [B, S, 1]
        scores = energies.transpose(1, 2)[:, None] + additive_mask[:, None, None, :]  # [B, 1, 1, S]
        weights = torch.softmax(scores, dim=-1)  # [B, 1, 1, S]
        context = torch.matmul(weights.squeeze(1), annotations).squeeze(1)  # [B, 1, S] @ [B, S, K] → [B, K]
        return context, weights


class DecoderLayerStep(nn.Module):
    """One decoder step: attend with s_{i-1}, then s_i = GRU([E y_{i-1}; c_i], s_{i-1})."""

    def __init__(self, model: GRUSeq2Seq):
        super().__init__()
        self.encoder_attn = AdditiveAttentionStep(model.attention)
        self.decoder_cell = model.decoder_cell

    def forward(self, previous, state, annotations, additive_mask):
        context, weights = self.encoder_attn(state, annotations, additive_mask)  # [B, K], [B, 1, 1, S]
        return self.decoder_cell(torch.cat([previous, context], dim=-1), state), context, weights


class _Decoder(nn.Module):
    def __init__(self, model: GRUSeq2Seq):
        super().__init__()
        self.summary = model.summary  # [h→_last; h←_first] of the annotations, as in training
        self.embed_tokens = model.shared
        self.bridge = model.bridge
        self.layers = nn.ModuleList([DecoderLayerStep(model)])
        self.output_proj = model.output_proj
        self.register_buffer("final_logits_bias", model.final_logits_bias.clone())

    def forward(self, input_ids, encoder_attention_mask, encoder_hidden_states, past_state, use_cache_branch):
        additive_mask = (1.0 - encoder_attention_mask.to(encoder_hidden_states.dtype)) * MASK_VALUE  # [B, S]
        initial = torch.tanh(self.bridge(self.summary(encoder_hidden_states, encoder_attention_mask)))  # s_0 [B, D]
        state = torch.where(use_cache_branch, past_state, initial)  # [B, D]
        previous = self.embed_tokens(input_ids[:, 0])  # [B, E]
        state, context, weights = self.layers[0](previous, state, encoder_hidden_states, additive_mask)
        hidden = self.output_proj(torch.cat([state, context, previous], dim=-1))  # [B, E]
        logits = torch.matmul(hidden, self.embed_tokens.weight.t()) + self.final_logits_bias  # [B, V]
        return logits[:, None, :], state, weights


class DecoderForExport(nn.Module):
    def __init__(self, model: GRUSeq2Seq):
        super().__init__()
        self.model = _Scope("decoder", _Decoder(model))

    def forward(self, input_ids, encoder_attention_mask, encoder_hidden_states, past_state, use_cache_branch):
        return self.model(input_ids, encoder_attention_mask, encoder_hidden_states, past_state, use_cache_branch)


def round_to_float16(model: GRUSeq2Seq) -> GRUSeq2Seq:
    """Rounds every floating-point weight and buffer to float16 (in place): the exported files then hold exactly the
    model's weights, whether an initializer ends up stored as float16 or, being small, as float32."""
    with torch.no_grad():
        for tensor in list(model.parameters()) + list(model.buffers()):
            if tensor.is_floating_point():
                tensor.copy_(tensor.half().float())
    return model


def hf_config(model: GRUSeq2Seq) -> dict:
    config = model.config
    return {
        "architectures": ["AttnGRUForConditionalGeneration"],
        "model_type": MODEL_TYPE,
        "is_encoder_decoder": True,
        "attention": "additive" if config.attention else "none",
        "vocab_size": config.vocab_size,
        "embedding_size": config.embed_dim,
        "encoder_hidden_size": config.encoder_hidden,
        "encoder_bidirectional": True,
        "decoder_hidden_size": config.decoder_hidden,
        "attention_size": config.attention_dim,
        "encoder_layers": 1,
        "decoder_layers": 1,
        "decoder_attention_heads": 1,
        "tie_word_embeddings": True,
        "dropout": config.dropout,
        "bos_token_id": config.eos_token_id,
        "eos_token_id": config.eos_token_id,
        "pad_token_id": config.pad_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "forced_eos_token_id": config.eos_token_id,
        "torch_dtype": "float32",
    }


def _sample_inputs(model: GRUSeq2Seq) -> tuple:
    """Tracing inputs: a padded batch of 2, source length 5 (values do not matter, only shapes and dtypes)."""
    pad = model.config.pad_token_id
    input_ids = torch.tensor([[10, 11, 12, 13, 0], [14, 15, 0, pad, pad]])
    attention_mask = (input_ids != pad).long()
    with torch.no_grad():
        annotations = model.encode(input_ids, attention_mask)  # [2, 5, K]
    past_state = torch.zeros(2, model.config.decoder_hidden)
    return input_ids, attention_mask, annotations, past_state


def export_encoder(model: GRUSeq2Seq, path: Path) -> None:
    input_ids, attention_mask, _, _ = _sample_inputs(model)
    axes = {0: BATCH, 1: SOURCE}
    torch.onnx.export(EncoderForExport(model).eval(), (input_ids, attention_mask), str(path),
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                      opset_version=OPSET, do_constant_folding=True)


def export_decoder(model: GRUSeq2Seq, path: Path) -> None:
    _, attention_mask, annotations, past_state = _sample_inputs(model)
    input_ids = torch.tensor([[10], [11]])
    axes = {
        "input_ids": {0: BATCH},
        "encoder_attention_mask": {0: BATCH, 1: SOURCE},
        "encoder_hidden_states": {0: BATCH, 1: SOURCE},
        "past_state": {0: BATCH},
        "logits": {0: BATCH},
        "present_state": {0: BATCH},
        "cross_attentions.0": {0: BATCH, 3: SOURCE},
    }
    torch.onnx.export(DecoderForExport(model).eval(),
                      (input_ids, attention_mask, annotations, past_state, torch.tensor([True])), str(path),
                      input_names=DECODER_INPUTS, output_names=DECODER_OUTPUTS, dynamic_axes=axes,
                      opset_version=OPSET, do_constant_folding=True)


def export_gru(model: GRUSeq2Seq, folder: Path, float16: bool = True) -> dict:
    """Writes onnx/encoder_model.onnx and onnx/decoder_model_merged.onnx into folder; returns sizes and Softmax names.

    With float16 the model is first rounded to float16 in place (round_to_float16), so that it holds the exported
    weights. Raises ValueError for a model without attention (nothing to tap; the layout has no fixed-summary variant).
    """
    if model.attention is None:
        raise ValueError("export_gru(): the model has no attention; only the attention GRU is exported")
    model = model.eval()
    if float16:
        round_to_float16(model)
    onnx_folder = folder / "onnx"
    onnx_folder.mkdir(parents=True, exist_ok=True)
    encoder_path, decoder_path = onnx_folder / "encoder_model.onnx", onnx_folder / "decoder_model_merged.onnx"
    export_encoder(model, encoder_path)
    export_decoder(model, decoder_path)
    summary = {"encoder": postprocess(encoder_path, float16), "decoder": postprocess(decoder_path, float16),
               "decoder_softmax": softmax_node_names(decoder_path)}
    if summary["decoder_softmax"] != [SOFTMAX_NODE]:
        raise RuntimeError(f"export_gru(): expected one Softmax named {SOFTMAX_NODE}, got {summary['decoder_softmax']}")
    return summary


def write_folder(model: GRUSeq2Seq, tokenizer, folder: Path, max_length: int, num_beams: int,
                 float16: bool = True) -> dict:
    """The whole model folder: config.json, generation_config.json, the tokenizer files and the ONNX files."""
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "config.json", hf_config(model))
    write_json(folder / "generation_config.json", seq2seq_generation_config(model.config, max_length, num_beams))
    tokenizer.write_hf_files(folder, model_max_length=512)
    return export_gru(model, folder, float16)


@torch.no_grad()
def greedy_with_attention(model: GRUSeq2Seq, input_ids: list[int], max_new_tokens: int) -> tuple[list[int], list]:
    """Greedy decoding of one sentence with zoo/gru.py's own decode (pad never chosen, stop at eos): the ids and, per
    step, the attention weights over the source [S]."""
    config = model.config
    ids = torch.tensor([input_ids])
    mask = torch.ones_like(ids)
    annotations = model.encode(ids, mask)
    tokens, past, chosen, weights = torch.tensor([[config.decoder_start_token_id]]), None, [], []
    for _ in range(max_new_tokens):
        logits, past = model.decode(tokens, annotations, mask, past)
        weights.append(model.last_attention[0, -1].tolist())
        row = logits[0, -1].clone()
        row[config.pad_token_id] = float("-inf")
        chosen.append(int(row.argmax()))
        if chosen[-1] == config.eos_token_id:
            break
        tokens = torch.tensor([[chosen[-1]]])
    return chosen, weights


@torch.no_grad()
def node_check_runs(model: GRUSeq2Seq, sources: list[list[int]], steps: int) -> list[dict]:
    """Runs for zoo/node_check.run_output_check: the encoder on the padded batch `sources`, then `steps` decoder steps
    along the greedy path of zoo/gru.py's own decode, each fed PyTorch's annotations and state and expected to give
    its logits, state and attention weights."""
    from .node_check import output_run
    from .training import pad

    config = model.config
    input_ids = pad(sources, config.pad_token_id)  # [B, S]
    mask = (input_ids != config.pad_token_id).long()
    annotations = model.encode(input_ids, mask)  # [B, S, K]
    runs = [output_run("onnx/encoder_model.onnx", {"input_ids": input_ids, "attention_mask": mask},
                       {"last_hidden_state": annotations})]
    tokens = torch.full((len(sources), 1), config.decoder_start_token_id)
    state, past = torch.zeros(len(sources), config.decoder_hidden), None
    for step in range(steps):
        logits, past = model.decode(tokens, annotations, mask, past)  # [B, 1, V]
        inputs = {"input_ids": tokens, "encoder_attention_mask": mask, "encoder_hidden_states": annotations,
                  "past_state": state, "use_cache_branch": torch.tensor([step > 0])}
        expected = {"logits": logits, "present_state": past[0][0],
                    "cross_attentions.0": model.last_attention[:, :, None, :]}  # [B, 1, 1, S]
        runs.append(output_run("onnx/decoder_model_merged.onnx", inputs, expected))
        banned = logits[:, -1].clone()
        banned[:, config.pad_token_id] = float("-inf")
        tokens, state = banned.argmax(dim=-1, keepdim=True), past[0][0]
    return runs
