"""BART (Lewis et al. 2019, "BART: Denoising Sequence-to-Sequence Pre-training"): a post-norm Transformer
encoder–decoder with learned positions (offset by 2, as Hugging Face's BartLearnedPositionalEmbedding), a LayerNorm on
the embeddings (`layernorm_embedding`), GELU, tied embeddings and `final_logits_bias`.

Module names mirror Hugging Face's BartForConditionalGeneration. The layers are zoo/transformer.py's (Marian and BART
layers are the same post-norm blocks), and the model offers the encode/decode interface of zoo/transformer.MarianMT,
so zoo/decoding.py and zoo/export_onnx.export_seq2seq work on it unchanged.

Shape legend: B batch, S source length, T target length, P past length, D d_model, V vocabulary.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from zoo.transformer import DecoderLayer, EncoderLayer, TransformerConfig, causal_mask, padding_mask

POSITION_OFFSET = 2  # BART's learned positions start at row 2 (a fairseq legacy Hugging Face keeps)


@dataclass
class BartConfig(TransformerConfig):
    d_model: int = 256
    activation_function: str = "gelu"
    max_position_embeddings: int = 1024
    scale_embedding: bool = False
    bos_token_id: int = 0
    pad_token_id: int = 1
    eos_token_id: int = 2
    decoder_start_token_id: int = 2
    init_std: float = 0.02

    def to_hf_dict(self) -> dict:
        """config.json of a BartForConditionalGeneration."""
        return {
            "architectures": ["BartForConditionalGeneration"],
            "model_type": "bart",
            "is_encoder_decoder": True,
            "vocab_size": self.vocab_size,
            "d_model": self.d_model,
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
            "encoder_layerdrop": 0.0,
            "decoder_layerdrop": 0.0,
            "max_position_embeddings": self.max_position_embeddings,
            "scale_embedding": self.scale_embedding,
            "init_std": self.init_std,
            "tie_word_embeddings": True,
            "use_cache": True,
            "bos_token_id": self.bos_token_id,
            "pad_token_id": self.pad_token_id,
            "eos_token_id": self.eos_token_id,
            "decoder_start_token_id": self.decoder_start_token_id,
            "forced_eos_token_id": self.eos_token_id,
            "torch_dtype": "float32",
        }


class BartLearnedPositionalEmbedding(nn.Embedding):
    """Learned positions; row `position + 2` holds position `position`."""

    def __init__(self, positions: int, dim: int):
        super().__init__(positions + POSITION_OFFSET, dim)

    def forward(self, position_ids: torch.Tensor) -> torch.Tensor:
        return super().forward(position_ids + POSITION_OFFSET)


class BartEncoder(nn.Module):
    def __init__(self, config: BartConfig, embed_tokens: nn.Embedding):
        super().__init__()
        self.embed_tokens = embed_tokens
        self.embed_scale = math.sqrt(config.d_model) if config.scale_embedding else 1.0
        self.embed_positions = BartLearnedPositionalEmbedding(config.max_position_embeddings, config.d_model)
        self.layers = nn.ModuleList([EncoderLayer(config) for _ in range(config.encoder_layers)])
        self.layernorm_embedding = nn.LayerNorm(config.d_model)
        self.dropout = config.dropout

    def forward(self, input_ids, attention_mask):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)  # [S]
        hidden = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(positions)[None]
        hidden = F.dropout(self.layernorm_embedding(hidden), self.dropout, self.training)  # [B, S, D]
        mask = padding_mask(attention_mask)
        for layer in self.layers:
            hidden = layer(hidden, mask)
        return hidden


class BartDecoder(nn.Module):
    def __init__(self, config: BartConfig, embed_tokens: nn.Embedding):
        super().__init__()
        self.embed_tokens = embed_tokens
        self.embed_scale = math.sqrt(config.d_model) if config.scale_embedding else 1.0
        self.embed_positions = BartLearnedPositionalEmbedding(config.max_position_embeddings, config.d_model)
        self.layers = nn.ModuleList([DecoderLayer(config) for _ in range(config.decoder_layers)])
        self.layernorm_embedding = nn.LayerNorm(config.d_model)
        self.dropout = config.dropout

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask, past=None):
        """past: list of (key, value) [B, H, P, Dh] per layer or None. Returns hidden [B, T, D], presents."""
        query_length = input_ids.shape[1]
        past_length = 0 if past is None else past[0][0].shape[2]
        positions = torch.arange(query_length, device=input_ids.device) + past_length  # [T]
        hidden = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(positions)[None]
        hidden = F.dropout(self.layernorm_embedding(hidden), self.dropout, self.training)  # [B, T, D]
        self_mask = causal_mask(query_length, past_length, input_ids)
        cross_mask = padding_mask(encoder_attention_mask)
        presents = []
        for index, layer in enumerate(self.layers):
            past_key, past_value = (None, None) if past is None else past[index]
            hidden, key, value = layer(hidden, self_mask, encoder_hidden_states, cross_mask, past_key, past_value)
            presents.append((key, value))
        return hidden, presents


class BartModel(nn.Module):
    def __init__(self, config: BartConfig):
        super().__init__()
        self.shared = nn.Embedding(config.vocab_size, config.d_model, padding_idx=config.pad_token_id)
        self.encoder = BartEncoder(config, self.shared)
        self.decoder = BartDecoder(config, self.shared)


class BartForConditionalGeneration(nn.Module):
    """logits = decoder(h) · Eᵀ + final_logits_bias, with the encode/decode interface of zoo/transformer.MarianMT."""

    def __init__(self, config: BartConfig):
        super().__init__()
        self.config = config
        self.model = BartModel(config)
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.lm_head.weight = self.model.shared.weight
        self.register_buffer("final_logits_bias", torch.zeros(1, config.vocab_size))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Hugging Face's BART initialisation: normal(0, init_std) weights, zero biases, padding row zero."""
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=self.config.init_std)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)
        with torch.no_grad():
            self.model.shared.weight[self.config.pad_token_id].zero_()

    def encode(self, input_ids, attention_mask):
        return self.model.encoder(input_ids, attention_mask)

    def decode(self, input_ids, encoder_hidden_states, encoder_attention_mask, past=None):
        hidden, presents = self.model.decoder(input_ids, encoder_hidden_states, encoder_attention_mask, past)
        return self.lm_head(hidden) + self.final_logits_bias, presents  # [B, T, V]

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        encoded = self.encode(input_ids, attention_mask)
        logits, _ = self.decode(decoder_input_ids, encoded, attention_mask)
        return logits
