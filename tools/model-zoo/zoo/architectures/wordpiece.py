"""A WordPiece vocabulary built from a word list, as tokenizer.json in BERT's layout (Devlin et al. 2018):
BertNormalizer (lowercase), BertPreTokenizer (split on white space and punctuation), WordPiece with "##" continuations,
[CLS] A [SEP] (B [SEP]) post-processing and the WordPiece decoder.

The vocabulary: the special tokens, every character seen (alone and as a "##" continuation) so that any word of the
corpus can be spelled, then whole words by frequency. Words outside it fall back to the longest pieces that match.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
PAD, UNK, CLS, SEP, MASK = SPECIALS


def basic_tokenize(text: str) -> list[str]:
    """Lowercase, strip accents, split on white space and around punctuation (BERT's BasicTokenizer, ASCII-level)."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(character for character in text if unicodedata.category(character) != "Mn")
    return re.findall(r"\w+|[^\w\s]", text)


def build_vocabulary(texts: list[str], vocab_size: int) -> list[str]:
    """Tokens in id order: specials, characters, "##" characters, then the most frequent words (ties alphabetical)."""
    words = Counter(word for text in texts for word in basic_tokenize(text))
    characters = sorted({character for word in words for character in word})
    continuations = sorted({f"##{character}" for word in words for character in word[1:]})
    vocabulary = list(SPECIALS) + characters + continuations
    taken = set(vocabulary)
    for word, _ in sorted(words.items(), key=lambda item: (-item[1], item[0])):
        if len(vocabulary) >= vocab_size:
            break
        if word not in taken:
            vocabulary.append(word)
            taken.add(word)
    return vocabulary


class WordPiece:
    """Greedy longest-match-first WordPiece over a vocabulary (the algorithm of BERT's WordpieceTokenizer)."""

    def __init__(self, vocabulary: list[str]):
        self.ids = {token: index for index, token in enumerate(vocabulary)}

    def encode_word(self, word: str) -> list[str]:
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else f"##{word[start:end]}"
                if piece in self.ids:
                    break
                end -= 1
            if end == start:
                return [UNK]
            pieces.append(piece)
            start = end
        return pieces

    def encode(self, text: str, pair: str | None = None) -> tuple[list[int], list[int]]:
        """([CLS] text [SEP] (pair [SEP]) ids, token type ids), as BERT's tokenizer with special tokens."""
        first = [piece for word in basic_tokenize(text) for piece in self.encode_word(word)]
        tokens, types = [CLS, *first, SEP], [0] * (len(first) + 2)
        if pair is not None:
            second = [piece for word in basic_tokenize(pair) for piece in self.encode_word(word)]
            tokens += [*second, SEP]
            types += [1] * (len(second) + 1)
        return [self.ids[token] for token in tokens], types


def bert_tokenizer_json(vocabulary: list[str]) -> dict:
    ids = {token: index for index, token in enumerate(vocabulary)}
    special = lambda token, type_id: {"SpecialToken": {"id": token, "type_id": type_id}}  # noqa: E731
    sequence = lambda name, type_id: {"Sequence": {"id": name, "type_id": type_id}}  # noqa: E731
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": ids[token], "content": token, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for token in SPECIALS
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special(CLS, 0), sequence("A", 0), special(SEP, 0)],
            "pair": [special(CLS, 0), sequence("A", 0), special(SEP, 0), sequence("B", 1), special(SEP, 1)],
            "special_tokens": {token: {"id": token, "ids": [ids[token]], "tokens": [token]} for token in (CLS, SEP)},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": UNK, "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def bert_tokenizer_config(model_max_length: int) -> dict:
    return {
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": True,
        "strip_accents": None,
        "tokenize_chinese_chars": True,
        "model_max_length": model_max_length,
        "clean_up_tokenization_spaces": True,
        "unk_token": UNK,
        "sep_token": SEP,
        "pad_token": PAD,
        "cls_token": CLS,
        "mask_token": MASK,
    }
