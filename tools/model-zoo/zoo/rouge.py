"""ROUGE-1, ROUGE-2 and ROUGE-L F-measures (Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries") as
Google's rouge-score package computes them by default, and as tools/eval/src/rouge.ts does: lowercase, every run of
characters outside [a-z0-9] is a separator, no stemming, no stopword removal; ROUGE-L is the sentence-level longest
common subsequence. Several references: the best F-measure per metric. A corpus score is the mean over texts × 100.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SEPARATORS = re.compile(r"[^a-z0-9]+")
METRICS = ("rouge1", "rouge2", "rougeL")


@dataclass(frozen=True)
class RougeScore:
    precision: float
    recall: float
    fmeasure: float


def tokenize(text: str) -> list[str]:
    """rouge-score's default tokenisation: 'Café-au-lait 3.5' → ['caf', 'au', 'lait', '3', '5']."""
    return [token for token in SEPARATORS.sub(" ", text.lower()).split(" ") if token]


def from_counts(overlap: int, hypothesis_count: int, reference_count: int) -> RougeScore:
    precision = overlap / hypothesis_count if hypothesis_count else 0.0
    recall = overlap / reference_count if reference_count else 0.0
    fmeasure = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return RougeScore(precision, recall, fmeasure)


def ngram_score(hypothesis: list[str], reference: list[str], n: int) -> RougeScore:
    """Clipped n-gram overlap: each hypothesis n-gram counts at most as often as it occurs in the reference."""
    hypothesis_counts = Counter(tuple(hypothesis[i : i + n]) for i in range(len(hypothesis) - n + 1))
    reference_counts = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
    overlap = sum(min(count, reference_counts[gram]) for gram, count in hypothesis_counts.items())
    return from_counts(overlap, sum(hypothesis_counts.values()), sum(reference_counts.values()))


def longest_common_subsequence(first: list[str], second: list[str]) -> int:
    """Length of the longest common subsequence, by the textbook dynamic programme one row at a time."""
    previous = [0] * (len(second) + 1)
    for item in first:
        current = [0]
        for column, other in enumerate(second, start=1):
            current.append(previous[column - 1] + 1 if item == other else max(previous[column], current[column - 1]))
        previous = current
    return previous[-1]


def rouge_scores(hypothesis: str, references: list[str]) -> dict[str, RougeScore]:
    """ROUGE-1/2/L of `hypothesis` against the best-matching reference per metric (the first of equal F-measures)."""
    if not references:
        raise ValueError("rouge_scores(): references must not be empty")
    hypothesis_tokens = tokenize(hypothesis)
    reference_tokens = [tokenize(reference) for reference in references]
    scorers = {
        "rouge1": lambda reference: ngram_score(hypothesis_tokens, reference, 1),
        "rouge2": lambda reference: ngram_score(hypothesis_tokens, reference, 2),
        "rougeL": lambda reference: from_counts(longest_common_subsequence(hypothesis_tokens, reference),
                                                len(hypothesis_tokens), len(reference)),
    }
    best = {}
    for metric, score in scorers.items():
        candidates = [score(reference) for reference in reference_tokens]
        best[metric] = max(candidates, key=lambda candidate: candidate.fmeasure)  # max keeps the first of ties
    return best


def corpus_rouge(hypotheses: list[str], references: list[list[str]]) -> dict[str, float]:
    """Mean F-measure × 100 of each metric over the texts, one list of references per hypothesis."""
    if len(hypotheses) != len(references) or not hypotheses:
        raise ValueError(
            f"corpus_rouge(): expected as many reference lists as hypotheses ({len(hypotheses)}), got {len(references)}"
        )
    totals = dict.fromkeys(METRICS, 0.0)
    for hypothesis, texts in zip(hypotheses, references):
        for metric, score in rouge_scores(hypothesis, texts).items():
            totals[metric] += score.fmeasure
    return {metric: 100 * total / len(hypotheses) for metric, total in totals.items()}
