"""Whisper's word timestamps from decoder cross-attention, and the WER and word-boundary errors of a timed
transcript: the Python twins of attn's TypeScript, with which recipes/whisper_espeak.py picks its alignment heads and
measures its card.

Shape legend: A alignment heads, Q decoder positions (prompt + tokens), F audio frames (encoder positions).
"""
from __future__ import annotations

import math
import unicodedata
from typing import Callable

import numpy as np
import torch

SECONDS_PER_POSITION = 0.02  # Whisper's: 2 mel frames of 10 ms per encoder position
MEDIAN_FILTER_WIDTH = 7


# ---------------------------------------------------------------------------------------------------- word timing
# Step for step as packages/audio/src/transcribe (transcribe-window.ts, token-boundaries.ts, window-words.ts) and
# core-attention's standardizeAlignmentHeads, medianFilter and dynamicTimeWarping (openai/whisper timing.py).

def standardize_over_tokens(weights: np.ndarray) -> np.ndarray:
    """[A, Q, F]: every frame's column standardised over the Q positions (population std); std 0 gives 0."""
    mean = weights.mean(axis=1, keepdims=True)
    std = np.sqrt(((weights - mean) ** 2).mean(axis=1, keepdims=True))
    return np.divide(weights - mean, std, out=np.zeros_like(weights), where=std != 0)


def median_filter(values: np.ndarray, width: int) -> np.ndarray:
    """Median over `width` values along the last axis, reflecting at the edges without repeating the edge value;
    the input unchanged when the axis is not longer than width // 2."""
    half = width // 2
    if values.shape[-1] <= half:
        return values.copy()
    padded = np.pad(values, [(0, 0)] * (values.ndim - 1) + [(half, half)], mode="reflect")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, width, axis=-1), axis=-1).astype(values.dtype)


def dynamic_time_warping(cost: np.ndarray) -> tuple[list[int], list[int]]:
    """Cheapest monotonic path from (0, 0) to (N−1, M−1) by steps (1, 0), (0, 1), (1, 1); ties as Whisper breaks
    them (diagonal only if strictly cheapest, then vertical, else horizontal). Returns (rows, columns) of the path."""
    rows, columns = cost.shape
    total = np.full((rows + 1, columns + 1), np.inf)
    total[0, 0] = 0.0
    trace = np.zeros((rows + 1, columns + 1), dtype=np.int8)  # 0 diagonal, 1 down (next row), 2 right (next frame)
    for j in range(1, columns + 1):
        for i in range(1, rows + 1):
            diagonal, down, right = total[i - 1, j - 1], total[i - 1, j], total[i, j - 1]
            if diagonal < down and diagonal < right:
                best, step = diagonal, 0
            elif down < diagonal and down < right:
                best, step = down, 1
            else:
                best, step = right, 2
            total[i, j] = cost[i - 1, j - 1] + best
            trace[i, j] = step
    path_rows, path_columns = [], []
    i, j = rows, columns
    while i > 0 and j > 0:
        path_rows.append(i - 1)
        path_columns.append(j - 1)
        step = trace[i, j]
        if step != 2:
            i -= 1
        if step != 1:
            j -= 1
    return path_rows[::-1], path_columns[::-1]


def token_boundaries(weights: np.ndarray, first_row: int, tokens: int, has_end_row: bool,
                     median_width: int = MEDIAN_FILTER_WIDTH) -> list[int]:
    """Frame boundaries [tokens + 1] from the alignment heads' weights [A, Q, F]: standardise over positions, median
    filter over frames, mean over heads of the rows predicting the tokens (and the end), DTW on the negation."""
    standardized = standardize_over_tokens(weights.astype(np.float64)).astype(np.float32)  # float32, as the TypeScript
    smoothed = median_filter(standardized, median_width)
    count = tokens + (1 if has_end_row else 0)
    cost = -smoothed[:, first_row : first_row + count].astype(np.float64).mean(axis=0)  # [R, F]
    path_rows, path_columns = dynamic_time_warping(cost)
    boundaries = [0] * (tokens + 1)
    for row, column in zip(reversed(path_rows), reversed(path_columns)):
        if row <= tokens:
            boundaries[row] = column
    if not has_end_row:
        boundaries[tokens] = path_columns[-1] + 1
    return boundaries


def alignment_weights(cross: torch.Tensor, heads: list[tuple[int, int]], frames: int) -> np.ndarray:
    """[A, Q, frames]: each alignment head's rows over the audio's frames, renormalised to sum 1."""
    weights = torch.stack([cross[layer, head, :, :frames] for layer, head in heads]).double()
    sums = weights.sum(-1, keepdim=True)
    return torch.where(sums > 0, weights / sums.clamp_min(1e-300), torch.zeros_like(weights)).float().numpy()


def timed_words(tokens: list[int], token_bytes: Callable[[int], bytes], boundaries: list[int],
                duration: float) -> tuple[str, list[dict]]:
    """(text, words with start and end): tokens grouped into words at tokens that begin with white space, a word from
    its first token's start to its last token's end, times clamped to the audio and rounded to milliseconds."""
    pieces = [token_bytes(token) for token in tokens]
    groups, start = [], 0
    for index in range(1, len(pieces) + 1):
        if index == len(pieces) or pieces[index][:1] in (b" ", b"\t", b"\n", b"\r"):
            if index > start:
                groups.append((start, index))
            start = index

    def time_of(frame: int) -> float:
        return math.floor(1000 * min(duration, frame * SECONDS_PER_POSITION) + 0.5) / 1000

    surfaces, words = [], []
    for number, (first, last) in enumerate(groups):
        surface = b"".join(pieces[first:last]).decode("utf-8", errors="replace")
        if number == 0 and not surface[:1].isspace():
            surface = " " + surface
        surfaces.append(surface)
        if surface.strip():
            words.append({"word": surface.strip(), "start": time_of(boundaries[first]),
                          "end": time_of(boundaries[last])})
    return "".join(surfaces).strip(), words


# ---------------------------------------------------------------------------------------------------- WER
# As tools/eval/src/word-error-rate.ts and word-boundary-error.ts.

def normalize_words(text: str) -> list[str]:
    """Lower-cased; apostrophes removed; other punctuation and symbols become spaces; split on white space."""
    lowered = text.lower().replace("'", "").replace("\u2019", "")
    return "".join(" " if unicodedata.category(character)[0] in "PS" else character for character in lowered).split()


def align_words(reference: list[str], hypothesis: list[str]) -> list[tuple[str, int | None, int | None]]:
    """Minimum-edit alignment; the backtrace prefers match/substitution, then deletion, then insertion.
    Returns (kind, reference index, hypothesis index) in order."""
    n, m = len(reference), len(hypothesis)
    cost = np.zeros((n + 1, m + 1), dtype=np.int64)
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i, j] = min(cost[i - 1, j - 1] + (reference[i - 1] != hypothesis[j - 1]), cost[i - 1, j] + 1,
                             cost[i, j - 1] + 1)
    edits, i, j = [], n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = reference[i - 1] == hypothesis[j - 1]
            if cost[i, j] == cost[i - 1, j - 1] + (0 if same else 1):
                i, j = i - 1, j - 1
                edits.append(("match" if same else "substitution", i, j))
                continue
        if i > 0 and cost[i, j] == cost[i - 1, j] + 1:
            i -= 1
            edits.append(("deletion", i, None))
        else:
            j -= 1
            edits.append(("insertion", None, j))
    return edits[::-1]


def expand_words(words: list[dict]) -> list[dict]:
    """A word that normalises to several gives each its times; one that normalises to none is dropped."""
    return [{"word": part, "start": word["start"], "end": word["end"]}
            for word in words for part in normalize_words(word["word"])]


class WordScores:
    """Corpus WER counts and the |Δstart|, |Δend| (seconds) of the words the transcripts got right."""

    def __init__(self):
        self.counts = {"substitutions": 0, "deletions": 0, "insertions": 0, "reference_words": 0}
        self.start_errors: list[float] = []
        self.end_errors: list[float] = []

    def add(self, reference_text: str, hypothesis_text: str, gold_words: list[dict], timed: list[dict]) -> None:
        reference = normalize_words(reference_text)
        self.counts["reference_words"] += len(reference)
        for kind, _, _ in align_words(reference, normalize_words(hypothesis_text)):
            if kind != "match":
                self.counts[kind + "s"] += 1
        gold, predicted = expand_words(gold_words), expand_words(timed)
        for kind, gold_index, predicted_index in align_words([w["word"] for w in gold], [w["word"] for w in predicted]):
            if kind == "match":
                self.start_errors.append(abs(predicted[predicted_index]["start"] - gold[gold_index]["start"]))
                self.end_errors.append(abs(predicted[predicted_index]["end"] - gold[gold_index]["end"]))

    def summary(self) -> dict:
        counts = self.counts
        errors = counts["substitutions"] + counts["deletions"] + counts["insertions"]

        def milliseconds(values: list[float], q: float) -> float | None:
            return round(1000 * float(np.quantile(values, q))) if values else None

        return {
            "wer": errors / max(counts["reference_words"], 1), **counts, "timed_words": len(self.start_errors),
            "start_median_ms": milliseconds(self.start_errors, 0.5),
            "start_p90_ms": milliseconds(self.start_errors, 0.9),
            "end_median_ms": milliseconds(self.end_errors, 0.5), "end_p90_ms": milliseconds(self.end_errors, 0.9),
        }


def proportional_words(text: str, duration: float) -> list[dict]:
    """Baseline timing without attention: the words of `text` share [0, duration] in proportion to their lengths."""
    words = text.split()
    total = sum(len(word) for word in words)
    timed, position = [], 0.0
    for word in words:
        end = position + duration * len(word) / total
        timed.append({"word": word, "start": round(position, 3), "end": round(end, 3)})
        position = end
    return timed
