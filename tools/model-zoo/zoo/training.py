"""Shared training machinery: seeding, token-based batching, inverse-square-root schedule, label-smoothed loss,
checkpoints (resumable), checkpoint averaging and a progress log with tokens per second.
"""
from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_threads(threads: int = 2) -> None:
    torch.set_num_threads(threads)


class Logger:
    """Append-only progress log (one line per event, also echoed to stdout)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path

    def __call__(self, message: str) -> None:
        line = f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime())}Z {message}"
        print(line, flush=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def token_batches(pairs: list[tuple[list[int], list[int]]], max_tokens: int, seed: int) -> list[list[int]]:
    """Group example indices into batches whose padded size (max length × count, either side) ≤ max_tokens.

    Deterministic for a seed: lengths sorted with a seeded tie-break, then the batch order shuffled.
    """
    generator = np.random.RandomState(seed)
    noise = generator.rand(len(pairs))
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][1]), len(pairs[i][0]), noise[i]))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        length = max(len(pairs[index][0]), len(pairs[index][1]) + 1)
        if current and max(longest, length) * (len(current) + 1) > max_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, length)
    if current:
        batches.append(current)
    generator.shuffle(batches)
    return batches


def pad(sequences: list[list[int]], pad_id: int) -> torch.Tensor:
    longest = max(len(sequence) for sequence in sequences)
    out = torch.full((len(sequences), longest), pad_id, dtype=torch.long)
    for row, sequence in enumerate(sequences):
        out[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
    return out


def seq2seq_batch(pairs, indices, pad_id: int, start_id: int):
    """Source ids + mask, decoder inputs (start + target[:-1]) and labels (target, ending in eos)."""
    sources = [pairs[i][0] for i in indices]
    targets = [pairs[i][1] for i in indices]
    input_ids = pad(sources, pad_id)
    attention_mask = (input_ids != pad_id).long()
    labels = pad(targets, pad_id)
    decoder_input_ids = pad([[start_id] + target[:-1] for target in targets], pad_id)
    return input_ids, attention_mask, decoder_input_ids, labels


def inverse_sqrt_lr(step: int, peak: float, warmup: int) -> float:
    step = max(step, 1)
    return peak * min(step / warmup, math.sqrt(warmup / step))


def smoothed_loss(logits, labels, pad_id: int, smoothing: float):
    """Mean label-smoothed cross entropy over non-pad tokens, and the plain NLL sum and token count."""
    flat_logits = logits.reshape(-1, logits.shape[-1])
    flat_labels = labels.reshape(-1)
    loss = F.cross_entropy(flat_logits, flat_labels, ignore_index=pad_id, label_smoothing=smoothing)
    with torch.no_grad():
        nll = F.cross_entropy(flat_logits, flat_labels, ignore_index=pad_id, reduction="sum")
    tokens = int((flat_labels != pad_id).sum())
    return loss, float(nll), tokens


def save_checkpoint(path: Path, **state) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    torch.save(state, temporary)
    temporary.replace(path)


def average_state_dicts(paths: list[Path]) -> dict:
    """Element-wise mean of the float tensors of several saved model state dicts."""
    total = None
    for path in paths:
        state = torch.load(path, map_location="cpu")["model"]
        if total is None:
            total = {key: value.clone().double() if value.is_floating_point() else value.clone() for key, value in state.items()}
        else:
            for key, value in state.items():
                if value.is_floating_point():
                    total[key] += value.double()
    return {key: (value / len(paths)).float() if value.is_floating_point() else value for key, value in total.items()}


def write_json(path: Path, document) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


class ThreadTuner:
    """Chooses between 1 and `maximum` intra-op threads while training on a shared CPU.

    With other jobs on the same cores, two OpenMP threads can run slower than one (each parallel region waits for
    the slower thread). Every `period` logging windows one window runs with the other thread count; the faster
    measured rate (tokens/s) is used for the following windows. Thread counts change float summation order only.
    `pinned` (train.py --threads) skips the measuring: a trial window with two threads on cores that another training
    holds runs ~10x slower.
    """

    def __init__(self, maximum: int = 2, period: int = 4, pinned: int | None = None):
        self.choices = [pinned] if pinned else [maximum, 1] if maximum > 1 else [1]
        self.rates: dict[int, float] = {}
        self.period = period
        self.window = 0
        self.current = self.choices[0]
        torch.set_num_threads(self.current)

    def record(self, tokens_per_second: float) -> int:
        """Record the rate of the window just finished; set and return the thread count for the next window."""
        self.rates[self.current] = tokens_per_second
        self.window += 1
        best = max(self.rates, key=self.rates.get)
        untried = [choice for choice in self.choices if choice not in self.rates]
        if untried:
            self.current = untried[0]
        elif len(self.choices) > 1 and self.window % self.period == 0:
            self.current = next(choice for choice in self.choices if choice != best)
        else:
            self.current = best
        torch.set_num_threads(self.current)
        return self.current
