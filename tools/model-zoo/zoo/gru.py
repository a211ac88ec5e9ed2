"""GRU encoder–decoder with and without additive attention, for the attention ablation.

With attention it is Bahdanau, Cho & Bengio 2014 ("Neural Machine Translation by Jointly Learning to Align and
Translate", RNNsearch): a bidirectional GRU encoder gives annotations h_j; at decoder step i the energy
e_ij = v_aᵀ tanh(W_a s_{i-1} + U_a h_j), α_ij = softmax_j(e_ij), context c_i = Σ_j α_ij h_j, state
s_i = GRU([E y_{i-1}; c_i], s_{i-1}), output t_i = W_o [s_i; c_i; E y_{i-1}] and logits t_i Eᵀ (tied embeddings).
Without attention (RNNencdec, Cho et al. 2014) c_i is the same fixed summary for every i: the concatenated final
forward and backward encoder states. Everything else is identical, so the two differ only by W_a, U_a, v_a.

Shape legend: B batch, S source length, T target length, E embedding dim, H encoder GRU size per direction,
K = 2H annotation size, D decoder state size, A attention size, V vocabulary.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

MASK_VALUE = -1e9


@dataclass
class GRUConfig:
    vocab_size: int
    embed_dim: int = 256
    encoder_hidden: int = 320
    decoder_hidden: int = 640
    attention_dim: int = 320
    attention: bool = True
    dropout: float = 0.2
    pad_token_id: int = 2
    eos_token_id: int = 0
    decoder_start_token_id: int = 2

    def to_dict(self) -> dict:
        return asdict(self)


class AdditiveAttention(nn.Module):
    """e = v_aᵀ tanh(W_a s + U_a h); α = softmax(e); c = Σ α h."""

    def __init__(self, query_dim: int, key_dim: int, attention_dim: int):
        super().__init__()
        self.query_proj = nn.Linear(query_dim, attention_dim, bias=False)  # W_a
        self.key_proj = nn.Linear(key_dim, attention_dim)  # U_a (bias included)
        self.energy = nn.Linear(attention_dim, 1, bias=False)  # v_a

    def forward(self, query, projected_keys, values, additive_mask):
        # query [B, D], projected_keys [B, S, A], values [B, S, K], additive_mask [B, S]
        energies = self.energy(torch.tanh(projected_keys + self.query_proj(query)[:, None, :])).squeeze(-1)  # [B, S]
        weights = torch.softmax(energies + additive_mask, dim=-1)  # [B, S]
        context = torch.matmul(weights[:, None, :], values).squeeze(1)  # [B, K]
        return context, weights


class GRUSeq2Seq(nn.Module):
    def __init__(self, config: GRUConfig):
        super().__init__()
        self.config = config
        annotation = 2 * config.encoder_hidden
        self.shared = nn.Embedding(config.vocab_size, config.embed_dim, padding_idx=config.pad_token_id)
        self.encoder = nn.GRU(config.embed_dim, config.encoder_hidden, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(annotation, config.decoder_hidden)  # s_0 = tanh(W_s [h_fwd_last; h_bwd_first])
        self.attention = (
            AdditiveAttention(config.decoder_hidden, annotation, config.attention_dim) if config.attention else None
        )
        self.decoder_cell = nn.GRUCell(config.embed_dim + annotation, config.decoder_hidden)
        self.output_proj = nn.Linear(config.decoder_hidden + annotation + config.embed_dim, config.embed_dim)
        self.register_buffer("final_logits_bias", torch.zeros(1, config.vocab_size))
        self.dropout = nn.Dropout(config.dropout)
        nn.init.normal_(self.shared.weight, std=config.embed_dim**-0.5)
        with torch.no_grad():
            self.shared.weight[config.pad_token_id].zero_()

    def encode(self, input_ids, attention_mask):
        """Annotations [B, S, K] followed by the fixed summary in the last position's slot is not needed:
        the summary is recomputed from the annotations and the mask in `summary`."""
        lengths = attention_mask.sum(dim=1).cpu()
        embedded = self.dropout(self.shared(input_ids))  # [B, S, E]
        packed = nn.utils.rnn.pack_padded_sequence(embedded, lengths, batch_first=True, enforce_sorted=False)
        outputs, _ = self.encoder(packed)
        annotations, _ = nn.utils.rnn.pad_packed_sequence(outputs, batch_first=True, total_length=input_ids.shape[1])
        return annotations  # [B, S, K]

    def summary(self, annotations, attention_mask):
        """[h_fwd at the last real position; h_bwd at position 0] → [B, K]."""
        hidden = self.config.encoder_hidden
        last = (attention_mask.sum(dim=1) - 1).clamp(min=0)  # [B]
        forward_last = annotations[torch.arange(annotations.shape[0]), last, :hidden]  # [B, H]
        backward_first = annotations[:, 0, hidden:]  # [B, H]
        return torch.cat([forward_last, backward_first], dim=-1)

    def decode(self, input_ids, annotations, attention_mask, past=None):
        """Teacher-forced or step-wise decoding. past: [(state [B, D], projected_keys [B, S, A] or empty)].

        Returns logits [B, T, V] and the new past; attention weights of the last call are kept in
        self.last_attention ([B, T, S]) when the model has attention.
        """
        additive_mask = (1.0 - attention_mask.to(annotations.dtype)) * MASK_VALUE  # [B, S]
        summary = self.summary(annotations, attention_mask)  # [B, K]
        if past is None:
            state = torch.tanh(self.bridge(summary))  # [B, D]
            projected_keys = self.attention.key_proj(annotations) if self.attention is not None else annotations[:, :, :0]
        else:
            state, projected_keys = past[0]
        outputs, weights_per_step = [], []
        embedded = self.dropout(self.shared(input_ids))  # [B, T, E]
        for position in range(input_ids.shape[1]):
            if self.attention is not None:
                context, weights = self.attention(state, projected_keys, annotations, additive_mask)
                weights_per_step.append(weights)
            else:
                context = summary
            previous = embedded[:, position]
            state = self.decoder_cell(torch.cat([previous, context], dim=-1), state)  # [B, D]
            outputs.append(self.output_proj(self.dropout(torch.cat([state, context, previous], dim=-1))))
        hidden = torch.stack(outputs, dim=1)  # [B, T, E]
        logits = torch.matmul(hidden, self.shared.weight.t()) + self.final_logits_bias  # [B, T, V]
        self.last_attention = torch.stack(weights_per_step, dim=1) if weights_per_step else None
        return logits, [(state, projected_keys)]

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        annotations = self.encode(input_ids, attention_mask)
        logits, _ = self.decode(decoder_input_ids, annotations, attention_mask)
        return logits

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())
