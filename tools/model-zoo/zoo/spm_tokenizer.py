"""SentencePiece Unigram tokenizer: training (python3-sentencepiece) and conversion to a Hugging Face tokenizer.json.

Follows the Hugging Face `tokenizers` JSON schema as written for T5's Unigram tokenizer (model type Unigram with
[[piece, log-probability]] vocab, Metaspace pre-tokenizer and decoder, a TemplateProcessing post-processor that
appends `</s>`) and as read by @huggingface/tokenizers 0.2 / transformers.js 4.3.
Ids: 0 `</s>`, 1 `<unk>`, 2 `<pad>` (pad is also the decoder start, as in Marian), then the learned pieces.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import sentencepiece as spm

EOS_PIECE, UNK_PIECE, PAD_PIECE = "</s>", "<unk>", "<pad>"
EOS_ID, UNK_ID, PAD_ID = 0, 1, 2
METASPACE = "\u2581"


@dataclass(frozen=True)
class SpecialIds:
    eos: int = EOS_ID
    unk: int = UNK_ID
    pad: int = PAD_ID


def train_unigram(sentences: list[str], model_prefix: Path, vocab_size: int, seed: int = 1) -> Path:
    """Train a SentencePiece Unigram model on `sentences`; returns the path of the .model file.

    NFKC normalisation without SentencePiece's extra NMT rules so that the tokenizer.json (NFKC normalizer,
    whitespace split, Metaspace) reproduces the same segmentation.
    """
    model_prefix.parent.mkdir(parents=True, exist_ok=True)
    shuffled = list(sentences)
    random.Random(seed).shuffle(shuffled)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(shuffled),
        model_prefix=str(model_prefix),
        model_type="unigram",
        vocab_size=vocab_size,
        character_coverage=1.0,
        normalization_rule_name="nfkc",
        remove_extra_whitespaces=True,
        split_digits=False,
        byte_fallback=False,
        eos_id=EOS_ID,
        unk_id=UNK_ID,
        pad_id=PAD_ID,
        bos_id=-1,
        eos_piece=EOS_PIECE,
        unk_piece=UNK_PIECE,
        pad_piece=PAD_PIECE,
        num_threads=2,
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    return model_prefix.with_suffix(".model")


class SentencePieceTokenizer:
    """Thin wrapper: text → ids with `</s>` appended, ids → detokenised text (special ids dropped)."""

    def __init__(self, model_path: Path):
        self.processor = spm.SentencePieceProcessor(model_file=str(model_path))
        self.model_path = model_path
        self.special = SpecialIds()
        assert self.processor.id_to_piece(EOS_ID) == EOS_PIECE
        assert self.processor.id_to_piece(PAD_ID) == PAD_PIECE

    @property
    def vocab_size(self) -> int:
        return self.processor.get_piece_size()

    def encode(self, text: str, add_eos: bool = True) -> list[int]:
        ids = self.processor.encode(text, out_type=int)
        return ids + [EOS_ID] if add_eos else ids

    def decode(self, ids: list[int]) -> str:
        kept = [i for i in ids if i not in (EOS_ID, PAD_ID)]
        return self.processor.decode(kept)

    def to_hf_json(self) -> dict:
        """The tokenizer.json document (Hugging Face tokenizers schema, version 1.0)."""
        processor = self.processor
        vocab = []
        for piece_id in range(processor.get_piece_size()):
            piece = processor.id_to_piece(piece_id)
            special = processor.is_control(piece_id) or processor.is_unknown(piece_id)
            vocab.append([piece, 0.0 if special else float(processor.get_score(piece_id))])
        added_tokens = [
            {
                "id": token_id,
                "content": piece,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for token_id, piece in ((EOS_ID, EOS_PIECE), (UNK_ID, UNK_PIECE), (PAD_ID, PAD_PIECE))
        ]
        metaspace = {"type": "Metaspace", "replacement": METASPACE, "prepend_scheme": "always", "split": True}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added_tokens,
            "normalizer": {"type": "NFKC"},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, metaspace]},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [
                    {"Sequence": {"id": "A", "type_id": 0}},
                    {"SpecialToken": {"id": EOS_PIECE, "type_id": 0}},
                ],
                "pair": [
                    {"Sequence": {"id": "A", "type_id": 0}},
                    {"Sequence": {"id": "B", "type_id": 0}},
                    {"SpecialToken": {"id": EOS_PIECE, "type_id": 0}},
                ],
                "special_tokens": {EOS_PIECE: {"id": EOS_PIECE, "ids": [EOS_ID], "tokens": [EOS_PIECE]}},
            },
            "decoder": dict(metaspace),
            "model": {"type": "Unigram", "unk_id": UNK_ID, "vocab": vocab, "byte_fallback": False},
        }

    def write_hf_files(self, folder: Path, model_max_length: int = 512) -> None:
        """Write tokenizer.json, tokenizer_config.json and special_tokens_map.json into folder.

        tokenizer_class is the generic PreTrainedTokenizerFast: transformers.js then uses tokenizer.json as is,
        with none of MarianTokenizer's language-code handling (our vocabulary is joint, without language codes).
        """
        folder.mkdir(parents=True, exist_ok=True)
        write_json(folder / "tokenizer.json", self.to_hf_json())
        special = {"eos_token": EOS_PIECE, "unk_token": UNK_PIECE, "pad_token": PAD_PIECE}
        write_json(folder / "special_tokens_map.json", special)
        write_json(
            folder / "tokenizer_config.json",
            {
                "tokenizer_class": "PreTrainedTokenizerFast",
                "model_max_length": model_max_length,
                "clean_up_tokenization_spaces": False,
                **special,
            },
        )


def write_json(path: Path, document: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
