"""DETR (Carion et al. 2020, "End-to-End Object Detection with Transformers"): a CNN backbone, a 1×1 projection to
d_model, a post-norm Transformer encoder over the feature map with 2-D sine positions added to queries and keys, a
decoder over learned object queries (the decoder input starts at zero, the query embeddings are added to its queries
and keys in every layer), and per query a class (num_labels + 1, the last is "no object") and a box (normalised
cx, cy, w, h through a 3-layer MLP and a sigmoid).

The backbone is ours — a few stride-2 conv + BatchNorm + ReLU stages, trained from scratch — not ResNet weights.
Module names mirror Hugging Face's DetrForObjectDetection (`model.input_projection`, `model.query_position_embeddings`,
`model.encoder.layers.{i}.self_attn`, `model.decoder.layers.{i}.encoder_attn`, `model.decoder.layernorm`,
`class_labels_classifier`, `bbox_predictor.layers.{i}`), so ONNX node names read
`/model/decoder/layers.0/encoder_attn/Softmax`.

Shape legend: B batch, C channels, h×w feature map, S = h·w encoder tokens, Q object queries, D d_model, K labels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from zoo.transformer import activation, padding_mask

from .attention import MultiHeadAttention


@dataclass
class DetrConfig:
    labels: list[str] = field(default_factory=lambda: ["object"])
    num_channels: int = 3
    backbone_channels: list[int] = field(default_factory=lambda: [32, 64, 128, 256])
    d_model: int = 128
    num_queries: int = 20
    encoder_layers: int = 3
    decoder_layers: int = 3
    encoder_attention_heads: int = 4
    decoder_attention_heads: int = 4
    encoder_ffn_dim: int = 512
    decoder_ffn_dim: int = 512
    activation_function: str = "relu"
    dropout: float = 0.1
    attention_dropout: float = 0.0
    activation_dropout: float = 0.0
    init_std: float = 0.02

    @property
    def backbone_stride(self) -> int:
        return 2 ** len(self.backbone_channels)

    def to_hf_dict(self) -> dict:
        """config.json of a DetrForObjectDetection, with id2label / label2id and our backbone's description."""
        return {
            "architectures": ["DetrForObjectDetection"],
            "model_type": "detr",
            "is_encoder_decoder": True,
            "num_channels": self.num_channels,
            "use_timm_backbone": False,
            "use_pretrained_backbone": False,
            "backbone": None,
            "backbone_config": None,
            "backbone_channels": self.backbone_channels,
            "backbone_stride": self.backbone_stride,
            "d_model": self.d_model,
            "num_queries": self.num_queries,
            "encoder_layers": self.encoder_layers,
            "decoder_layers": self.decoder_layers,
            "num_hidden_layers": self.encoder_layers,
            "encoder_attention_heads": self.encoder_attention_heads,
            "decoder_attention_heads": self.decoder_attention_heads,
            "encoder_ffn_dim": self.encoder_ffn_dim,
            "decoder_ffn_dim": self.decoder_ffn_dim,
            "activation_function": self.activation_function,
            "dropout": self.dropout,
            "attention_dropout": self.attention_dropout,
            "activation_dropout": self.activation_dropout,
            "position_embedding_type": "sine",
            "auxiliary_loss": False,
            "init_std": self.init_std,
            "id2label": {str(index): label for index, label in enumerate(self.labels)},
            "label2id": {label: index for index, label in enumerate(self.labels)},
            "torch_dtype": "float32",
        }


class ConvStage(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=2, padding=1, bias=False)
        self.norm = nn.BatchNorm2d(out_channels)

    def forward(self, pixels):
        return F.relu(self.norm(self.conv(pixels)))


class ConvEncoder(nn.Module):
    """Our backbone: stride-2 stages, so the feature map is the image downsampled by 2^stages."""

    def __init__(self, config: DetrConfig):
        super().__init__()
        widths = [config.num_channels, *config.backbone_channels]
        self.stages = nn.ModuleList([ConvStage(a, b) for a, b in zip(widths[:-1], widths[1:])])

    def forward(self, pixel_values):
        features = pixel_values
        for stage in self.stages:
            features = stage(features)
        return features  # [B, C, h, w]


class DetrSinePositionEmbedding(nn.Module):
    """2-D sine positions from the cumulative sum of the pixel mask, normalised to [0, 2π] (DETR's
    PositionEmbeddingSine).

    Returns [B, D, h, w]: the first D/2 channels encode y, the last D/2 encode x, sin and cos interleaved.
    """

    def __init__(self, embedding_dim: int, temperature: float = 10000.0):
        super().__init__()
        self.embedding_dim = embedding_dim
        self.temperature = temperature
        self.scale = 2 * math.pi

    def forward(self, mask: torch.Tensor) -> torch.Tensor:
        y_embed = mask.cumsum(1, dtype=torch.float32)  # [B, h, w]
        x_embed = mask.cumsum(2, dtype=torch.float32)
        y_embed = (y_embed - 0.5) / (y_embed[:, -1:, :] + 1e-6) * self.scale
        x_embed = (x_embed - 0.5) / (x_embed[:, :, -1:] + 1e-6) * self.scale
        dim_t = torch.arange(self.embedding_dim, dtype=torch.float32, device=mask.device)
        dim_t = self.temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / self.embedding_dim)
        pos_x = x_embed[:, :, :, None] / dim_t  # [B, h, w, D/2]
        pos_y = y_embed[:, :, :, None] / dim_t
        pos_x = torch.stack((pos_x[:, :, :, 0::2].sin(), pos_x[:, :, :, 1::2].cos()), dim=4).flatten(3)
        pos_y = torch.stack((pos_y[:, :, :, 0::2].sin(), pos_y[:, :, :, 1::2].cos()), dim=4).flatten(3)
        return torch.cat((pos_y, pos_x), dim=3).permute(0, 3, 1, 2)  # [B, h, w, D] → [B, D, h, w]


class DetrConvModel(nn.Module):
    def __init__(self, config: DetrConfig):
        super().__init__()
        self.conv_encoder = ConvEncoder(config)
        self.position_embedding = DetrSinePositionEmbedding(config.d_model // 2)

    def forward(self, pixel_values, pixel_mask):
        """Returns features [B, C, h, w], mask [B, h, w] (1 = real pixel), positions [B, D, h, w]."""
        features = self.conv_encoder(pixel_values)
        mask = F.interpolate(pixel_mask[:, None].float(), size=features.shape[-2:])[:, 0]  # nearest, as DETR
        return features, mask, self.position_embedding(mask)


class DetrEncoderLayer(nn.Module):
    def __init__(self, config: DetrConfig):
        super().__init__()
        d = config.d_model
        self.self_attn = MultiHeadAttention(d, config.encoder_attention_heads, config.attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.encoder_ffn_dim)
        self.fc2 = nn.Linear(config.encoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.activation = activation(config.activation_function)
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden, positions, additive_mask):
        with_positions = hidden + positions
        attended, _, _, _ = self.self_attn(with_positions, with_positions, hidden, additive_mask=additive_mask)
        hidden = self.self_attn_layer_norm(hidden + F.dropout(attended, self.dropout, self.training))
        inner = F.dropout(self.activation(self.fc1(hidden)), self.activation_dropout, self.training)
        return self.final_layer_norm(hidden + F.dropout(self.fc2(inner), self.dropout, self.training))


class DetrDecoderLayer(nn.Module):
    def __init__(self, config: DetrConfig):
        super().__init__()
        d = config.d_model
        self.self_attn = MultiHeadAttention(d, config.decoder_attention_heads, config.attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = MultiHeadAttention(d, config.decoder_attention_heads, config.attention_dropout)
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, config.decoder_ffn_dim)
        self.fc2 = nn.Linear(config.decoder_ffn_dim, d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.activation = activation(config.activation_function)
        self.dropout = config.dropout
        self.activation_dropout = config.activation_dropout

    def forward(self, hidden, query_positions, encoder_hidden_states, positions, encoder_mask):
        with_positions = hidden + query_positions
        attended, _, _, _ = self.self_attn(with_positions, with_positions, hidden)
        hidden = self.self_attn_layer_norm(hidden + F.dropout(attended, self.dropout, self.training))
        keys = encoder_hidden_states + positions
        attended, _, _, _ = self.encoder_attn(
            hidden + query_positions, keys, encoder_hidden_states, additive_mask=encoder_mask
        )
        hidden = self.encoder_attn_layer_norm(hidden + F.dropout(attended, self.dropout, self.training))
        inner = F.dropout(self.activation(self.fc1(hidden)), self.activation_dropout, self.training)
        return self.final_layer_norm(hidden + F.dropout(self.fc2(inner), self.dropout, self.training))


class DetrEncoder(nn.Module):
    def __init__(self, config: DetrConfig):
        super().__init__()
        self.layers = nn.ModuleList([DetrEncoderLayer(config) for _ in range(config.encoder_layers)])
        self.dropout = config.dropout

    def forward(self, hidden, positions, additive_mask):
        hidden = F.dropout(hidden, self.dropout, self.training)
        for layer in self.layers:
            hidden = layer(hidden, positions, additive_mask)
        return hidden


class DetrDecoder(nn.Module):
    def __init__(self, config: DetrConfig):
        super().__init__()
        self.layers = nn.ModuleList([DetrDecoderLayer(config) for _ in range(config.decoder_layers)])
        self.layernorm = nn.LayerNorm(config.d_model)

    def forward(self, query_positions, encoder_hidden_states, positions, encoder_mask):
        hidden = torch.zeros_like(query_positions)  # [B, Q, D]: the queries carry no content before the first layer
        for layer in self.layers:
            hidden = layer(hidden, query_positions, encoder_hidden_states, positions, encoder_mask)
        return self.layernorm(hidden)


class DetrModel(nn.Module):
    def __init__(self, config: DetrConfig):
        super().__init__()
        self.backbone = DetrConvModel(config)
        self.input_projection = nn.Conv2d(config.backbone_channels[-1], config.d_model, kernel_size=1)
        self.query_position_embeddings = nn.Embedding(config.num_queries, config.d_model)
        self.encoder = DetrEncoder(config)
        self.decoder = DetrDecoder(config)

    def forward(self, pixel_values, pixel_mask):
        features, mask, positions = self.backbone(pixel_values, pixel_mask)
        hidden = self.input_projection(features).flatten(2).transpose(1, 2)  # [B, D, h, w] → [B, S, D]
        positions = positions.flatten(2).transpose(1, 2)  # [B, S, D]
        additive_mask = padding_mask(mask.flatten(1))  # [B, 1, 1, S]
        encoded = self.encoder(hidden, positions, additive_mask)
        batch = pixel_values.shape[0]
        query_positions = self.query_position_embeddings.weight[None].repeat(batch, 1, 1)  # [B, Q, D]
        return self.decoder(query_positions, encoded, positions, additive_mask)  # [B, Q, D]


class DetrMLPPredictionHead(nn.Module):
    def __init__(self, d_model: int, output_dim: int, num_layers: int = 3):
        super().__init__()
        widths = [d_model] * num_layers + [output_dim]
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:])])

    def forward(self, hidden):
        for index, layer in enumerate(self.layers):
            hidden = layer(hidden) if index == len(self.layers) - 1 else F.relu(layer(hidden))
        return hidden


class DetrForObjectDetection(nn.Module):
    """logits [B, Q, K+1] and pred_boxes [B, Q, 4] (sigmoid of the box head: cx, cy, w, h relative to the image)."""

    def __init__(self, config: DetrConfig):
        super().__init__()
        self.config = config
        self.model = DetrModel(config)
        self.class_labels_classifier = nn.Linear(config.d_model, len(config.labels) + 1)
        self.bbox_predictor = DetrMLPPredictionHead(config.d_model, 4)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Xavier-uniform attention and feed-forward weights, zero biases, normal(0, 1) object queries (as DETR)."""
        for name, parameter in self.named_parameters():
            if name.startswith("model.backbone") or "layer_norm" in name or "layernorm" in name:
                continue
            if name.endswith("bias"):
                nn.init.zeros_(parameter)
            elif parameter.dim() > 1 and "query_position_embeddings" not in name:
                nn.init.xavier_uniform_(parameter)
        nn.init.normal_(self.model.query_position_embeddings.weight)

    def forward(self, pixel_values, pixel_mask):
        hidden = self.model(pixel_values, pixel_mask)
        return self.class_labels_classifier(hidden), self.bbox_predictor(hidden).sigmoid()
