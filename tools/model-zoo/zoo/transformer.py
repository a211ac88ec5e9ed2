"""A Marian-style Transformer encoder–decoder (Vaswani et al. 2017, "Attention Is All You Need"; post-norm,
sinusoidal positions, scaled and tied embeddings) in PyTorch.

Module names mirror Hugging Face's MarianMTModel (`model.encoder.layers.{i}.self_attn.q_proj`,
`model.decoder.layers.{i}.encoder_attn`, `fc1`, `fc2`, `*_layer_norm`, `lm_head`, `final_logits_bias`) so that
exported ONNX node names read like Optimum exports (`/model/decoder/layers.0/encoder_attn/Softmax`).
Attention is written out as MatMul → Add(mask) → Softmax → MatMul, never a fused kernel, so that every attention
probability tensor is one Softmax node's output.

Shape legend: B batch, S source length, T target (query) length, P past length, H heads, Dh head dim, D d_model,
V vocabulary.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

MASK_VALUE = -1e9


@dataclass
class TransformerConfig:
    vocab_size: int
    d_model: int = 256
    encoder_layers: int = 3
    decoder_layers: int = 3
    encoder_attention_heads: int = 4
    decoder_attention_heads: int = 4
    encoder_ffn_dim: int = 1024
    decoder_ffn_dim: int = 1024
    dropout: float = 0.1
    attention_dropout: float = 0.0
    activation_dropout: float = 0.0
    activation_function: str = "swish"
    max_position_embeddings: int = 512
    scale_embedding: bool = True
    pad_token_id: int = 2
    eos_token_id: int = 0
    decoder_start_token_id: int = 2

    def to_dict(self) -> dict:
        return asdict(self)


def activation(name: str):
    if name in ("swish", "silu"):
        return F.silu
    if name == "gelu":
        return F.gelu
    if name == "relu":
        return F.relu
    raise ValueError(f"activation_function: expected swish, gelu or relu, got {name!r}")


def sinusoidal_table(positions: int, dim: int) -> torch.Tensor:
    """Marian's sinusoidal table: first half sin, second half cos (not interleaved). [positions, dim]"""
    position = torch.arange(positions, dtype=torch.float64)[:, None]
    frequency = torch.pow(10000.0, -2.0 * torch.arange(dim // 2, dtype=torch.float64) / dim)[None, :]
    angle = position * frequency
    table = torch.zeros(positions, dim, dtype=torch.float64)
    table[:, : dim // 2] = torch.sin(angle)
    table[:, dim // 2 : 2 * (dim // 2)] = torch.cos(angle)
    return table.float()


class SinusoidalPositionalEmbedding(nn.Module):
    def __init__(self, positions: int, dim: int):
        super().__init__()
        self.weight = nn.Parameter(sinusoidal_table(positions, dim), requires_grad=False)

    def forward(self, position_ids: torch.Tensor) -> torch.Tensor:
        return F.embedding(position_ids, self.weight)


class Attention(nn.Module):
    """Multi-head scaled dot-product attention with explicit MatMul/Softmax/MatMul."""

    def __init__(self, d_model: int, heads: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.head_dim = d_model // heads
        self.scaling = self.head_dim**-0.5
        self.dropout = dropout
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        batch = x.shape[0]
        return x.reshape(batch, -1, self.heads, self.head_dim).transpose(1, 2)  # [B, H, L, Dh]

    def forward(self, hidden, key_value_states=None, past_key=None, past_value=None, additive_mask=None):
        batch = hidden.shape[0]
        query = self.split_heads(self.q_proj(hidden) * self.scaling)  # [B, H, T, Dh]
        source = hidden if key_value_states is None else key_value_states
        key = self.split_heads(self.k_proj(source))  # [B, H, S, Dh]
        value = self.split_heads(self.v_proj(source))
        if past_key is not None:
            key = torch.cat([past_key, key], dim=2)  # [B, H, P+T, Dh]
            value = torch.cat([past_value, value], dim=2)
        scores = torch.matmul(query, key.transpose(-1, -2))  # [B, H, T, S]
        if additive_mask is not None:
            scores = scores + additive_mask
        probabilities = torch.softmax(scores, dim=-1)
        probabilities = F.dropout(probabilities, p=self.dropout, training=self.training)
        context = torch.matmul(probabilities, value)  # [B, H, T, Dh]
        context = context.transpose(1, 2).reshape(batch, -1, self.heads * self.head_dim)  # [B, T, D]
        return self.out_proj(context), key, value


class EncoderLayer(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        d = config.d_model
        self.self_attn = Attention(d, config.encoder_attention_heads, config.attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.encoder_ffn_dim)
        self.fc2 = nn.Linear(config.encoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.activation = activation(config.activation_function)
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden, additive_mask):
        attended, _, _ = self.self_attn(hidden, additive_mask=additive_mask)
        hidden = self.self_attn_layer_norm(hidden + F.dropout(attended, self.dropout, self.training))
        inner = F.dropout(self.activation(self.fc1(hidden)), self.activation_dropout, self.training)
        hidden = self.final_layer_norm(hidden + F.dropout(self.fc2(inner), self.dropout, self.training))
        return hidden


class DecoderLayer(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        d = config.d_model
        self.self_attn = Attention(d, config.decoder_attention_heads, config.attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = Attention(d, config.decoder_attention_heads, config.attention_dropout)
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.decoder_ffn_dim)
        self.fc2 = nn.Linear(config.decoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.activation = activation(config.activation_function)
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden, causal_mask, encoder_hidden_states, encoder_mask, past_key=None, past_value=None):
        attended, key, value = self.self_attn(
            hidden, past_key=past_key, past_value=past_value, additive_mask=causal_mask
        )
        hidden = self.self_attn_layer_norm(hidden + F.dropout(attended, self.dropout, self.training))
        attended, _, _ = self.encoder_attn(hidden, key_value_states=encoder_hidden_states, additive_mask=encoder_mask)
        hidden = self.encoder_attn_layer_norm(hidden + F.dropout(attended, self.dropout, self.training))
        inner = F.dropout(self.activation(self.fc1(hidden)), self.activation_dropout, self.training)
        hidden = self.final_layer_norm(hidden + F.dropout(self.fc2(inner), self.dropout, self.training))
        return hidden, key, value


def padding_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """[B, S] 1/0 mask → additive [B, 1, 1, S] (0 where attended, MASK_VALUE where padded)."""
    return (1.0 - attention_mask.to(torch.float32))[:, None, None, :] * MASK_VALUE


def causal_mask(query_length, past_length, reference: torch.Tensor) -> torch.Tensor:
    """Additive [1, 1, T, P+T] mask: query i (absolute position P+i) sees keys 0..P+i."""
    query_positions = torch.arange(query_length, device=reference.device) + past_length  # [T]
    key_positions = torch.arange(query_length + past_length, device=reference.device)  # [P+T]
    blocked = (key_positions[None, :] > query_positions[:, None]).to(torch.float32)  # [T, P+T]
    return (blocked * MASK_VALUE)[None, None, :, :]


class Encoder(nn.Module):
    def __init__(self, config: TransformerConfig, embed_tokens: nn.Embedding):
        super().__init__()
        self.embed_tokens = embed_tokens
        self.embed_scale = math.sqrt(config.d_model) if config.scale_embedding else 1.0
        self.embed_positions = SinusoidalPositionalEmbedding(config.max_position_embeddings, config.d_model)
        self.layers = nn.ModuleList([EncoderLayer(config) for _ in range(config.encoder_layers)])
        self.dropout = config.dropout

    def forward(self, input_ids, attention_mask):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)  # [S]
        hidden = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(positions)[None]
        hidden = F.dropout(hidden, self.dropout, self.training)  # [B, S, D]
        mask = padding_mask(attention_mask)
        for layer in self.layers:
            hidden = layer(hidden, mask)
        return hidden


class Decoder(nn.Module):
    def __init__(self, config: TransformerConfig, embed_tokens: nn.Embedding):
        super().__init__()
        self.embed_tokens = embed_tokens
        self.embed_scale = math.sqrt(config.d_model) if config.scale_embedding else 1.0
        self.embed_positions = SinusoidalPositionalEmbedding(config.max_position_embeddings, config.d_model)
        self.layers = nn.ModuleList([DecoderLayer(config) for _ in range(config.decoder_layers)])
        self.dropout = config.dropout

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask, past=None):
        """past: list of (key, value) [B, H, P, Dh] per layer or None. Returns hidden [B, T, D], presents."""
        query_length = input_ids.shape[1]
        past_length = 0 if past is None else past[0][0].shape[2]
        positions = torch.arange(query_length, device=input_ids.device) + past_length  # [T]
        hidden = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(positions)[None]
        hidden = F.dropout(hidden, self.dropout, self.training)  # [B, T, D]
        self_mask = causal_mask(query_length, past_length, input_ids)
        cross_mask = padding_mask(encoder_attention_mask)
        presents = []
        for index, layer in enumerate(self.layers):
            past_key, past_value = (None, None) if past is None else past[index]
            hidden, key, value = layer(hidden, self_mask, encoder_hidden_states, cross_mask, past_key, past_value)
            presents.append((key, value))
        return hidden, presents


class MarianCore(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.shared = nn.Embedding(config.vocab_size, config.d_model, padding_idx=config.pad_token_id)
        self.encoder = Encoder(config, self.shared)
        self.decoder = Decoder(config, self.shared)


class MarianMT(nn.Module):
    """Encoder–decoder with a tied output projection: logits = h · Eᵀ + final_logits_bias."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.config = config
        self.model = MarianCore(config)
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.lm_head.weight = self.model.shared.weight
        self.register_buffer("final_logits_bias", torch.zeros(1, config.vocab_size))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for name, parameter in self.named_parameters():
            if "embed_positions" in name or "layer_norm" in name:
                continue
            if name.endswith("bias"):
                nn.init.zeros_(parameter)
            elif parameter.dim() == 2 and "shared" not in name:
                nn.init.xavier_uniform_(parameter)
        nn.init.normal_(self.model.shared.weight, mean=0.0, std=self.config.d_model**-0.5)
        with torch.no_grad():
            self.model.shared.weight[self.config.pad_token_id].zero_()

    def encode(self, input_ids, attention_mask):
        return self.model.encoder(input_ids, attention_mask)

    def decode(self, input_ids, encoder_hidden_states, encoder_attention_mask, past=None):
        hidden, presents = self.model.decoder(input_ids, encoder_hidden_states, encoder_attention_mask, past)
        logits = self.lm_head(hidden) + self.final_logits_bias  # [B, T, V]
        return logits, presents

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        encoded = self.encode(input_ids, attention_mask)
        logits, _ = self.decode(decoder_input_ids, encoded, attention_mask)
        return logits

    def parameter_count(self) -> int:
        return sum(p.numel() for name, p in self.named_parameters() if "embed_positions" not in name)
