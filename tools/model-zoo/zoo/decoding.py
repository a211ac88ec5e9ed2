"""Greedy and beam-search decoding for the encoder–decoder models, with a key/value cache.

Both follow Hugging Face generate's conventions for Marian: start from decoder_start_token_id, never emit pad
(bad_words_ids [[pad]]), stop at eos, force eos at max_length; beam search scores finished hypotheses by
sum of log-probabilities / length ** length_penalty (length counted without the start token, eos included)
and stops a sentence early once its best live beam cannot beat its worst finished one.
"""
from __future__ import annotations

import torch


def max_new_tokens_for(source_lengths: torch.Tensor, cap: int = 256) -> int:
    return int(min(cap, int(source_lengths.max()) * 2 + 10))


@torch.no_grad()
def greedy(model, input_ids, attention_mask, max_new_tokens: int, start_id: int, eos_id: int, pad_id: int):
    """Returns a list of id lists (without start token, up to and including eos)."""
    batch = input_ids.shape[0]
    encoded = model.encode(input_ids, attention_mask)
    tokens = torch.full((batch, 1), start_id, dtype=torch.long)
    past = None
    finished = torch.zeros(batch, dtype=torch.bool)
    outputs = [[] for _ in range(batch)]
    for step in range(max_new_tokens):
        logits, past = model.decode(tokens, encoded, attention_mask, past)
        logits = logits[:, -1, :].clone()
        logits[:, pad_id] = float("-inf")
        if step == max_new_tokens - 1:
            chosen = torch.full((batch,), eos_id, dtype=torch.long)
        else:
            chosen = logits.argmax(dim=-1)
        for row in range(batch):
            if not finished[row]:
                outputs[row].append(int(chosen[row]))
        finished |= chosen == eos_id
        if bool(finished.all()):
            break
        tokens = chosen[:, None]
    return outputs


@torch.no_grad()
def beam_search(
    model,
    input_ids,
    attention_mask,
    max_new_tokens: int,
    start_id: int,
    eos_id: int,
    pad_id: int,
    num_beams: int = 4,
    length_penalty: float = 1.0,
):
    """Batched beam search; returns the best hypothesis per sentence (ids up to and including eos)."""
    batch = input_ids.shape[0]
    beams = num_beams
    encoded = model.encode(input_ids, attention_mask)  # [B, S, D]
    encoded = encoded.repeat_interleave(beams, dim=0)  # [B*K, S, D]
    mask = attention_mask.repeat_interleave(beams, dim=0)
    tokens = torch.full((batch * beams, 1), start_id, dtype=torch.long)
    history = torch.zeros((batch * beams, 0), dtype=torch.long)
    scores = torch.zeros(batch, beams)
    scores[:, 1:] = float("-inf")  # only one live beam at the start
    scores = scores.reshape(-1)
    finished: list[list[tuple[float, list[int]]]] = [[] for _ in range(batch)]
    done = [False] * batch
    past = None
    vocab = None
    for step in range(max_new_tokens):
        logits, past = model.decode(tokens, encoded, mask, past)
        log_probs = torch.log_softmax(logits[:, -1, :], dim=-1)  # [B*K, V]
        log_probs[:, pad_id] = float("-inf")
        if step == max_new_tokens - 1:
            forced = torch.full_like(log_probs, float("-inf"))
            forced[:, eos_id] = 0.0
            log_probs = forced
        vocab = log_probs.shape[-1]
        candidates = (scores[:, None] + log_probs).reshape(batch, beams * vocab)
        top_scores, top_indices = candidates.topk(2 * beams, dim=-1)  # [B, 2K]
        next_scores = torch.full((batch, beams), float("-inf"))
        next_sources = torch.zeros((batch, beams), dtype=torch.long)
        next_tokens = torch.full((batch, beams), pad_id, dtype=torch.long)
        length = step + 1
        for row in range(batch):
            if done[row]:
                next_sources[row] = row * beams
                continue
            kept = 0
            for score, index in zip(top_scores[row].tolist(), top_indices[row].tolist()):
                beam, token = divmod(index, vocab)
                source = row * beams + beam
                if token == eos_id:
                    if score > float("-inf"):
                        hypothesis = history[source].tolist() + [eos_id]
                        finished[row].append((score / (length**length_penalty), hypothesis))
                    continue
                next_scores[row, kept] = score
                next_sources[row, kept] = source
                next_tokens[row, kept] = token
                kept += 1
                if kept == beams:
                    break
            if len(finished[row]) >= beams:
                finished[row].sort(key=lambda item: -item[0])
                finished[row] = finished[row][:beams]
                best_live = float(next_scores[row].max()) / (length**length_penalty)
                if kept == 0 or best_live <= finished[row][-1][0]:
                    done[row] = True
        if all(done):
            break
        sources = next_sources.reshape(-1)
        history = torch.cat([history[sources], next_tokens.reshape(-1, 1)], dim=1)
        scores = next_scores.reshape(-1)
        past = [tuple(tensor[sources] for tensor in layer) for layer in past]  # every cache tensor is batch-first
        tokens = next_tokens.reshape(-1, 1)
    results = []
    for row in range(batch):
        if finished[row]:
            results.append(max(finished[row], key=lambda item: item[0])[1])
        else:
            results.append(history[row * beams].tolist())
    return results
