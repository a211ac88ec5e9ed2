"""GPT-2 (Radford et al. 2019, "Language Models are Unsupervised Multitask Learners"): a pre-norm decoder-only
Transformer with learned positions, GELU (tanh approximation), a final LayerNorm and an output projection tied to the
token embeddings; keys and values of earlier positions are cached.

Module names mirror Hugging Face's GPT2LMHeadModel (`transformer.wte`, `transformer.h.{i}.attn.c_attn`, `mlp.c_fc`,
`ln_f`), including its Conv1D layers (weight [in, out]), so ONNX node names read `/transformer/h.0/attn/Softmax`.

Shape legend: B batch, T new tokens, P past length, H heads, Dh head dim, D n_embd, V vocabulary.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from zoo.transformer import causal_mask, padding_mask

from .attention import attend, merge_heads, split_heads


@dataclass
class GPT2Config:
    vocab_size: int
    n_positions: int = 512
    n_embd: int = 256
    n_layer: int = 4
    n_head: int = 4
    n_inner: int | None = None
    resid_pdrop: float = 0.1
    embd_pdrop: float = 0.1
    attn_pdrop: float = 0.1
    layer_norm_epsilon: float = 1e-5
    initializer_range: float = 0.02
    bos_token_id: int = 0
    eos_token_id: int = 0

    @property
    def inner_dim(self) -> int:
        return self.n_inner if self.n_inner is not None else 4 * self.n_embd

    def to_hf_dict(self) -> dict:
        """config.json of a GPT2LMHeadModel."""
        return {
            "architectures": ["GPT2LMHeadModel"],
            "model_type": "gpt2",
            "vocab_size": self.vocab_size,
            "n_positions": self.n_positions,
            "n_ctx": self.n_positions,
            "n_embd": self.n_embd,
            "n_layer": self.n_layer,
            "n_head": self.n_head,
            "n_inner": self.n_inner,
            "activation_function": "gelu_new",
            "resid_pdrop": self.resid_pdrop,
            "embd_pdrop": self.embd_pdrop,
            "attn_pdrop": self.attn_pdrop,
            "layer_norm_epsilon": self.layer_norm_epsilon,
            "initializer_range": self.initializer_range,
            "scale_attn_weights": True,
            "tie_word_embeddings": True,
            "use_cache": True,
            "bos_token_id": self.bos_token_id,
            "eos_token_id": self.eos_token_id,
            "torch_dtype": "float32",
        }


class Conv1D(nn.Module):
    """GPT-2's linear layer with the weight stored [in, out]: y = x W + b."""

    def __init__(self, out_features: int, in_features: int):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, states):
        return torch.matmul(states, self.weight) + self.bias


class GPT2Attention(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.heads = config.n_head
        self.width = config.n_embd
        self.c_attn = Conv1D(3 * config.n_embd, config.n_embd)
        self.c_proj = Conv1D(config.n_embd, config.n_embd)
        self.attn_dropout = config.attn_pdrop
        self.resid_dropout = nn.Dropout(config.resid_pdrop)

    def forward(self, hidden, additive_mask, past_key=None, past_value=None):
        query, key, value = self.c_attn(hidden).split(self.width, dim=2)  # [B, T, D] each
        query, key, value = (split_heads(part, self.heads) for part in (query, key, value))  # [B, H, T, Dh]
        if past_key is not None:
            key = torch.cat([past_key, key], dim=2)  # [B, H, P+T, Dh]
            value = torch.cat([past_value, value], dim=2)
        scale = math.sqrt(self.width // self.heads)
        context, probabilities = attend(query, key, value, additive_mask, scale, self.attn_dropout, self.training)
        return self.resid_dropout(self.c_proj(merge_heads(context))), probabilities, key, value


class GPT2MLP(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.c_fc = Conv1D(config.inner_dim, config.n_embd)
        self.c_proj = Conv1D(config.n_embd, config.inner_dim)
        self.dropout = nn.Dropout(config.resid_pdrop)

    def forward(self, hidden):
        return self.dropout(self.c_proj(F.gelu(self.c_fc(hidden), approximate="tanh")))


class GPT2Block(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = GPT2Attention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = GPT2MLP(config)

    def forward(self, hidden, additive_mask, past_key=None, past_value=None):
        attended, probabilities, key, value = self.attn(self.ln_1(hidden), additive_mask, past_key, past_value)
        hidden = hidden + attended
        return hidden + self.mlp(self.ln_2(hidden)), probabilities, key, value


class GPT2Model(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.drop = nn.Dropout(config.embd_pdrop)
        self.h = nn.ModuleList([GPT2Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        """attention_mask [B, P+T] (1 = attend); past: list of (key, value) [B, H, P, Dh] or None.

        Returns hidden [B, T, D] and presents (key, value) [B, H, P+T, Dh] per layer.
        """
        query_length = input_ids.shape[1]
        past_length = 0 if past is None else past[0][0].shape[2]
        hidden = self.drop(self.wte(input_ids) + self.wpe(position_ids))  # [B, T, D]
        mask = causal_mask(query_length, past_length, input_ids) + padding_mask(attention_mask)  # [B, 1, T, P+T]
        presents = []
        for index, block in enumerate(self.h):
            past_key, past_value = (None, None) if past is None else past[index]
            hidden, _, key, value = block(hidden, mask, past_key, past_value)
            presents.append((key, value))
        return self.ln_f(hidden), presents


class GPT2LMHeadModel(nn.Module):
    """logits = ln_f(h) · wteᵀ (no bias, as GPT-2)."""

    def __init__(self, config: GPT2Config):
        super().__init__()
        self.config = config
        self.transformer = GPT2Model(config)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """GPT-2's initialisation: normal(0, 0.02), residual projections scaled by 1/√(2·n_layer)."""
        std = self.config.initializer_range
        for name, parameter in self.named_parameters():
            if name.endswith("bias") or ".ln_" in name:  # LayerNorms keep (1, 0)
                continue
            scaled = name.endswith("c_proj.weight")
            nn.init.normal_(parameter, mean=0.0, std=std / math.sqrt(2 * self.config.n_layer) if scaled else std)

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        hidden, presents = self.transformer(input_ids, attention_mask, position_ids, past)
        return self.lm_head(hidden), presents  # [B, T, V]
