"""Vision Transformer (Dosovitskiy et al. 2020, "An Image is Worth 16x16 Words"): non-overlapping patches embedded by
a strided convolution, a learned [CLS] token and learned positions, pre-norm Transformer layers, a final LayerNorm and
a linear classifier on the [CLS] token.

Module names mirror Hugging Face's ViTForImageClassification (`vit.embeddings.patch_embeddings.projection`,
`vit.encoder.layer.{i}.attention.attention.query`, `layernorm_before`, `vit.layernorm`, `classifier`), so ONNX node
names read `/vit/encoder/layer.0/attention/attention/Softmax`.

Shape legend: B batch, C channels, N patches (+1 with [CLS]), H heads, Dh head dim, D hidden size, K labels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from .attention import attend, merge_heads, split_heads


@dataclass
class ViTConfig:
    image_size: int = 224
    patch_size: int = 16
    num_channels: int = 3
    hidden_size: int = 192
    num_hidden_layers: int = 6
    num_attention_heads: int = 3
    intermediate_size: int = 768
    hidden_dropout_prob: float = 0.0
    attention_probs_dropout_prob: float = 0.0
    layer_norm_eps: float = 1e-12
    initializer_range: float = 0.02
    labels: list[str] = field(default_factory=lambda: ["negative", "positive"])
    multi_label: bool = False

    @property
    def num_patches(self) -> int:
        return (self.image_size // self.patch_size) ** 2

    def to_hf_dict(self) -> dict:
        """config.json of a ViTForImageClassification, with id2label / label2id."""
        return {
            "architectures": ["ViTForImageClassification"],
            "model_type": "vit",
            "image_size": self.image_size,
            "patch_size": self.patch_size,
            "num_channels": self.num_channels,
            "hidden_size": self.hidden_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "intermediate_size": self.intermediate_size,
            "hidden_act": "gelu",
            "hidden_dropout_prob": self.hidden_dropout_prob,
            "attention_probs_dropout_prob": self.attention_probs_dropout_prob,
            "layer_norm_eps": self.layer_norm_eps,
            "initializer_range": self.initializer_range,
            "qkv_bias": True,
            "encoder_stride": self.patch_size,
            "id2label": {str(index): label for index, label in enumerate(self.labels)},
            "label2id": {label: index for index, label in enumerate(self.labels)},
            "problem_type": "multi_label_classification" if self.multi_label else "single_label_classification",
            "torch_dtype": "float32",
        }


class ViTPatchEmbeddings(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.projection = nn.Conv2d(
            config.num_channels, config.hidden_size, kernel_size=config.patch_size, stride=config.patch_size
        )

    def forward(self, pixel_values):
        return self.projection(pixel_values).flatten(2).transpose(1, 2)  # [B, C, h, w] → [B, D, h·w] → [B, N, D]


class ViTEmbeddings(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, config.hidden_size))
        self.patch_embeddings = ViTPatchEmbeddings(config)
        self.position_embeddings = nn.Parameter(torch.zeros(1, config.num_patches + 1, config.hidden_size))
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, pixel_values):
        patches = self.patch_embeddings(pixel_values)  # [B, N, D]
        cls = self.cls_token.expand(patches.shape[0], -1, -1)  # [B, 1, D]
        return self.dropout(torch.cat([cls, patches], dim=1) + self.position_embeddings)  # [B, N+1, D]


class ViTSelfAttention(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout = config.attention_probs_dropout_prob

    def forward(self, hidden):
        query = split_heads(self.query(hidden), self.heads)  # [B, H, N+1, Dh]
        key = split_heads(self.key(hidden), self.heads)
        value = split_heads(self.value(hidden), self.heads)
        context, probabilities = attend(query, key, value, None, math.sqrt(self.head_dim), self.dropout, self.training)
        return merge_heads(context), probabilities  # [B, N+1, D]


class ViTSelfOutput(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, context):
        return self.dropout(self.dense(context))


class ViTAttention(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.attention = ViTSelfAttention(config)
        self.output = ViTSelfOutput(config)

    def forward(self, hidden):
        context, probabilities = self.attention(hidden)
        return self.output(context), probabilities


class ViTIntermediate(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.intermediate_size)

    def forward(self, hidden):
        return F.gelu(self.dense(hidden))


class ViTOutput(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.dense = nn.Linear(config.intermediate_size, config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, inner, residual):
        return self.dropout(self.dense(inner)) + residual


class ViTLayer(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.attention = ViTAttention(config)
        self.intermediate = ViTIntermediate(config)
        self.output = ViTOutput(config)
        self.layernorm_before = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.layernorm_after = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, hidden):
        attended, probabilities = self.attention(self.layernorm_before(hidden))
        hidden = attended + hidden
        return self.output(self.intermediate(self.layernorm_after(hidden)), hidden), probabilities


class ViTEncoder(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        self.layer = nn.ModuleList([ViTLayer(config) for _ in range(config.num_hidden_layers)])

    def forward(self, hidden):
        attentions = []
        for layer in self.layer:
            hidden, probabilities = layer(hidden)
            attentions.append(probabilities)
        return hidden, attentions


class ViTModel(nn.Module):
    """Embeddings, encoder and the final LayerNorm (no pooler, as ViTForImageClassification)."""

    def __init__(self, config: ViTConfig):
        super().__init__()
        self.embeddings = ViTEmbeddings(config)
        self.encoder = ViTEncoder(config)
        self.layernorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, pixel_values):
        hidden, attentions = self.encoder(self.embeddings(pixel_values))
        return self.layernorm(hidden), attentions  # [B, N+1, D], [B, H, N+1, N+1] per layer


class ViTForImageClassification(nn.Module):
    """logits [B, K] = classifier(last_hidden_state[:, 0]) — the [CLS] token."""

    def __init__(self, config: ViTConfig):
        super().__init__()
        self.config = config
        self.vit = ViTModel(config)
        self.classifier = nn.Linear(config.hidden_size, len(config.labels))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Hugging Face's ViT initialisation: truncated normal(0, initializer_range) weights and positions."""
        std = self.config.initializer_range
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Conv2d)):
                nn.init.trunc_normal_(module.weight, mean=0.0, std=std)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
        nn.init.trunc_normal_(self.vit.embeddings.position_embeddings, mean=0.0, std=std)
        nn.init.trunc_normal_(self.vit.embeddings.cls_token, mean=0.0, std=std)

    def forward(self, pixel_values):
        last_hidden_state, _ = self.vit(pixel_values)
        return self.classifier(last_hidden_state[:, 0]), last_hidden_state
