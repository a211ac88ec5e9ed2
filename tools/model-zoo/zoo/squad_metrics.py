"""SQuAD exact match and F1 (Rajpurkar et al. 2016; the official v1.1 / v2.0 evaluation scripts,
https://rajpurkar.github.io/SQuAD-explorer/), character for character as tools/eval/src/squad-metrics.ts computes them:
answers are normalised (lowercase, ASCII punctuation removed, the articles a / an / the removed, white space
collapsed) and a prediction is scored against its best gold answer. No gold answers means unanswerable: only an
empty prediction scores (v2.0).
"""
from __future__ import annotations

import re
import string
from collections import Counter

PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
ARTICLES = re.compile(r"\b(a|an|the)\b", re.ASCII)  # JavaScript's \b: word characters are [A-Za-z0-9_] only
WHITE_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")  # JS \s


def normalize_answer(text: str) -> str:
    """Lower, remove punctuation, remove articles, fix white space (the official order)."""
    text = ARTICLES.sub(" ", PUNCTUATION.sub("", text.lower()))
    return " ".join(token for token in WHITE_SPACE.split(text) if token)


def exact_match(prediction: str, answers: list[str]) -> float:
    golds = answers or [""]
    return max(float(normalize_answer(prediction) == normalize_answer(gold)) for gold in golds)


def f1_score(prediction: str, answers: list[str]) -> float:
    golds = answers or [""]
    return max(token_f1(prediction, gold) for gold in golds)


def token_f1(prediction: str, gold: str) -> float:
    predicted = [token for token in normalize_answer(prediction).split(" ") if token]
    expected = [token for token in normalize_answer(gold).split(" ") if token]
    if not predicted or not expected:  # an empty side scores 1 only when both are empty
        return float(predicted == expected)
    common = sum((Counter(predicted) & Counter(expected)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def squad_scores(predictions: list[str], gold_answers: list[list[str]]) -> dict:
    """Mean exact match and F1 in percent over a set, and its size."""
    count = len(predictions)
    return {
        "exact_match": 100 * sum(exact_match(p, g) for p, g in zip(predictions, gold_answers)) / max(count, 1),
        "f1": 100 * sum(f1_score(p, g) for p, g in zip(predictions, gold_answers)) / max(count, 1),
        "count": count,
    }
