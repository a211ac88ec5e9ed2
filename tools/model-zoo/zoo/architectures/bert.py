"""BERT (Devlin et al. 2018, "BERT: Pre-training of Deep Bidirectional Transformers") with the extractive
question-answering head: a post-norm Transformer encoder over word + position + token-type embeddings, and a linear
layer giving each token a start and an end logit (as in SQuAD fine-tuning).

Module names mirror Hugging Face's BertForQuestionAnswering (`bert.embeddings.word_embeddings`,
`bert.encoder.layer.{i}.attention.self.query`, `attention.output.dense`, `intermediate.dense`, `output.LayerNorm`,
`qa_outputs`), so ONNX node names read `/bert/encoder/layer.0/attention/self/Softmax`.

Shape legend: B batch, L sequence length, H heads, Dh head dim, D hidden size.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from zoo.transformer import padding_mask

from .attention import attend, merge_heads, split_heads


@dataclass
class BertConfig:
    vocab_size: int
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    hidden_act: str = "gelu"
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    initializer_range: float = 0.02
    pad_token_id: int = 0

    def to_hf_dict(self) -> dict:
        """config.json of a BertForQuestionAnswering."""
        return {
            "architectures": ["BertForQuestionAnswering"],
            "model_type": "bert",
            "vocab_size": self.vocab_size,
            "hidden_size": self.hidden_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "intermediate_size": self.intermediate_size,
            "hidden_act": self.hidden_act,
            "hidden_dropout_prob": self.hidden_dropout_prob,
            "attention_probs_dropout_prob": self.attention_probs_dropout_prob,
            "max_position_embeddings": self.max_position_embeddings,
            "type_vocab_size": self.type_vocab_size,
            "layer_norm_eps": self.layer_norm_eps,
            "initializer_range": self.initializer_range,
            "pad_token_id": self.pad_token_id,
            "position_embedding_type": "absolute",
            "use_cache": False,
            "torch_dtype": "float32",
        }


class BertEmbeddings(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)  # [L]
        embedded = (
            self.word_embeddings(input_ids)
            + self.position_embeddings(positions)[None]
            + self.token_type_embeddings(token_type_ids)
        )
        return self.dropout(self.LayerNorm(embedded))  # [B, L, D]


class BertSelfAttention(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout = config.attention_probs_dropout_prob

    def forward(self, hidden, additive_mask):
        query = split_heads(self.query(hidden), self.heads)  # [B, H, L, Dh]
        key = split_heads(self.key(hidden), self.heads)
        value = split_heads(self.value(hidden), self.heads)
        context, probabilities = attend(
            query, key, value, additive_mask, math.sqrt(self.head_dim), self.dropout, self.training
        )
        return merge_heads(context), probabilities  # [B, L, D]


class BertSelfOutput(nn.Module):
    """dense → dropout → LayerNorm(· + residual); also the shape of BertOutput."""

    def __init__(self, inner: int, hidden: int, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(inner, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, states, residual):
        return self.LayerNorm(self.dropout(self.dense(states)) + residual)


class BertAttention(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.self = BertSelfAttention(config)
        self.output = BertSelfOutput(config.hidden_size, config.hidden_size, config)

    def forward(self, hidden, additive_mask):
        context, probabilities = self.self(hidden, additive_mask)
        return self.output(context, hidden), probabilities


class BertIntermediate(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.intermediate_size)

    def forward(self, hidden):
        return F.gelu(self.dense(hidden))


class BertLayer(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.attention = BertAttention(config)
        self.intermediate = BertIntermediate(config)
        self.output = BertSelfOutput(config.intermediate_size, config.hidden_size, config)

    def forward(self, hidden, additive_mask):
        attended, probabilities = self.attention(hidden, additive_mask)
        return self.output(self.intermediate(attended), attended), probabilities


class BertEncoder(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(config) for _ in range(config.num_hidden_layers)])

    def forward(self, hidden, additive_mask):
        attentions = []
        for layer in self.layer:
            hidden, probabilities = layer(hidden, additive_mask)
            attentions.append(probabilities)
        return hidden, attentions


class BertModel(nn.Module):
    """Embeddings and encoder, without the pooler (the QA head reads every token)."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.embeddings = BertEmbeddings(config)
        self.encoder = BertEncoder(config)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.embeddings(input_ids, token_type_ids)
        return self.encoder(hidden, padding_mask(attention_mask))  # [B, L, D], [B, H, L, L] per layer


class BertForQuestionAnswering(nn.Module):
    """start_logits, end_logits [B, L] = split(qa_outputs(BERT(tokens)))."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.config = config
        self.bert = BertModel(config)
        self.qa_outputs = nn.Linear(config.hidden_size, 2)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Hugging Face's BERT initialisation: normal(0, initializer_range), zero biases, unit LayerNorms."""
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=self.config.initializer_range)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)
        with torch.no_grad():
            self.bert.embeddings.word_embeddings.weight[self.config.pad_token_id].zero_()

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden, _ = self.bert(input_ids, attention_mask, token_type_ids)
        start_logits, end_logits = self.qa_outputs(hidden).unbind(dim=-1)  # [B, L] each
        return start_logits, end_logits
