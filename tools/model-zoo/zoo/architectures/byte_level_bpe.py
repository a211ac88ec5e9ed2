"""Byte-level BPE (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword Units", over bytes as
in GPT-2): a trainer, an encoder, and tokenizer.json documents in the Hugging Face tokenizers schema for GPT-2, BART
(RoBERTa post-processing) and Whisper (its special-token and timestamp layout, see ../shared/HF-FORMATS.md).

Bytes are spelled with GPT-2's byte-to-unicode table (printable bytes stand for themselves, the others are shifted
past U+0100, so a space is "Ġ"); the 256 byte symbols take the first ids in that table's order, merges follow in the
order they were learned. Text is split before BPE with GPT-2's pattern (contractions, letters, digits, other
symbols, each with at most one leading space), so merges never cross word boundaries.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

# GPT-2's pre-tokenisation pattern; Python's `re` has no \p{L}: [^\W\d_] is "letter", [^\s\w]|_ "other symbol".
PRETOKENIZE = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map from the 256 byte values to printable characters, in GPT-2's id order."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    mapping = {byte: chr(byte) for byte in printable}
    shifted = 0
    for byte in range(256):
        if byte not in mapping:
            mapping[byte] = chr(256 + shifted)
            shifted += 1
    return {byte: mapping[byte] for byte in printable + [b for b in range(256) if b not in printable]}


BYTE_TO_UNICODE = bytes_to_unicode()
UNICODE_TO_BYTE = {character: byte for byte, character in BYTE_TO_UNICODE.items()}


def token_bytes(token: str) -> bytes:
    """The bytes a byte-level token stands for."""
    return bytes(UNICODE_TO_BYTE[character] for character in token)


def pretokenize(text: str) -> list[str]:
    """Pre-tokens of `text`, spelled in byte symbols."""
    return ["".join(BYTE_TO_UNICODE[byte] for byte in piece.encode("utf-8")) for piece in PRETOKENIZE.findall(text)]


def train_bpe(texts: list[str], merges_wanted: int, min_frequency: int = 2) -> tuple[list[str], list[tuple[str, str]]]:
    """Learns up to `merges_wanted` merges from `texts`. Returns (vocabulary in id order, merges in rank order).

    Each round merges the most frequent adjacent pair (ties: the lexicographically smallest, so training is
    deterministic); pair counts are updated only for the words that contain the merged pair.
    """
    words = Counter(token for text in texts for token in pretokenize(text))
    symbols = [list(word) for word in words]
    counts = list(words.values())
    pair_counts: Counter = Counter()
    pair_words: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index, word in enumerate(symbols):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += counts[index]
            pair_words[pair].add(index)
    vocabulary = list(BYTE_TO_UNICODE.values())
    merges: list[tuple[str, str]] = []
    while len(merges) < merges_wanted and pair_counts:
        best = min(pair_counts.items(), key=lambda item: (-item[1], item[0]))
        if best[1] < min_frequency:
            break
        pair = best[0]
        merged = pair[0] + pair[1]
        merges.append(pair)
        vocabulary.append(merged)
        for index in sorted(pair_words.pop(pair, set())):
            word = symbols[index]
            for old in zip(word, word[1:]):
                pair_counts[old] -= counts[index]
                if pair_counts[old] <= 0:
                    del pair_counts[old]
            word = _merge_word(word, pair, merged)
            symbols[index] = word
            for new in zip(word, word[1:]):
                pair_counts[new] += counts[index]
                pair_words[new].add(index)
    return vocabulary, merges


def _merge_word(word: list[str], pair: tuple[str, str], merged: str) -> list[str]:
    result, position = [], 0
    while position < len(word):
        if position + 1 < len(word) and word[position] == pair[0] and word[position + 1] == pair[1]:
            result.append(merged)
            position += 2
        else:
            result.append(word[position])
            position += 1
    return result


class ByteLevelBPE:
    """Encodes text with a learned vocabulary and merges (lowest-rank pair first, as the tokenizers library does)."""

    def __init__(self, ids: dict[str, int], merges: list[tuple[str, str]]):
        self.ids = ids
        self.ranks = {pair: rank for rank, pair in enumerate(merges)}

    def encode_word(self, word: str) -> list[str]:
        parts = list(word)
        while len(parts) > 1:
            pairs = zip(parts, parts[1:])
            rank, index = min((self.ranks.get(pair, len(self.ranks)), index) for index, pair in enumerate(pairs))
            if rank == len(self.ranks):
                break
            parts = parts[:index] + [parts[index] + parts[index + 1]] + parts[index + 2 :]
        return parts

    def encode(self, text: str) -> list[int]:
        """Token ids of `text` (no special tokens)."""
        return [self.ids[part] for word in pretokenize(text) for part in self.encode_word(word)]


def added_token(token_id: int, content: str, special: bool = True, lstrip: bool = False) -> dict:
    return {
        "id": token_id,
        "content": content,
        "single_word": False,
        "lstrip": lstrip,
        "rstrip": False,
        "normalized": False,
        "special": special,
    }


def bpe_model(vocabulary: dict[str, int], merges: list[tuple[str, str]]) -> dict:
    return {
        "type": "BPE",
        "dropout": None,
        "unk_token": None,
        "continuing_subword_prefix": "",
        "end_of_word_suffix": "",
        "fuse_unk": False,
        "byte_fallback": False,
        "vocab": vocabulary,
        "merges": [f"{left} {right}" for left, right in merges],
    }


def byte_level(add_prefix_space: bool, trim_offsets: bool) -> dict:
    return {"type": "ByteLevel", "add_prefix_space": add_prefix_space, "trim_offsets": trim_offsets, "use_regex": True}


def tokenizer_document(added_tokens: list[dict], post_processor: dict, vocabulary: dict[str, int], merges) -> dict:
    """A tokenizer.json for byte-level BPE with the given special tokens and post-processor."""
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens,
        "normalizer": None,
        "pre_tokenizer": byte_level(False, True),
        "post_processor": post_processor,
        "decoder": byte_level(True, True),
        "model": bpe_model(vocabulary, merges),
    }


def gpt2_tokenizer_json(vocabulary: list[str], merges, eos: str = "<|endoftext|>") -> dict:
    """GPT-2's layout: the BPE vocabulary, then <|endoftext|> as the last id; no tokens added around the text."""
    ids = {token: index for index, token in enumerate(vocabulary + [eos])}
    return tokenizer_document([added_token(ids[eos], eos)], byte_level(True, False), ids, merges)


ROBERTA_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")


def bart_tokenizer_json(vocabulary: list[str], merges) -> dict:
    """BART's (RoBERTa's) layout: <s> 0, <pad> 1, </s> 2, <unk> 3, the BPE vocabulary, <mask> last; text → <s> A </s>.
    """
    tokens = list(ROBERTA_SPECIALS) + vocabulary + ["<mask>"]
    ids = {token: index for index, token in enumerate(tokens)}
    added = [added_token(ids[token], token) for token in ROBERTA_SPECIALS]
    added.append(added_token(ids["<mask>"], "<mask>", lstrip=True))
    post_processor = {
        "type": "RobertaProcessing",
        "sep": ["</s>", ids["</s>"]],
        "cls": ["<s>", ids["<s>"]],
        "trim_offsets": True,
        "add_prefix_space": False,
    }
    return tokenizer_document(added, post_processor, ids, merges)


def whisper_special_tokens(languages: list[str]) -> list[str]:
    """Whisper's special tokens after <|endoftext|>, in Whisper's order; <|notimestamps|> is last."""
    return (
        ["<|startoftranscript|>"]
        + [f"<|{language}|>" for language in languages]
        + ["<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nocaptions|>", "<|notimestamps|>"]
    )


def whisper_tokenizer_json(vocabulary: list[str], merges, languages: list[str]) -> dict:
    """Whisper's layout: text tokens, <|endoftext|>, the special tokens, <|notimestamps|> last. Timestamp tokens
    (ids after <|notimestamps|>) are not in the file, as in openai/whisper-* tokenizer.json, and are never special.
    The post-processor writes the transcription prompt around the text, as Whisper's tokenizer does."""
    eos = "<|endoftext|>"
    specials = whisper_special_tokens(languages)
    tokens = vocabulary + [eos] + specials
    ids = {token: index for index, token in enumerate(tokens)}
    added = [added_token(ids[token], token) for token in [eos] + specials]
    prompt = ["<|startoftranscript|>", f"<|{languages[0]}|>", "<|transcribe|>", "<|notimestamps|>"]
    single = [{"SpecialToken": {"id": token, "type_id": 0}} for token in prompt]
    single += [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}}]
    pair = single[:-1] + [{"Sequence": {"id": "B", "type_id": 1}}, single[-1]]
    post_processor = {
        "type": "TemplateProcessing",
        "single": single,
        "pair": pair,
        "special_tokens": {token: {"id": token, "ids": [ids[token]], "tokens": [token]} for token in prompt + [eos]},
    }
    document = tokenizer_document(added, post_processor, ids, merges)
    document["model"]["vocab"] = {token: ids[token] for token in vocabulary + [eos]}
    return document
