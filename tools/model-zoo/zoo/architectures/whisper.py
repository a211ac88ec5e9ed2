"""Whisper (Radford et al. 2022, "Robust Speech Recognition via Large-Scale Weak Supervision"): a log-mel
spectrogram through a conv stem (two 1-D convolutions with GELU, the second with stride 2), fixed sinusoidal encoder
positions, pre-norm Transformer encoder and decoder (learned decoder positions), final LayerNorms, and an output
projection tied to the decoder's token embeddings. Keys have no bias, as in Whisper.

Module names mirror Hugging Face's WhisperForConditionalGeneration (`model.encoder.conv1`,
`model.encoder.layers.{i}.self_attn.k_proj`, `model.decoder.layers.{i}.encoder_attn`, `model.decoder.layer_norm`,
`proj_out`), so ONNX node names read `/model/decoder/layers.0/encoder_attn/Softmax`.

Shape legend: B batch, M mel bins, F mel frames, S = F/2 encoder positions, T new tokens, P past length, H heads,
Dh head dim, D d_model, V vocabulary.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from zoo.transformer import causal_mask

from .attention import MultiHeadAttention


@dataclass
class WhisperConfig:
    vocab_size: int
    num_mel_bins: int = 80
    d_model: int = 256
    encoder_layers: int = 4
    decoder_layers: int = 4
    encoder_attention_heads: int = 4
    decoder_attention_heads: int = 4
    encoder_ffn_dim: int = 1024
    decoder_ffn_dim: int = 1024
    max_source_positions: int = 1500
    max_target_positions: int = 448
    dropout: float = 0.0
    attention_dropout: float = 0.0
    activation_dropout: float = 0.0
    init_std: float = 0.02
    bos_token_id: int = 0
    eos_token_id: int = 0
    pad_token_id: int = 0
    decoder_start_token_id: int = 1

    def to_hf_dict(self) -> dict:
        """config.json of a WhisperForConditionalGeneration."""
        return {
            "architectures": ["WhisperForConditionalGeneration"],
            "model_type": "whisper",
            "is_encoder_decoder": True,
            "vocab_size": self.vocab_size,
            "num_mel_bins": self.num_mel_bins,
            "d_model": self.d_model,
            "encoder_layers": self.encoder_layers,
            "decoder_layers": self.decoder_layers,
            "num_hidden_layers": self.encoder_layers,
            "encoder_attention_heads": self.encoder_attention_heads,
            "decoder_attention_heads": self.decoder_attention_heads,
            "encoder_ffn_dim": self.encoder_ffn_dim,
            "decoder_ffn_dim": self.decoder_ffn_dim,
            "max_source_positions": self.max_source_positions,
            "max_target_positions": self.max_target_positions,
            "activation_function": "gelu",
            "dropout": self.dropout,
            "attention_dropout": self.attention_dropout,
            "activation_dropout": self.activation_dropout,
            "encoder_layerdrop": 0.0,
            "decoder_layerdrop": 0.0,
            "scale_embedding": False,
            "init_std": self.init_std,
            "tie_word_embeddings": True,
            "use_cache": True,
            "bos_token_id": self.bos_token_id,
            "eos_token_id": self.eos_token_id,
            "pad_token_id": self.pad_token_id,
            "decoder_start_token_id": self.decoder_start_token_id,
            "median_filter_width": 7,
            "torch_dtype": "float32",
        }


def whisper_sinusoids(length: int, channels: int, max_timescale: float = 10000.0) -> torch.Tensor:
    """Whisper's encoder positions [length, channels]: [sin | cos] halves, timescales geometric from 1 to
    max_timescale."""
    increment = math.log(max_timescale) / (channels // 2 - 1)
    inverse_timescales = torch.exp(-increment * torch.arange(channels // 2, dtype=torch.float64))
    angles = torch.arange(length, dtype=torch.float64)[:, None] * inverse_timescales[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1).float()


class WhisperEncoderLayer(nn.Module):
    def __init__(self, config: WhisperConfig):
        super().__init__()
        d = config.d_model
        self.self_attn = MultiHeadAttention(d, config.encoder_attention_heads, config.attention_dropout, key_bias=False)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.encoder_ffn_dim)
        self.fc2 = nn.Linear(config.encoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden):
        normed = self.self_attn_layer_norm(hidden)
        attended, _, _, _ = self.self_attn(normed, normed, normed)
        hidden = hidden + F.dropout(attended, self.dropout, self.training)
        inner = F.dropout(F.gelu(self.fc1(self.final_layer_norm(hidden))), self.activation_dropout, self.training)
        return hidden + F.dropout(self.fc2(inner), self.dropout, self.training)


class WhisperDecoderLayer(nn.Module):
    def __init__(self, config: WhisperConfig):
        super().__init__()
        d = config.d_model
        heads = config.decoder_attention_heads
        self.self_attn = MultiHeadAttention(d, heads, config.attention_dropout, key_bias=False)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = MultiHeadAttention(d, heads, config.attention_dropout, key_bias=False)
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.decoder_ffn_dim)
        self.fc2 = nn.Linear(config.decoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden, causal, encoder_hidden_states, past_key=None, past_value=None):
        """Returns hidden [B,T,D], cross-attention probabilities [B,H,T,S], self key and value [B,H,P+T,Dh]."""
        normed = self.self_attn_layer_norm(hidden)
        attended, _, key, value = self.self_attn(normed, normed, normed, past_key, past_value, causal)
        hidden = hidden + F.dropout(attended, self.dropout, self.training)
        normed = self.encoder_attn_layer_norm(hidden)
        attended, cross, _, _ = self.encoder_attn(normed, encoder_hidden_states, encoder_hidden_states)
        hidden = hidden + F.dropout(attended, self.dropout, self.training)
        inner = F.dropout(F.gelu(self.fc1(self.final_layer_norm(hidden))), self.activation_dropout, self.training)
        return hidden + F.dropout(self.fc2(inner), self.dropout, self.training), cross, key, value


class WhisperEncoder(nn.Module):
    def __init__(self, config: WhisperConfig):
        super().__init__()
        d = config.d_model
        self.conv1 = nn.Conv1d(config.num_mel_bins, d, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(d, d, kernel_size=3, stride=2, padding=1)
        self.embed_positions = nn.Embedding(config.max_source_positions, d)
        self.embed_positions.weight = nn.Parameter(
            whisper_sinusoids(config.max_source_positions, d), requires_grad=False
        )
        self.layers = nn.ModuleList([WhisperEncoderLayer(config) for _ in range(config.encoder_layers)])
        self.layer_norm = nn.LayerNorm(d)
        self.dropout = config.dropout

    def forward(self, input_features):
        """input_features [B, M, F] (log-mel, Whisper's scaling) → last_hidden_state [B, S, D]."""
        # GELU after the permute: torch 1.13's CPU GELU backward reads a permuted (non-contiguous) incoming gradient
        # wrongly (garbage, even NaN), which wrecked training; tests/test_whisper_architecture.py checks it.
        hidden = F.gelu(self.conv2(F.gelu(self.conv1(input_features))).permute(0, 2, 1))  # [B, D, S] → [B, S, D]
        hidden = hidden + self.embed_positions.weight[: hidden.shape[1]]
        hidden = F.dropout(hidden, self.dropout, self.training)
        for layer in self.layers:
            hidden = layer(hidden)
        return self.layer_norm(hidden)


class WhisperDecoder(nn.Module):
    def __init__(self, config: WhisperConfig):
        super().__init__()
        d = config.d_model
        self.embed_tokens = nn.Embedding(config.vocab_size, d)
        self.embed_positions = nn.Embedding(config.max_target_positions, d)
        self.layers = nn.ModuleList([WhisperDecoderLayer(config) for _ in range(config.decoder_layers)])
        self.layer_norm = nn.LayerNorm(d)
        self.dropout = config.dropout

    def forward(self, input_ids, encoder_hidden_states, past=None):
        """past: list of (key, value) [B,H,P,Dh] per layer or None.

        Returns hidden [B,T,D], presents (key, value) per layer, cross-attention probabilities [B,H,T,S] per layer.
        """
        query_length = input_ids.shape[1]
        past_length = 0 if past is None else past[0][0].shape[2]
        positions = torch.arange(query_length, device=input_ids.device) + past_length  # [T]
        hidden = self.embed_tokens(input_ids) + self.embed_positions(positions)[None]
        hidden = F.dropout(hidden, self.dropout, self.training)  # [B, T, D]
        causal = causal_mask(query_length, past_length, input_ids)
        presents, cross_attentions = [], []
        for index, layer in enumerate(self.layers):
            past_key, past_value = (None, None) if past is None else past[index]
            hidden, cross, key, value = layer(hidden, causal, encoder_hidden_states, past_key, past_value)
            presents.append((key, value))
            cross_attentions.append(cross)
        return self.layer_norm(hidden), presents, cross_attentions


class WhisperModel(nn.Module):
    def __init__(self, config: WhisperConfig):
        super().__init__()
        self.encoder = WhisperEncoder(config)
        self.decoder = WhisperDecoder(config)


class WhisperForConditionalGeneration(nn.Module):
    """logits = decoder(h) · Eᵀ (proj_out tied to the decoder's embed_tokens, no bias)."""

    def __init__(self, config: WhisperConfig):
        super().__init__()
        self.config = config
        self.model = WhisperModel(config)
        self.proj_out = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.proj_out.weight = self.model.decoder.embed_tokens.weight
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Hugging Face's Whisper initialisation: normal(0, init_std) for linear, conv and embedding weights."""
        for name, module in self.named_modules():
            if isinstance(module, (nn.Linear, nn.Conv1d)) or (
                isinstance(module, nn.Embedding) and name != "model.encoder.embed_positions"
            ):
                nn.init.normal_(module.weight, mean=0.0, std=self.config.init_std)
            if isinstance(module, (nn.Linear, nn.Conv1d)) and module.bias is not None:
                nn.init.zeros_(module.bias)

    def encode(self, input_features):
        return self.model.encoder(input_features)

    def decode(self, input_ids, encoder_hidden_states, past=None):
        """Returns logits [B,T,V], presents, cross-attention probabilities per layer."""
        hidden, presents, cross_attentions = self.model.decoder(input_ids, encoder_hidden_states, past)
        return self.proj_out(hidden), presents, cross_attentions

    def forward(self, input_features, decoder_input_ids):
        logits, _, _ = self.decode(decoder_input_ids, self.encode(input_features))
        return logits
