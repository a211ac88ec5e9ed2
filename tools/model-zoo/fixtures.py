#!/usr/bin/python3
"""Tiny seeded random-weight model folders for the runtime tests, one per architecture family attn supports, in the
Hugging Face / Optimum ONNX layout with the input/output names of each family's real exports (../shared/HF-FORMATS.md).

Usage: /usr/bin/python3 tools/model-zoo/fixtures.py [--out DIR] [--only NAME ...]
Writes tiny-marian, tiny-bart, tiny-bert, tiny-gpt2, tiny-vit, tiny-detr and tiny-whisper, tiny-bart-merged and
tiny-bart-split (tiny-bart with Optimum's If-merged and split decoders), and tiny-gru (the ablation's attention GRU in
the recurrent layout of zoo/export_gru.py) (default into
packages/core-attention/test-fixtures/), plus reference.json (PyTorch outputs of the same weights on fixed inputs) and
README.md. Deterministic: the same command writes the same bytes.

Generation fixtures get output biases so that greedy decoding is a useful test: special tokens, timestamps and
byte tokens outside printable ASCII are suppressed, and the end-of-sequence bias is set (choose_eos_bias) so that greedy
decoding of the fixed input emits 3 to 7 tokens, at least two distinct, then EOS, every step's winner ahead of its
runner-up by at least MINIMUM_MARGIN; seeds are tried in turn until the weights allow that. Marian and BART have
final_logits_bias for this; GPT-2 and Whisper have no output bias, so their final LayerNorm gets one constant channel
(weight 0, bias BIAS_CHANNEL_SCALE) whose embedding column then acts as a per-token bias — the graph is unchanged.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from zoo.architectures import byte_level_bpe as bpe  # noqa: E402
from zoo.architectures import wordpiece  # noqa: E402
from zoo.architectures.bart import BartConfig, BartForConditionalGeneration  # noqa: E402
from zoo.architectures.bert import BertConfig, BertForQuestionAnswering  # noqa: E402
from zoo.architectures.detr import DetrConfig, DetrForObjectDetection  # noqa: E402
from zoo.architectures.export import export_bert, export_detr, export_gpt2, export_vit, export_whisper  # noqa: E402
from zoo.architectures.gpt2 import Conv1D, GPT2Config, GPT2LMHeadModel  # noqa: E402
from zoo.architectures.vit import ViTConfig, ViTForImageClassification  # noqa: E402
from zoo.architectures.whisper import WhisperConfig, WhisperForConditionalGeneration  # noqa: E402
from zoo.architectures.optimum_layouts import (  # noqa: E402
    export_merged_decoder,
    export_split_decoders,
    greedy_with_cross_cache,
)
from zoo.export_gru import export_gru, greedy_with_attention, hf_config  # noqa: E402
from zoo.export_onnx import export_encoder, export_seq2seq, postprocess, seq2seq_generation_config  # noqa: E402
from zoo.gru import GRUConfig, GRUSeq2Seq  # noqa: E402
from zoo.spm_tokenizer import EOS_ID, PAD_ID, UNK_ID, SentencePieceTokenizer, train_unigram  # noqa: E402
from zoo.training import write_json  # noqa: E402
from zoo.transformer import MarianMT, TransformerConfig  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPOSITORY / "packages" / "core-attention" / "test-fixtures"
SEED = 20240607
MAX_NEW_TOKENS = 10
MINIMUM_MARGIN = 0.02  # logits; PyTorch and onnxruntime agree to ~1e-5
SUPPRESSED = -20.0  # bias of tokens greedy decoding must never pick (pad, unk, prompt tokens, timestamps)
BIAS_CHANNEL_SCALE = 10.0
BPE_MERGES = 40
LABELS = ["circle", "square", "triangle"]

ENGLISH = [
    "a dog runs in the park .",
    "two children play with a red ball .",
    "a man is riding a bicycle down the street .",
    "a woman sits on a bench and reads a book .",
    "the cat sleeps on the warm window sill .",
    "a group of people stand near the water .",
    "a little girl in a pink dress is jumping .",
    "three men are working on a roof .",
    "a brown dog catches a frisbee in the air .",
    "people walk along a busy city street .",
    "a boy kicks a soccer ball on the grass .",
    "an old man plays the guitar on a corner .",
    "two women are talking at a cafe table .",
    "a child climbs a tree in the garden .",
    "the bird sits on a branch near the river .",
    "a young woman takes a picture of the sea .",
    "a black and white dog swims in the lake .",
    "workers in orange vests fix the road .",
    "a crowd watches a band play music .",
    "a man in a blue shirt cooks food outside .",
]
GERMAN = [
    "ein hund rennt im park .",
    "zwei kinder spielen mit einem roten ball .",
    "ein mann fährt mit dem fahrrad die straße hinunter .",
    "eine frau sitzt auf einer bank und liest ein buch .",
    "die katze schläft auf der warmen fensterbank .",
    "eine gruppe von menschen steht am wasser .",
    "ein kleines mädchen in einem rosa kleid springt .",
    "drei männer arbeiten auf einem dach .",
    "ein brauner hund fängt eine frisbee in der luft .",
    "menschen gehen eine belebte straße entlang .",
]

# Fixed inputs, shared with reference.json and tools/bench/src/parity.ts.
TRANSLATION_INPUT = "a dog runs in the park ."
SUMMARY_INPUT = "two children play with a red ball in the park ."
PROMPT_INPUT = "a man is riding"
QA_QUESTION = "what does the dog catch ?"
QA_CONTEXT = "a brown dog catches a frisbee in the air ."
IMAGE_FORMULA = "pixel_values[b][c][y][x] = ((x + 2*y + 3*c) % 17) / 8 - 1"
AUDIO_INPUT = "zeros: 16000 samples (1 s) of silence"


# ---------------------------------------------------------------------------------------------------------------
# Weights, greedy decoding and the EOS bias scan


def randomize(model: nn.Module) -> None:
    """Random weights that make outputs depend on the input: N(0, 1/fan_in) matrices, N(0, 0.5) embeddings and learned
    positions, N(0, 0.1) biases. LayerNorm / BatchNorm parameters and fixed tables (sinusoids) stay as they are."""
    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d, Conv1D)) and module.weight.requires_grad:
            fan_in = module.weight.shape[0] if isinstance(module, Conv1D) else module.weight[0].numel()
            nn.init.normal_(module.weight, std=fan_in**-0.5)
            if module.bias is not None:
                nn.init.normal_(module.bias, std=0.1)
        elif isinstance(module, nn.Embedding) and module.weight.requires_grad:
            nn.init.normal_(module.weight, std=0.5)
    for name, parameter in model.named_parameters():
        if name.endswith(("cls_token", "embeddings.position_embeddings")):
            nn.init.normal_(parameter, std=0.5)


class Greedy:
    """One greedy decoding: the ids chosen (EOS included when reached) and the logit rows they were chosen from."""

    def __init__(self, eos_id: int, ban_eos: bool):
        self.eos_id, self.ban_eos = eos_id, ban_eos
        self.ids: list[int] = []
        self.rows: list[torch.Tensor] = []  # the model's logits, before any ban
        self.eos_allowed: list[bool] = []  # False where the decoding rules themselves ban EOS

    def choose(self, logits: torch.Tensor, ban_eos_now: bool = False) -> bool:
        """Picks the argmax of a [V] row; returns True when decoding goes on."""
        row = logits.clone()
        self.rows.append(logits)
        self.eos_allowed.append(not ban_eos_now)
        if self.ban_eos or ban_eos_now:
            row[self.eos_id] = float("-inf")
        self.ids.append(int(row.argmax()))
        return self.ids[-1] != self.eos_id


@torch.no_grad()
def greedy_seq2seq(model, input_ids: list[int], start_id: int, eos_id: int, ban_eos: bool = False) -> Greedy:
    """Greedy decoding of an encoder–decoder with the KV cache, for MAX_NEW_TOKENS steps at most."""
    ids = torch.tensor([input_ids])
    mask = torch.ones_like(ids)
    encoded = model.encode(ids, mask)
    result, tokens, past = Greedy(eos_id, ban_eos), torch.tensor([[start_id]]), None
    for _ in range(MAX_NEW_TOKENS):
        logits, past = model.decode(tokens, encoded, mask, past)
        if not result.choose(logits[0, -1]):
            break
        tokens = torch.tensor([[result.ids[-1]]])
    return result


@torch.no_grad()
def greedy_gpt2(model, prompt_ids: list[int], eos_id: int, ban_eos: bool = False) -> Greedy:
    tokens = torch.tensor([prompt_ids])
    positions = torch.arange(len(prompt_ids))[None]
    result, past, total = Greedy(eos_id, ban_eos), None, len(prompt_ids)
    for _ in range(MAX_NEW_TOKENS):
        logits, past = model(tokens, torch.ones(1, total, dtype=torch.long), positions, past)
        if not result.choose(logits[0, -1]):
            break
        tokens, positions, total = torch.tensor([[result.ids[-1]]]), torch.tensor([[total]]), total + 1
    return result


@torch.no_grad()
def greedy_whisper(model, features: torch.Tensor, prompt: list[int], eos_id: int, ban_eos: bool = False) -> Greedy:
    """Greedy after the prompt; EOS is suppressed at the first step (begin_suppress_tokens), as Whisper generates."""
    encoded = model.encode(features)
    result, tokens, past = Greedy(eos_id, ban_eos), torch.tensor([prompt]), None
    for step in range(MAX_NEW_TOKENS):
        logits, past, _ = model.decode(tokens, encoded, past)
        if not result.choose(logits[0, -1], ban_eos_now=step == 0):
            break
        tokens = torch.tensor([[result.ids[-1]]])
    return result


class NoShortOutput(Exception):
    """These weights have no EOS bias giving a short greedy output with a clear margin."""


def first_working_seed(attempt):
    """Calls attempt() under torch seeds SEED, SEED + 1, … until it does not raise NoShortOutput; returns
    (seed, what attempt returned)."""
    for seed in range(SEED, SEED + 64):
        torch.manual_seed(seed)
        try:
            return seed, attempt()
        except NoShortOutput:
            continue
    raise RuntimeError("no seed among 64 gives a short greedy output with a clear margin")


def choose_eos_bias(set_bias, run, eos_id: int) -> tuple[float, float]:
    """Sets the EOS bias so that greedy decoding emits 3–7 tokens (at least two distinct) and then EOS, with the
    largest margin; returns (bias, margin). The margin is the smallest lead of a step's winner over its runner-up.

    The EOS logit is linear in its bias and, until EOS wins, the path does not depend on it: decode once with EOS
    banned and bias 0, then at step k EOS wins iff bias > gap_k = (best other logit − EOS logit). Stopping at step k
    needs gap_k < bias < gap_j for every j < k; the bias is the middle of that interval.
    """
    set_bias(0.0)
    path = run(True)
    gaps, leads = [], []
    for row, eos_allowed in zip(path.rows, path.eos_allowed):
        others = row.clone()
        others[eos_id] = float("-inf")
        top = torch.topk(others, 2).values
        gaps.append(float(top[0] - row[eos_id]) if eos_allowed else float("inf"))
        leads.append(float(top[0] - top[1]))
    best = None
    for stop in range(3, 8):
        if stop >= len(gaps) or len(set(path.ids[:stop])) < 2:
            continue
        ceiling = min(gaps[:stop])
        margin = min((ceiling - gaps[stop]) / 2, *leads[:stop])
        if ceiling != float("inf") and (best is None or margin > best[0]):
            best = (margin, (gaps[stop] + ceiling) / 2, stop)
    if best is None or best[0] < MINIMUM_MARGIN:
        raise NoShortOutput()
    margin, bias, stop = best
    set_bias(bias)
    check = run(False)
    assert check.ids == path.ids[:stop] + [eos_id], (check.ids, path.ids)
    return bias, margin


def write_hf_tokenizer(folder: Path, document: dict, config: dict, special_tokens_map: dict) -> None:
    write_json(folder / "tokenizer.json", document)
    write_json(folder / "tokenizer_config.json", config)
    write_json(folder / "special_tokens_map.json", special_tokens_map)


def trained_bpe():
    return bpe.train_bpe(ENGLISH, BPE_MERGES)


def unprintable(vocabulary: list[str], ids: dict[str, int]) -> list[int]:
    """Ids of byte-level tokens holding a byte outside printable ASCII: suppressed in generation fixtures, so that the
    greedy text is readable and never an invalid UTF-8 sequence that decoders may render differently."""
    return [ids[token] for token in vocabulary if any(byte < 0x20 or byte > 0x7E for byte in bpe.token_bytes(token))]


# ---------------------------------------------------------------------------------------------------------------
# The fixtures


def build_marian(folder: Path, work: Path) -> dict:
    from recipes.mt_en_de_finish import hf_config

    spm_model = train_unigram(ENGLISH + GERMAN, work / "marian-spm", vocab_size=160, seed=1)
    tokenizer = SentencePieceTokenizer(spm_model)
    tokenizer.write_hf_files(folder, model_max_length=512)
    config = TransformerConfig(vocab_size=tokenizer.vocab_size, d_model=16, encoder_layers=2, decoder_layers=2,
                               encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
                               decoder_ffn_dim=32, dropout=0.0, max_position_embeddings=512)
    input_ids = tokenizer.encode(TRANSLATION_INPUT)

    def attempt():
        model = MarianMT(config).eval()
        randomize(model)
        bias = model.final_logits_bias
        bias[0, [PAD_ID, UNK_ID]] = SUPPRESSED

        def set_bias(value):
            bias[0, EOS_ID] = value

        run = lambda ban: greedy_seq2seq(model, input_ids, PAD_ID, EOS_ID, ban)  # noqa: E731
        return model, choose_eos_bias(set_bias, run, EOS_ID)

    seed, (model, (_, margin)) = first_working_seed(attempt)
    greedy_ids = greedy_seq2seq(model, input_ids, PAD_ID, EOS_ID).ids
    write_json(folder / "config.json", hf_config(model))
    write_json(folder / "generation_config.json", {
        "bad_words_ids": [[PAD_ID]], "bos_token_id": EOS_ID, "decoder_start_token_id": PAD_ID, "eos_token_id": EOS_ID,
        "forced_eos_token_id": EOS_ID, "pad_token_id": PAD_ID, "max_length": 512, "num_beams": 1,
    })
    export_seq2seq(model, folder, float16=False)
    return {"task": "translation", "seed": seed, "input": TRANSLATION_INPUT, "input_ids": input_ids,
            "decoder_start_token_id": PAD_ID, "greedy_ids": greedy_ids, "min_margin": round(margin, 4)}


def bart_fixture(folder: Path) -> tuple[BartForConditionalGeneration, dict]:
    """tiny-bart's model and reference entry, its tokenizer and config files written to folder (no ONNX)."""
    vocabulary, merges = trained_bpe()
    document = bpe.bart_tokenizer_json(vocabulary, merges)
    ids = document["model"]["vocab"]
    write_hf_tokenizer(folder, document, {
        "tokenizer_class": "BartTokenizer", "model_max_length": 512, "add_prefix_space": False, "errors": "replace",
        "clean_up_tokenization_spaces": False, "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
        "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    }, {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>",
        "pad_token": "<pad>", "mask_token": "<mask>"})
    config = BartConfig(vocab_size=len(ids), d_model=16, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, dropout=0.0,
                        max_position_embeddings=512)
    input_ids = [ids["<s>"], *bpe.ByteLevelBPE(ids, merges).encode(SUMMARY_INPUT), ids["</s>"]]
    start, eos = config.decoder_start_token_id, config.eos_token_id

    def attempt():
        model = BartForConditionalGeneration(config).eval()
        randomize(model)
        bias = model.final_logits_bias
        bias[0, [ids["<s>"], ids["<pad>"], ids["<unk>"], ids["<mask>"], *unprintable(vocabulary, ids)]] = SUPPRESSED

        def set_bias(value):
            bias[0, eos] = value

        run = lambda ban: greedy_seq2seq(model, input_ids, start, eos, ban)  # noqa: E731
        return model, choose_eos_bias(set_bias, run, eos)

    seed, (model, (_, margin)) = first_working_seed(attempt)
    greedy_ids = greedy_seq2seq(model, input_ids, start, eos).ids
    write_json(folder / "config.json", config.to_hf_dict())
    write_json(folder / "generation_config.json", {
        "bos_token_id": config.bos_token_id, "decoder_start_token_id": config.decoder_start_token_id,
        "eos_token_id": eos, "forced_eos_token_id": eos, "pad_token_id": config.pad_token_id, "max_length": 512,
        "num_beams": 1,
    })
    return model, {"task": "text2text-generation", "seed": seed, "input": SUMMARY_INPUT, "input_ids": input_ids,
                   "decoder_start_token_id": start, "greedy_ids": greedy_ids, "min_margin": round(margin, 4)}


def build_bart(folder: Path, work: Path) -> dict:
    model, reference = bart_fixture(folder)
    export_seq2seq(model, folder, float16=False)
    return reference


def bart_layout_fixture(folder: Path, export_decoder, layout: str) -> dict:
    """tiny-bart's weights, files and encoder with another decoder layout; checks in PyTorch that decoding with the
    cross cache gives tiny-bart's greedy ids."""
    model, reference = bart_fixture(folder)
    encoder_path = folder / "onnx" / "encoder_model.onnx"
    export_encoder(model, encoder_path)
    postprocess(encoder_path, float16=False, keep=("embed_positions",))
    export_decoder(model, folder)
    cached = greedy_with_cross_cache(model, reference["input_ids"], reference["decoder_start_token_id"],
                                     model.config.eos_token_id, MAX_NEW_TOKENS)
    assert cached == reference["greedy_ids"], (cached, reference["greedy_ids"])
    return {**reference, "decoder_layout": layout}


def build_bart_merged(folder: Path, work: Path) -> dict:
    return bart_layout_fixture(folder, export_merged_decoder, "If on use_cache_branch (Optimum merge_decoders)")


def build_bart_split(folder: Path, work: Path) -> dict:
    return bart_layout_fixture(folder, export_split_decoders, "decoder_model + decoder_with_past_model")


def build_gru(folder: Path, work: Path) -> dict:
    """The attention GRU (zoo/gru.py) with tiny-marian's vocabulary; reference.json also gets the attention weights
    over the source of every greedy step, from zoo/gru.py's own decode."""
    tokenizer = SentencePieceTokenizer(train_unigram(ENGLISH + GERMAN, work / "gru-spm", vocab_size=160, seed=1))
    tokenizer.write_hf_files(folder, model_max_length=512)
    config = GRUConfig(vocab_size=tokenizer.vocab_size, embed_dim=16, encoder_hidden=12, decoder_hidden=16,
                       attention_dim=8, dropout=0.0, pad_token_id=PAD_ID, eos_token_id=EOS_ID,
                       decoder_start_token_id=PAD_ID)
    input_ids = tokenizer.encode(TRANSLATION_INPUT)

    @torch.no_grad()
    def attempt():
        model = GRUSeq2Seq(config).eval()
        randomize(model)
        nn.init.normal_(model.attention.energy.weight, std=10.0)  # peaked attention, so that its test is sharp
        bias = model.final_logits_bias
        bias[0, [PAD_ID, UNK_ID]] = SUPPRESSED

        def set_bias(value):
            bias[0, EOS_ID] = value

        run = lambda ban: greedy_seq2seq(model, input_ids, PAD_ID, EOS_ID, ban)  # noqa: E731
        return model, choose_eos_bias(set_bias, run, EOS_ID)

    seed, (model, (_, margin)) = first_working_seed(attempt)
    greedy_ids, attention = greedy_with_attention(model, input_ids, MAX_NEW_TOKENS)
    assert greedy_ids == greedy_seq2seq(model, input_ids, PAD_ID, EOS_ID).ids
    write_json(folder / "config.json", hf_config(model))
    write_json(folder / "generation_config.json", seq2seq_generation_config(model.config, max_length=512, num_beams=1))
    export_gru(model, folder, float16=False)
    return {"task": "translation", "seed": seed, "input": TRANSLATION_INPUT, "input_ids": input_ids,
            "decoder_start_token_id": PAD_ID, "greedy_ids": greedy_ids, "min_margin": round(margin, 4),
            "cross_attention": [[round(weight, 6) for weight in step] for step in attention]}


def set_bias_channel(layer_norm: nn.LayerNorm, embedding: torch.Tensor) -> None:
    """Channel 0 of the final LayerNorm becomes the constant BIAS_CHANNEL_SCALE, so logit_v gains
    BIAS_CHANNEL_SCALE · E[v, 0]: column 0 of the tied embedding is then a per-token output bias."""
    layer_norm.weight[0] = 0.0
    layer_norm.bias[0] = BIAS_CHANNEL_SCALE
    embedding[:, 0] = 0.0


def build_gpt2(folder: Path, work: Path) -> dict:
    vocabulary, merges = trained_bpe()
    document = bpe.gpt2_tokenizer_json(vocabulary, merges)
    eos_token = "<|endoftext|>"
    eos = document["model"]["vocab"][eos_token]
    write_hf_tokenizer(folder, document, {
        "tokenizer_class": "GPT2Tokenizer", "model_max_length": 128, "add_prefix_space": False, "errors": "replace",
        "clean_up_tokenization_spaces": False, "bos_token": eos_token, "eos_token": eos_token, "unk_token": eos_token,
    }, {"bos_token": eos_token, "eos_token": eos_token, "unk_token": eos_token})
    config = GPT2Config(vocab_size=eos + 1, n_positions=128, n_embd=32, n_layer=2, n_head=4, n_inner=64,
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=eos, eos_token_id=eos)
    prompt_ids = bpe.ByteLevelBPE(document["model"]["vocab"], merges).encode(PROMPT_INPUT)

    @torch.no_grad()
    def attempt():
        model = GPT2LMHeadModel(config).eval()
        randomize(model)
        embedding = model.transformer.wte.weight
        set_bias_channel(model.transformer.ln_f, embedding)
        embedding[unprintable(vocabulary, document["model"]["vocab"]), 0] = SUPPRESSED / BIAS_CHANNEL_SCALE

        def set_bias(value):
            embedding[eos, 0] = value / BIAS_CHANNEL_SCALE

        run = lambda ban: greedy_gpt2(model, prompt_ids, eos, ban)  # noqa: E731
        return model, choose_eos_bias(set_bias, run, eos)

    seed, (model, (_, margin)) = first_working_seed(attempt)
    greedy_ids = greedy_gpt2(model, prompt_ids, eos).ids
    write_json(folder / "config.json", config.to_hf_dict())
    write_json(folder / "generation_config.json", {"bos_token_id": eos, "eos_token_id": eos})
    export_gpt2(model, folder, float16=False)
    return {"task": "text-generation", "seed": seed, "input": PROMPT_INPUT, "input_ids": prompt_ids,
            "greedy_ids": greedy_ids, "min_margin": round(margin, 4)}


def build_bert(folder: Path, work: Path) -> dict:
    vocabulary = wordpiece.build_vocabulary(ENGLISH + [QA_QUESTION], vocab_size=200)
    write_hf_tokenizer(folder, wordpiece.bert_tokenizer_json(vocabulary), wordpiece.bert_tokenizer_config(128), {
        "unk_token": wordpiece.UNK, "sep_token": wordpiece.SEP, "pad_token": wordpiece.PAD,
        "cls_token": wordpiece.CLS, "mask_token": wordpiece.MASK,
    })
    torch.manual_seed(SEED)
    config = BertConfig(vocab_size=len(vocabulary), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                        max_position_embeddings=128)
    model = BertForQuestionAnswering(config).eval()
    randomize(model)
    input_ids, token_type_ids = wordpiece.WordPiece(vocabulary).encode(QA_QUESTION, QA_CONTEXT)
    with torch.no_grad():
        start, end = model(torch.tensor([input_ids]), torch.ones(1, len(input_ids), dtype=torch.long),
                           torch.tensor([token_type_ids]))
    write_json(folder / "config.json", config.to_hf_dict())
    export_bert(model, folder, float16=False)
    return {"task": "question-answering", "question": QA_QUESTION, "context": QA_CONTEXT, "input_ids": input_ids,
            "token_type_ids": token_type_ids, "start_logits": rounded(start[0]), "end_logits": rounded(end[0])}


def formula_image(channels: int, height: int, width: int) -> torch.Tensor:
    """IMAGE_FORMULA as a [1, C, H, W] tensor."""
    c = torch.arange(channels)[:, None, None]
    y = torch.arange(height)[None, :, None]
    x = torch.arange(width)[None, None, :]
    return (((x + 2 * y + 3 * c) % 17).float() / 8 - 1)[None]


def rounded(values: torch.Tensor) -> list:
    return [round(float(value), 5) for value in values.reshape(-1)]


IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def build_vit(folder: Path, work: Path) -> dict:
    torch.manual_seed(SEED)
    config = ViTConfig(image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                       intermediate_size=64, labels=LABELS, multi_label=True)
    model = ViTForImageClassification(config).eval()
    randomize(model)
    write_json(folder / "config.json", config.to_hf_dict())
    write_json(folder / "preprocessor_config.json", {
        "image_processor_type": "ViTImageProcessor", "do_resize": True, "size": {"height": 32, "width": 32},
        "resample": 2, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
    })
    with torch.no_grad():
        logits, hidden = model(formula_image(3, 32, 32))
    export_vit(model, folder, float16=False)
    return {"task": "image-classification", "pixel_values": IMAGE_FORMULA, "dims": [1, 3, 32, 32],
            "logits": rounded(logits[0]), "last_hidden_state_cls": rounded(hidden[0, 0])}


def build_detr(folder: Path, work: Path) -> dict:
    torch.manual_seed(SEED)
    config = DetrConfig(labels=LABELS, backbone_channels=[8, 16, 16], d_model=24, num_queries=5, encoder_layers=2,
                        decoder_layers=2, encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=48,
                        decoder_ffn_dim=48, dropout=0.0)
    model = DetrForObjectDetection(config).eval()
    randomize(model)
    write_json(folder / "config.json", config.to_hf_dict())
    write_json(folder / "preprocessor_config.json", {
        "image_processor_type": "DetrImageProcessor", "format": "coco_detection", "do_resize": True,
        "size": {"shortest_edge": 64, "longest_edge": 96}, "resample": 2, "do_rescale": True,
        "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": IMAGENET_MEAN, "image_std": IMAGENET_STD,
        "do_pad": True, "do_convert_annotations": True,
    })
    pixels = formula_image(3, 64, 64)
    with torch.no_grad():
        logits, boxes = model(pixels, torch.ones(1, 64, 64, dtype=torch.long))
    export_detr(model, folder, (64, 64), float16=False)
    return {"task": "object-detection", "pixel_values": IMAGE_FORMULA, "dims": [1, 3, 64, 64],
            "pixel_mask": "ones", "logits": rounded(logits[0]), "pred_boxes": rounded(boxes[0])}


WHISPER_LANGUAGES = ["en", "de"]
WHISPER_CHUNK_SECONDS = 2
TIME_PRECISION = 0.02  # seconds per encoder position (2 mel frames of 10 ms)


def build_whisper(folder: Path, work: Path) -> dict:
    vocabulary, merges = trained_bpe()
    document = bpe.whisper_tokenizer_json(vocabulary, merges, WHISPER_LANGUAGES)
    ids = {token["content"]: token["id"] for token in document["added_tokens"]}
    eos_token = "<|endoftext|>"
    eos, no_timestamps = ids[eos_token], ids["<|notimestamps|>"]
    positions = round(WHISPER_CHUNK_SECONDS / TIME_PRECISION)
    timestamps = positions + 1  # <|0.00|> … <|chunk|>
    vocab_size = no_timestamps + 1 + timestamps
    write_hf_tokenizer(folder, document, {
        "tokenizer_class": "WhisperTokenizer", "model_max_length": 448, "add_prefix_space": False,
        "add_bos_token": False, "errors": "replace", "clean_up_tokenization_spaces": True,
        "processor_class": "WhisperProcessor", "return_attention_mask": False,
        "bos_token": eos_token, "eos_token": eos_token, "unk_token": eos_token, "pad_token": eos_token,
    }, {"additional_special_tokens": list(ids), "bos_token": eos_token, "eos_token": eos_token,
        "unk_token": eos_token, "pad_token": eos_token})
    config = WhisperConfig(vocab_size=vocab_size, num_mel_bins=80, d_model=16, encoder_layers=2, decoder_layers=2,
                           encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=32,
                           decoder_ffn_dim=32, max_source_positions=positions, max_target_positions=448,
                           bos_token_id=eos, eos_token_id=eos, pad_token_id=eos,
                           decoder_start_token_id=ids["<|startoftranscript|>"])
    prompt = [ids["<|startoftranscript|>"], ids["<|en|>"], ids["<|transcribe|>"], no_timestamps]
    # Whisper's log-mel of silence: log10(1e-10) = -10, clamped to max - 8, then (x + 4) / 4 = -1.5 everywhere.
    features = torch.full((1, config.num_mel_bins, 2 * positions), -1.5)

    @torch.no_grad()
    def attempt():
        model = WhisperForConditionalGeneration(config).eval()
        randomize(model)
        embedding = model.model.decoder.embed_tokens.weight
        set_bias_channel(model.model.decoder.layer_norm, embedding)
        embedding[eos + 1 :, 0] = SUPPRESSED / BIAS_CHANNEL_SCALE  # special and timestamp tokens
        embedding[unprintable(vocabulary, document["model"]["vocab"]), 0] = SUPPRESSED / BIAS_CHANNEL_SCALE

        def set_bias(value):
            embedding[eos, 0] = value / BIAS_CHANNEL_SCALE

        run = lambda ban: greedy_whisper(model, features, prompt, eos, ban)  # noqa: E731
        return model, choose_eos_bias(set_bias, run, eos)

    seed, (model, (_, margin)) = first_working_seed(attempt)
    greedy_ids = greedy_whisper(model, features, prompt, eos).ids
    write_json(folder / "config.json", config.to_hf_dict())
    write_json(folder / "generation_config.json", {
        "alignment_heads": [[1, 0], [1, 2]],
        "begin_suppress_tokens": [eos],
        "bos_token_id": eos,
        "decoder_start_token_id": ids["<|startoftranscript|>"],
        "eos_token_id": eos,
        "pad_token_id": eos,
        "is_multilingual": True,
        "lang_to_id": {f"<|{language}|>": ids[f"<|{language}|>"] for language in WHISPER_LANGUAGES},
        "task_to_id": {"transcribe": ids["<|transcribe|>"], "translate": ids["<|translate|>"]},
        "no_timestamps_token_id": no_timestamps,
        "prev_sot_token_id": ids["<|startofprev|>"],
        "max_initial_timestamp_index": 50,
        "max_length": 448,
        "suppress_tokens": [],
        "return_timestamps": False,
    })
    write_json(folder / "preprocessor_config.json", {
        "feature_extractor_type": "WhisperFeatureExtractor", "processor_class": "WhisperProcessor",
        "feature_size": config.num_mel_bins, "sampling_rate": 16000, "hop_length": 160, "n_fft": 400,
        "chunk_length": WHISPER_CHUNK_SECONDS, "n_samples": WHISPER_CHUNK_SECONDS * 16000,
        "nb_max_frames": 2 * positions, "padding_side": "right", "padding_value": 0.0,
        "return_attention_mask": False,
    })
    export_whisper(model, folder, float16=False)
    return {"task": "automatic-speech-recognition", "seed": seed, "input": AUDIO_INPUT, "input_features": "all -1.5",
            "dims": [1, config.num_mel_bins, 2 * positions], "decoder_input_ids": prompt, "greedy_ids": greedy_ids,
            "min_margin": round(margin, 4)}


FIXTURES = {
    "tiny-marian": build_marian,
    "tiny-bart": build_bart,
    "tiny-bert": build_bert,
    "tiny-gpt2": build_gpt2,
    "tiny-vit": build_vit,
    "tiny-detr": build_detr,
    "tiny-whisper": build_whisper,
    "tiny-bart-merged": build_bart_merged,
    "tiny-bart-split": build_bart_split,
    "tiny-gru": build_gru,
}

README = """# test-fixtures

Tiny model folders with **random weights** (seeded) for the runtime tests: one per architecture family attn supports,
in the Hugging Face / Optimum ONNX layout, with the input/output names of that family's real exports (see
HF-FORMATS.md in the shared folder beside the repository). They compute nothing meaningful; they exist so that
loading, sessions, attention taps, tokenizers and generation can be tested without the trained zoo. Weights are fp32,
d_model 16–32, 2 layers, 2–4 heads.

| folder | model_type | sessions |
|---|---|---|
| tiny-marian | marian | onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx |
| tiny-bart | bart | onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx |
| tiny-bert | bert (question answering) | onnx/model.onnx |
| tiny-gpt2 | gpt2 | onnx/model.onnx |
| tiny-vit | vit | onnx/model.onnx |
| tiny-detr | detr | onnx/model.onnx |
| tiny-whisper | whisper | onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx (with cross_attentions.{i}) |
| tiny-bart-merged | bart | onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx (Optimum's If on use_cache_branch) |
| tiny-bart-split | bart | onnx/encoder_model.onnx, onnx/decoder_model.onnx, onnx/decoder_with_past_model.onnx |
| tiny-gru | attn-gru | onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx (recurrent: past_state → present_state, cross_attentions.0) |

tiny-bart-merged and tiny-bart-split hold tiny-bart's weights and files with Optimum's other two decoder layouts, both
caching the cross keys/values of the first step (`past_key_values.{i}.encoder.key|value`): one graph whose `If` runs the
first-step decoder (use_cache_branch false) or the with-past one (true), and the decoder + decoder-with-past pair (the
latter outputs only `present.{i}.decoder.*`; the caller keeps the first step's cross cache). Their greedy ids are
tiny-bart's. transformers.js loads only `decoder_model_merged.onnx`, so the split pair is attn's alone.

tiny-gru is the attention ablation's GRU encoder–decoder with Bahdanau additive attention (1 layer, 1 attention "head",
tools/model-zoo/zoo/gru.py), exported in attn's recurrent layout (tools/model-zoo/zoo/export_gru.py): the decoder runs
one token per call, carrying its state in `past_state` → `present_state` (`use_cache_branch` false on the first step,
which computes the initial state from the encoder output); its additive attention is the Softmax
`/model/decoder/layers.0/encoder_attn/Softmax` (also output as `cross_attentions.0`). reference.json has its attention
weights over the source for every greedy step.

`reference.json` holds PyTorch outputs of the same weights on fixed inputs: greedy ids of the generation fixtures
(their output biases are set so that greedy decoding emits 3–7 printable tokens and then EOS within 10 steps), QA
logits, image logits and boxes for the image `pixel_values[b][c][y][x] = ((x + 2*y + 3*c) % 17) / 8 - 1`, and for
Whisper the ids for 1 s of silence (log-mel -1.5 everywhere; the fixture's chunk is 2 s: 200 mel frames, 100 encoder
positions, 101 timestamp tokens after `<|notimestamps|>`).

Regenerate (deterministic, byte for byte; a few seconds on CPU) with Debian's Python and PyTorch, then check that
transformers.js loads the generation fixtures and decodes the same greedy ids:

```sh
/usr/bin/python3 tools/model-zoo/fixtures.py
cd tools/bench && npx tsx src/parity.ts
```
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--only", nargs="*", choices=sorted(FIXTURES), help="build only these fixtures")
    args = parser.parse_args()
    torch.set_num_threads(1)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    reference_path = out / "reference.json"
    reference = {}
    if args.only and reference_path.exists():
        reference = json.loads(reference_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        for name in args.only or FIXTURES:
            folder = out / name
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            reference[name] = FIXTURES[name](folder, Path(work))
            size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
            print(f"{name}: {size / 1024:.0f} KiB {reference[name].get('greedy_ids', '')}", flush=True)
    write_json(reference_path, {name: reference[name] for name in FIXTURES if name in reference})
    (out / "README.md").write_text(README, encoding="utf-8")


if __name__ == "__main__":
    main()
