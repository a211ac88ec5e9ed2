"""Multi-head scaled dot-product attention (Vaswani et al. 2017) written out as MatMul → scale → Add(mask) → Softmax →
MatMul, never a fused kernel, so that the attention probabilities are one Softmax node's output in ONNX.

Shape legend: B batch, H heads, T query length, S key length (past included), Dh head dim, D model dim.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def split_heads(states: torch.Tensor, heads: int) -> torch.Tensor:
    """[B, L, D] → [B, H, L, Dh]"""
    batch, length, width = states.shape
    return states.reshape(batch, length, heads, width // heads).transpose(1, 2)


def merge_heads(states: torch.Tensor) -> torch.Tensor:
    """[B, H, L, Dh] → [B, L, H·Dh]"""
    batch, heads, length, head_dim = states.shape
    return states.transpose(1, 2).reshape(batch, length, heads * head_dim)


def attend(query, key, value, additive_mask=None, score_scale=None, dropout=0.0, training=False):
    """softmax(Q Kᵀ · score_scale + mask) V. query [B,H,T,Dh], key/value [B,H,S,Dh], mask broadcastable to [B,H,T,S].

    Returns (context [B,H,T,Dh], probabilities [B,H,T,S]). score_scale None means the caller scaled the query already
    (BART, Whisper, DETR); BERT, ViT and GPT-2 divide the scores instead, as Hugging Face does.
    """
    scores = torch.matmul(query, key.transpose(-1, -2))  # [B, H, T, S]
    if score_scale is not None:
        scores = scores / score_scale
    if additive_mask is not None:
        scores = scores + additive_mask
    probabilities = torch.softmax(scores, dim=-1)
    context = torch.matmul(F.dropout(probabilities, dropout, training), value)  # [B, H, T, Dh]
    return context, probabilities


class MultiHeadAttention(nn.Module):
    """q_proj / k_proj / v_proj / out_proj attention of BART, Whisper and DETR (query scaled by Dh^-½).

    Queries, keys and values come from separate inputs so DETR can add positions to queries and keys only; past keys
    and values [B, H, P, Dh] are prepended for cached decoding.
    """

    def __init__(self, d_model: int, heads: int, dropout: float = 0.0, key_bias: bool = True):
        super().__init__()
        self.heads = heads
        self.scaling = (d_model // heads) ** -0.5
        self.dropout = dropout
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model, bias=key_bias)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, query_states, key_states, value_states, past_key=None, past_value=None, additive_mask=None):
        """Returns (output [B,T,D], probabilities [B,H,T,S], key [B,H,S,Dh], value [B,H,S,Dh])."""
        query = split_heads(self.q_proj(query_states) * self.scaling, self.heads)  # [B, H, T, Dh]
        key = split_heads(self.k_proj(key_states), self.heads)  # [B, H, S_new, Dh]
        value = split_heads(self.v_proj(value_states), self.heads)
        if past_key is not None:
            key = torch.cat([past_key, key], dim=2)  # [B, H, P+S_new, Dh]
            value = torch.cat([past_value, value], dim=2)
        context, probabilities = attend(query, key, value, additive_mask, None, self.dropout, self.training)
        return self.out_proj(merge_heads(context)), probabilities, key, value
