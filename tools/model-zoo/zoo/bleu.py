"""Corpus BLEU (Papineni et al. 2002) computed the way sacreBLEU 2.x does by default (Post 2018).

Settings: one reference, mixed case, 13a tokenisation (the mteval-v13a.pl rules), n-grams 1..4, uniform weights,
brevity penalty over the corpus, 'exp' smoothing (each zero n-gram count k gets precision 1 / (2^k · total)),
no effective order. Scores are on the 0–100 scale.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

MAX_ORDER = 4
SIGNATURE = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x-compatible(attn zoo/bleu.py)"

# mteval-v13a's language-independent rules, as sacreBLEU's TokenizerRegexp applies them, in order.
_RULES = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),  # symbols and punctuation
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),  # period and comma unless preceded by a digit
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),  # period and comma unless followed by a digit
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),  # dash when preceded by a digit
]


def tokenize_13a(line: str) -> str:
    """mteval-v13a tokenisation: unescape a few entities, split punctuation, collapse whitespace."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} "
    for pattern, replacement in _RULES:
        line = pattern.sub(replacement, line)
    return " ".join(line.split())


def ngram_counts(tokens: list[str], max_order: int = MAX_ORDER) -> Counter:
    counts: Counter = Counter()
    for order in range(1, max_order + 1):
        for start in range(len(tokens) - order + 1):
            counts[tuple(tokens[start : start + order])] += 1
    return counts


@dataclass
class BleuResult:
    score: float
    precisions: list[float]
    brevity_penalty: float
    system_length: int
    reference_length: int
    matches: list[int]
    totals: list[int]

    def __str__(self) -> str:
        precisions = "/".join(f"{p:.1f}" for p in self.precisions)
        ratio = self.system_length / self.reference_length if self.reference_length else 0.0
        return (
            f"BLEU = {self.score:.2f} {precisions} (BP = {self.brevity_penalty:.3f} ratio = {ratio:.3f} "
            f"hyp_len = {self.system_length} ref_len = {self.reference_length})"
        )


def statistics(hypotheses: list[str], references: list[str]) -> tuple[list[int], list[int], int, int]:
    """Clipped n-gram matches and totals per order, and the corpus lengths."""
    if len(hypotheses) != len(references):
        raise ValueError(f"corpus_bleu: expected as many references as hypotheses, got {len(references)} and {len(hypotheses)}")
    matches = [0] * MAX_ORDER
    totals = [0] * MAX_ORDER
    system_length = reference_length = 0
    for hypothesis, reference in zip(hypotheses, references):
        hypothesis_tokens = tokenize_13a(hypothesis).split()
        reference_tokens = tokenize_13a(reference).split()
        system_length += len(hypothesis_tokens)
        reference_length += len(reference_tokens)
        hypothesis_counts = ngram_counts(hypothesis_tokens)
        reference_counts = ngram_counts(reference_tokens)
        for ngram, count in hypothesis_counts.items():
            matches[len(ngram) - 1] += min(count, reference_counts.get(ngram, 0))
        for order in range(1, MAX_ORDER + 1):
            totals[order - 1] += max(0, len(hypothesis_tokens) - order + 1)
    return matches, totals, system_length, reference_length


def bleu_from_statistics(matches, totals, system_length, reference_length) -> BleuResult:
    precisions = [0.0] * MAX_ORDER
    smooth = 1.0
    for order in range(MAX_ORDER):
        if totals[order] == 0:
            break
        if matches[order] == 0:
            smooth *= 2.0
            precisions[order] = 100.0 / (smooth * totals[order])
        else:
            precisions[order] = 100.0 * matches[order] / totals[order]
    if system_length == 0:
        brevity_penalty = 0.0
    elif system_length < reference_length:
        brevity_penalty = math.exp(1.0 - reference_length / system_length)
    else:
        brevity_penalty = 1.0
    if min(precisions) <= 0.0:
        score = 0.0
    else:
        score = brevity_penalty * math.exp(sum(math.log(p) for p in precisions) / MAX_ORDER)
    return BleuResult(score, precisions, brevity_penalty, system_length, reference_length, matches, totals)


def corpus_bleu(hypotheses: list[str], references: list[str]) -> BleuResult:
    """sacreBLEU-compatible corpus BLEU of detokenised hypotheses against one reference each."""
    return bleu_from_statistics(*statistics(hypotheses, references))
