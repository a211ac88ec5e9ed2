"""Recipe attn/sum-captions: abstractive multi-caption summarization with a small BART (zoo/architectures/bart.py)
trained from scratch on Multi30k task 2, whose images each have five independent English captions: four captions in,
the fifth out.

Examples: for image i, rotation r takes caption r as the target and the other four, in caption order and joined by
spaces, as the source. Training epoch e (0-based) uses rotation (i + e) mod 5 of every image, so five epochs see each
rotation once. The evaluation set is exactly what tools/eval/src/summarize-rouge.ts builds by default (source
captions 2–5, reference caption 1); prepare writes it to work/<recipe>/data/test.jsonl for the TypeScript side.

Stages: prepare (byte-level BPE, encoded captions, the evaluation sets; `--prepare-only` stops here) → train
(zoo/epoch_trainer; greedy ROUGE-L on val selects) → export (encoder_model.onnx + Optimum's If-merged
decoder_model_merged.onnx with the cross-attention cache, float16 weights) → Node check (zoo/node_check) → evaluate
(ROUGE-1/2/L of greedy and beam-4 summaries from exactly the exported weights, lead and extractive baselines) →
MODEL_CARD.md. `evaluate.py sum-captions` recomputes the card's lines.
"""
from __future__ import annotations

import functools
import json
import shutil
import time
from pathlib import Path

import torch

from zoo import data as zoo_data
from zoo.architectures import byte_level_bpe as bpe
from zoo.architectures.bart import BartConfig, BartForConditionalGeneration
from zoo.architectures.attention import split_heads
from zoo.decoding import beam_search, greedy
from zoo.epoch_trainer import TrainingPlan, train_epochs
from zoo.export_onnx import export_seq2seq
from zoo.model_card import files_table, markdown_table
from zoo.node_check import output_run, run_output_check
from zoo.recipe import Recipe, check_summary, fail_unless_passed, log_check, smoke_note, table_cell
from zoo.rouge import corpus_rouge, rouge_scores
from zoo.seq2seq_recipe import environment_summary
from zoo.training import pad, seq2seq_batch, set_threads, smoothed_loss, token_batches, write_json
from zoo.verify import round_weights_like_export

NAME = "sum-captions"
CAPTIONS = 5
SPLITS = ("train", "val", "test_2016")
BOS_ID, PAD_ID, EOS_ID = 0, 1, 2  # bpe.bart_tokenizer_json's <s>, <pad>, </s>; </s> also starts the decoder
MAX_NEW_TOKENS = 64  # generation_config.json's max_new_tokens; every training caption fits (99.9 % ≤ 56 tokens)
NUM_BEAMS = 4
# the card's sample inputs: four captions of one imagined picture each, written for it, so that the card quotes no
# caption of the data set
SAMPLE_INPUTS = [
    ["A brown dog jumps to catch a red ball in a park.", "A dog leaps into the air after a ball.",
     "A brown dog playing with a ball on the grass.", "A dog is catching a ball outside."],
    ["Two children build a sandcastle on a sunny beach.", "Kids playing in the sand near the ocean.",
     "A boy and a girl dig in the sand with plastic shovels.", "Two young kids at the beach making a castle."],
    ["A man in a blue jacket rides a bicycle down a city street.", "A cyclist rides past parked cars.",
     "A man on a bike in traffic.", "Someone riding a bicycle on a busy road."],
    ["A woman sells fruit at an outdoor market stall.", "A vendor stands behind boxes of apples and oranges.",
     "A woman with a scarf selling produce.", "People shopping for fruit at a market."],
    ["A group of people sit around a table eating dinner.", "Friends share a meal in a restaurant.",
     "Several men and women eating together and laughing.", "A family having dinner at a long table."],
]
TOLERANCE = 1e-3  # logits and hidden states; onnxruntime and PyTorch agree to ~1e-5
DECODER_FILE = "onnx/decoder_model_merged.onnx"
SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
                  "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"}

FULL = {
    "seed": 1,
    "bpe_merges": 2000,
    "model": dict(d_model=192, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                  decoder_attention_heads=4, encoder_ffn_dim=512, decoder_ffn_dim=512, max_position_embeddings=256),
    "dropout": 0.1,
    "label_smoothing": 0.1,
    "max_source_tokens": 192,
    "image_limit": None,
    "epochs": 8,
    "time_budget_minutes": 18,  # checked after each epoch (~3–7 min here), so training ends by ~25 min
    "max_tokens": 4096,
    "peak_lr": 1e-3,
    "warmup_steps": 400,
    "weight_decay": 0.01,
    "average_last": 3,
    "log_every": 25,
}

SMOKE = {
    **FULL,
    "bpe_merges": 150,
    "model": dict(FULL["model"], d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                  decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64),
    "image_limit": 48,
    "epochs": 2,
    "time_budget_minutes": None,
    "max_tokens": 1500,
    "warmup_steps": 10,
    "average_last": 2,
    "log_every": 5,
}

RECIPE = Recipe(NAME, FULL, SMOKE)


# ---------------------------------------------------------------------------------------------------------------
# Data: captions, rotations, the evaluation set, baselines


def caption_files(split: str) -> list[str]:
    return [f"multi30k/task2/{split}.{number}.en.gz" for number in range(1, CAPTIONS + 1)]


def caption_data_dir(data: str | None) -> Path:
    """The shared data directory holding every caption file of SPLITS; a wrong path fails naming them all."""
    expected = [path for split in SPLITS for path in caption_files(split)]
    data_dir = zoo_data.resolve_data_dir(data, expected)
    zoo_data.require_files(data_dir, expected)
    return data_dir


def read_captions(data_dir: Path, split: str) -> list[list[str]]:
    """The five caption files of a split, [caption number - 1][image]; they must have one line per image each."""
    paths = zoo_data.require_files(data_dir, caption_files(split))
    captions = [zoo_data.read_lines(path) for path in paths]
    if len({len(lines) for lines in captions}) != 1:
        counts = ", ".join(f"{path.name} {len(lines)}" for path, lines in zip(paths, captions))
        raise zoo_data.DataError(f"the caption files of {split} must have one line per image each; line counts: "
                                 f"{counts}")
    return captions


def rotation(captions: list[str], target: int) -> tuple[list[str], str]:
    """(the other captions in caption order, caption `target`) of one image."""
    return [text for number, text in enumerate(captions) if number != target], captions[target]


def evaluation_items(captions: list[list[str]]) -> list[dict]:
    """summarize-rouge.ts's default set: source = captions 2–5 joined by spaces, references = [caption 1]."""
    items = []
    for image in range(len(captions[0])):
        inputs, reference = rotation([lines[image] for lines in captions], 0)
        items.append({"source": " ".join(inputs), "references": [reference], "inputs": inputs})
    return items


def centroid_caption(inputs: list[str]) -> str:
    """The extractive baseline: the input caption with the highest mean ROUGE-1 F-measure against the other input
    captions (the first of equal ones). ROUGE-1 agreement picked slightly better val captions than ROUGE-2 or -L."""

    def agreement(index: int) -> float:
        others = [text for number, text in enumerate(inputs) if number != index]
        return sum(rouge_scores(inputs[index], [other])["rouge1"].fmeasure for other in others) / len(others)

    return inputs[max(range(len(inputs)), key=agreement)]


def oracle_caption(inputs: list[str], references: list[str]) -> str:
    """The input caption with the highest ROUGE-L F-measure against the references: the best any choice of one input
    caption can do (it reads the reference, so it is a bound, not a baseline)."""
    return max(inputs, key=lambda text: rouge_scores(text, references)["rougeL"].fmeasure)


# ---------------------------------------------------------------------------------------------------------------
# Tokens


class CaptionTokenizer:
    """The byte-level BPE of tokenizer.json in BART's layout (<s> 0, <pad> 1, </s> 2, <unk> 3, …, <mask> last);
    words memoised."""

    def __init__(self, vocabulary: list[str], merges: list[tuple[str, str]]):
        self.document = bpe.bart_tokenizer_json(vocabulary, merges)
        ids = self.document["model"]["vocab"]
        self.encoder = bpe.ByteLevelBPE(ids, merges)
        self.encoder.encode_word = functools.lru_cache(maxsize=None)(self.encoder.encode_word)
        self.tokens = {index: token for token, index in ids.items()}
        self.special_ids = {token["id"] for token in self.document["added_tokens"]}
        self.vocab_size = len(ids)

    def encode(self, text: str) -> list[int]:
        """Ids of `text` without special tokens."""
        return self.encoder.encode(text)

    def source(self, text: str, positions: int) -> list[int]:
        """`<s> text </s>` as tokenizer.json's post-processor writes it, cut to `positions` keeping `</s>` (as
        summarize() truncates)."""
        ids = [BOS_ID, *self.encode(text), EOS_ID]
        return ids if len(ids) <= positions else ids[: positions - 1] + [EOS_ID]

    def decode(self, ids: list[int]) -> str:
        """Text of `ids`, special tokens skipped (the ByteLevel decoder; invalid UTF-8 becomes U+FFFD)."""
        pieces = [bpe.token_bytes(self.tokens[index]) for index in ids if index not in self.special_ids]
        return b"".join(pieces).decode("utf-8", "replace")


def encode_captions(tokenizer: CaptionTokenizer, captions: list[list[str]]) -> dict[str, list[list[list[int]]]]:
    """Each caption's ids as it starts a text ("plain") and after a joining space ("spaced"). GPT-2's pre-tokenizer
    starts a new piece at the joining space (captions have no outer white space), so encode(a + " " + b) =
    plain(a) + spaced(b) and a rotation's source is assembled from these without encoding it again."""
    return {"plain": [[tokenizer.encode(text) for text in lines] for lines in captions],
            "spaced": [[tokenizer.encode(" " + text) for text in lines] for lines in captions]}


def rotation_example(encoded: dict, image: int, target: int) -> tuple[list[int], list[int]]:
    """(source `<s> inputs </s>`, target `caption </s>`) ids of one image and rotation."""
    inputs = [number for number in range(CAPTIONS) if number != target]
    source = [BOS_ID, *encoded["plain"][inputs[0]][image]]
    for number in inputs[1:]:
        source += encoded["spaced"][number][image]
    return source + [EOS_ID], encoded["plain"][target][image] + [EOS_ID]


def epoch_examples(encoded: dict, epoch: int, max_source_tokens: int) -> list[tuple[list[int], list[int]]]:
    """Rotation (image + epoch) mod 5 of every image; examples longer than the limits are left out."""
    examples = []
    for image in range(len(encoded["plain"][0])):
        source, target = rotation_example(encoded, image, (image + epoch) % CAPTIONS)
        if len(source) <= max_source_tokens and len(target) <= MAX_NEW_TOKENS:
            examples.append((source, target))
    return examples


# ---------------------------------------------------------------------------------------------------------------
# Model, loss, summaries


def build_model(settings: dict, vocab_size: int) -> BartForConditionalGeneration:
    dropout = settings["dropout"]
    config = BartConfig(vocab_size=vocab_size, dropout=dropout, attention_dropout=0.0, activation_dropout=0.0,
                        bos_token_id=BOS_ID, pad_token_id=PAD_ID, eos_token_id=EOS_ID, decoder_start_token_id=EOS_ID,
                        **settings["model"])
    return BartForConditionalGeneration(config)


def parameter_count(model) -> int:
    return sum(parameter.numel() for parameter in model.parameters())


@torch.no_grad()
def summarize(model, tokenizer: CaptionTokenizer, sources: list[str], beams: int, batch_size: int = 64) -> list[str]:
    """Summaries of `sources` (batched by length, returned in input order), greedy or beam search as
    generation_config.json asks: pad never generated, `</s>` forced at MAX_NEW_TOKENS, length penalty 1."""
    model.eval()
    positions = model.config.max_position_embeddings
    encoded = [tokenizer.source(text, positions) for text in sources]
    order = sorted(range(len(encoded)), key=lambda index: len(encoded[index]))
    summaries = [""] * len(sources)
    for start in range(0, len(order), batch_size):
        indices = order[start : start + batch_size]
        input_ids = pad([encoded[index] for index in indices], PAD_ID)  # [B, S]
        attention_mask = (input_ids != PAD_ID).long()
        if beams == 1:
            outputs = greedy(model, input_ids, attention_mask, MAX_NEW_TOKENS, EOS_ID, EOS_ID, PAD_ID)
        else:
            outputs = beam_search(model, input_ids, attention_mask, MAX_NEW_TOKENS, EOS_ID, EOS_ID, PAD_ID,
                                  num_beams=beams)
        for index, ids in zip(indices, outputs):
            summaries[index] = tokenizer.decode(ids)
    return summaries


@torch.no_grad()
def validation_nll(model, pairs: list[tuple[list[int], list[int]]], max_tokens: int) -> float:
    """Mean negative log-likelihood per target token (no label smoothing), teacher-forced."""
    total, tokens = 0.0, 0
    for indices in token_batches(pairs, max_tokens, seed=0):
        input_ids, attention_mask, decoder_input_ids, labels = seq2seq_batch(pairs, indices, PAD_ID, EOS_ID)
        _, nll, count = smoothed_loss(model(input_ids, attention_mask, decoder_input_ids), labels, PAD_ID, 0.0)
        total, tokens = total + nll, tokens + count
    return total / max(tokens, 1)


# ---------------------------------------------------------------------------------------------------------------
# The pipeline


def prepare(args, settings: dict, log) -> dict:
    """Read the captions, write the evaluation sets (test.jsonl for summarize-rouge.ts), train the BPE on the training
    captions, encode them."""
    work = RECIPE.work_dir(args)
    prepared_path = work / "prepared.pt"
    if prepared_path.exists():
        return torch.load(prepared_path)
    data_dir = caption_data_dir(args.data)
    captions = {split: read_captions(data_dir, split) for split in SPLITS}
    if settings["image_limit"]:
        captions = {split: [lines[: settings["image_limit"]] for lines in texts] for split, texts in captions.items()}
    evaluation = {split: evaluation_items(captions[split]) for split in ("val", "test_2016")}
    lines = [json.dumps({"source": item["source"], "references": item["references"]}, ensure_ascii=False)
             for item in evaluation["test_2016"]]
    (work / "data").mkdir(parents=True, exist_ok=True)
    (work / "data" / "test.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"prepare: {len(captions['train'][0])} train, {len(evaluation['val'])} val, {len(evaluation['test_2016'])} "
        f"test_2016 images; evaluation set written to {work / 'data' / 'test.jsonl'}")
    started = time.time()
    vocabulary, merges = bpe.train_bpe([text for lines in captions["train"] for text in lines], settings["bpe_merges"])
    tokenizer = CaptionTokenizer(vocabulary, merges)
    encoded = encode_captions(tokenizer, captions["train"])
    prepared = {"data_dir": str(data_dir), "vocabulary": vocabulary, "merges": merges, "train": encoded,
                "evaluation": evaluation}
    tokens = sum(len(ids) + 1 for lines in encoded["plain"] for ids in lines)
    log(f"prepare: byte-level BPE of {tokenizer.vocab_size} tokens and {tokens:,} encoded caption tokens (with </s>) "
        f"in {time.time() - started:.0f}s")
    torch.save(prepared, prepared_path)
    return prepared


def training_plan(args, settings: dict, prepared: dict) -> TrainingPlan:
    tokenizer = CaptionTokenizer(prepared["vocabulary"], prepared["merges"])
    positions = settings["model"]["max_position_embeddings"]
    val_items = prepared["evaluation"]["val"]
    val_pairs = [(tokenizer.source(item["source"], positions), tokenizer.encode(item["references"][0]) + [EOS_ID])
                 for item in val_items]

    def batches(epoch: int):
        examples = epoch_examples(prepared["train"], epoch, settings["max_source_tokens"])
        for indices in token_batches(examples, settings["max_tokens"], seed=settings["seed"] * 1000 + epoch):
            yield seq2seq_batch(examples, indices, PAD_ID, EOS_ID)

    def step_loss(model, batch):
        input_ids, attention_mask, decoder_input_ids, labels = batch
        loss, _, target_tokens = smoothed_loss(model(input_ids, attention_mask, decoder_input_ids), labels, PAD_ID,
                                               settings["label_smoothing"])
        return loss, int(attention_mask.sum()) + target_tokens

    def validate(model) -> dict:
        summaries = summarize(model, tokenizer, [item["source"] for item in val_items], beams=1)
        rouge = corpus_rouge(summaries, [item["references"] for item in val_items])
        return {"val_nll": validation_nll(model, val_pairs, settings["max_tokens"]),
                **{f"val_{metric}": value for metric, value in rouge.items()}, "score": rouge["rougeL"]}

    return TrainingPlan(work=RECIPE.work_dir(args), settings=settings,
                        build_model=lambda: build_model(settings, tokenizer.vocab_size),
                        batches=batches, step_loss=step_loss, validate=validate, unit="tok")


def load_exported(args, rounded: bool = True):
    """(model holding the final weights — rounded as the ONNX files store them unless rounded=False, tokenizer,
    prepared data, final record)."""
    work = RECIPE.work_dir(args)
    prepared, final = torch.load(work / "prepared.pt"), torch.load(work / "final.pt")
    tokenizer = CaptionTokenizer(prepared["vocabulary"], prepared["merges"])
    model = build_model(final["settings"], tokenizer.vocab_size)
    model.load_state_dict(final["model"])
    model.eval()
    if rounded:
        round_weights_like_export(model)
    return model, tokenizer, prepared, final


def generation_config(config: BartConfig) -> dict:
    return {"bad_words_ids": [[PAD_ID]], "bos_token_id": BOS_ID, "decoder_start_token_id": EOS_ID,
            "eos_token_id": EOS_ID, "forced_eos_token_id": EOS_ID, "pad_token_id": PAD_ID,
            "max_new_tokens": MAX_NEW_TOKENS, "num_beams": NUM_BEAMS, "length_penalty": 1.0, "early_stopping": False}


def export_folder(args, log) -> dict:
    model, tokenizer, _, _ = load_exported(args, rounded=False)
    out = RECIPE.out_dir(args)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write_json(out / "config.json", model.config.to_hf_dict())
    write_json(out / "generation_config.json", generation_config(model.config))
    write_json(out / "tokenizer.json", tokenizer.document)
    write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "BartTokenizer", "model_max_length": model.config.max_position_embeddings,
        "add_prefix_space": False, "errors": "replace", "clean_up_tokenization_spaces": False, **SPECIAL_TOKENS,
    })
    write_json(out / "special_tokens_map.json", SPECIAL_TOKENS)
    summary = export_seq2seq(model, out, float16=True, cross_cache=True)
    log(f"export: {out} {json.dumps({key: value for key, value in summary.items() if 'softmax' not in key})}")
    return summary


def cross_cache(model, encoded: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Every decoder layer's cross-attention keys and values of the encoder output, [B, H, S, Dh] each: what the
    merged decoder's first step outputs as present.{i}.encoder.key|value."""
    cache = []
    for layer in model.model.decoder.layers:
        attention = layer.encoder_attn
        cache.append((split_heads(attention.k_proj(encoded), attention.heads),
                      split_heads(attention.v_proj(encoded), attention.heads)))
    return cache


def cache_tensors(prefix: str, decoder: list, encoder: list) -> dict:
    """{prefix}.{i}.decoder.key|value and {prefix}.{i}.encoder.key|value, Optimum's names."""
    named = {}
    for index, ((key, value), (cross_key, cross_value)) in enumerate(zip(decoder, encoder)):
        named.update({f"{prefix}.{index}.decoder.key": key, f"{prefix}.{index}.decoder.value": value,
                      f"{prefix}.{index}.encoder.key": cross_key, f"{prefix}.{index}.encoder.value": cross_value})
    return named


@torch.no_grad()
def verify_folder(args, log) -> dict:
    """onnxruntime-node vs PyTorch (exported weights) on a right-padded batch of two test sources: the encoder; the
    merged decoder's first step (zero-length pasts, use_cache_branch false); one cached step (use_cache_branch true,
    the cross keys/values of the first step) against model.decode, which recomputes them. And
    @huggingface/tokenizers' ids for every test source and reference."""
    model, tokenizer, prepared, _ = load_exported(args)
    config = model.config
    items = prepared["evaluation"]["test_2016"]
    input_ids = pad([tokenizer.source(item["source"], config.max_position_embeddings) for item in items[:2]], PAD_ID)
    attention_mask = (input_ids != PAD_ID).long()  # [2, S]
    encoded = model.encode(input_ids, attention_mask)  # [2, S, D]
    encoder_run = output_run("onnx/encoder_model.onnx", {"input_ids": input_ids, "attention_mask": attention_mask},
                             {"last_hidden_state": encoded})
    cross = cross_cache(model, encoded)
    head_dim = config.d_model // config.decoder_attention_heads
    empty = torch.zeros(2, config.decoder_attention_heads, 0, head_dim)
    no_past = [(empty, empty)] * config.decoder_layers
    start = torch.full((2, 1), config.decoder_start_token_id)
    shared = {"encoder_attention_mask": attention_mask, "encoder_hidden_states": encoded}
    logits, presents = model.decode(start, encoded, attention_mask)
    first_run = output_run(
        DECODER_FILE,
        {"input_ids": start, **shared, **cache_tensors("past_key_values", no_past, no_past),
         "use_cache_branch": torch.tensor([False])},
        {"logits": logits, **cache_tensors("present", presents, cross)})
    next_ids = logits[:, -1].argmax(-1, keepdim=True)  # [2, 1]
    step_logits, step_presents = model.decode(next_ids, encoded, attention_mask, presents)
    second_run = output_run(
        DECODER_FILE,
        {"input_ids": next_ids, **shared, **cache_tensors("past_key_values", presents, cross),
         "use_cache_branch": torch.tensor([True])},
        {"logits": step_logits, **cache_tensors("present", step_presents, cross)})
    texts = [text for item in items for text in [item["source"], *item["references"]]]
    texts += ["Hello world, attention is all you need!", "A dog's  toy\tcosts $3.50 — café.", "  two spaces "]
    cases = [{"text": text, "ids": [BOS_ID, *tokenizer.encode(text), EOS_ID]} for text in texts]
    report = run_output_check(RECIPE.out_dir(args), [encoder_run, first_run, second_run], RECIPE.work_dir(args),
                              TOLERANCE, cases)
    log_check(report, log)
    return report


def evaluate(args, log) -> dict:
    """Every number of the card on test_2016: the model holding exactly the exported weights (greedy, beam 4), the
    float32 checkpoint (greedy), the baselines."""
    model, tokenizer, prepared, _ = load_exported(args)
    float32_model, _, _, _ = load_exported(args, rounded=False)
    items = prepared["evaluation"]["test_2016"]
    sources, references = [item["source"] for item in items], [item["references"] for item in items]
    started = time.time()
    greedy_summaries = summarize(model, tokenizer, sources, beams=1)
    beam_summaries = summarize(model, tokenizer, sources, beams=NUM_BEAMS)
    seconds = time.time() - started
    systems = {
        "beam": beam_summaries,
        "greedy": greedy_summaries,
        "float32": summarize(float32_model, tokenizer, sources, beams=1),
        "lead": [item["inputs"][0] for item in items],
        "extractive": [centroid_caption(item["inputs"]) for item in items],
        "oracle": [oracle_caption(item["inputs"], item["references"]) for item in items],
    }
    metrics = {
        "texts": len(items),
        "rouge": {name: corpus_rouge(summaries, references) for name, summaries in systems.items()},
        "mean_words": {name: sum(len(text.split()) for text in systems[name]) / len(items)
                       for name in ("beam", "greedy", "lead")},
        "samples": [{"inputs": inputs, "greedy": greedy_text, "beam": beam_text}
                    for inputs, greedy_text, beam_text in zip(
                        SAMPLE_INPUTS,
                        summarize(model, tokenizer, [" ".join(inputs) for inputs in SAMPLE_INPUTS], beams=1),
                        summarize(model, tokenizer, [" ".join(inputs) for inputs in SAMPLE_INPUTS], beams=NUM_BEAMS))],
        "decoding_seconds": seconds,
    }
    (RECIPE.work_dir(args) / "summaries.jsonl").write_text(
        "\n".join(json.dumps({"source": item["source"], "greedy": greedy_text, "beam": beam_text,
                              "reference": item["references"][0]}, ensure_ascii=False)
                  for item, greedy_text, beam_text in zip(items, greedy_summaries, beam_summaries)) + "\n",
        encoding="utf-8")
    log(f"evaluate: {json.dumps({key: value for key, value in metrics.items() if key != 'samples'})}")
    return metrics


SYSTEM_NAMES = {
    "beam": f"attn/sum-captions, beam {NUM_BEAMS} (exported float16 weights)",
    "greedy": "attn/sum-captions, greedy (exported float16 weights)",
    "float32": "the same model, greedy, float32 checkpoint",
    "lead": "lead: the first input caption (caption 2)",
    "extractive": "extractive: the input caption with the highest mean ROUGE-1 against the other three",
    "oracle": "oracle (reads the reference): the input caption with the highest ROUGE-L against it",
}


def metric_lines(metrics: dict) -> list[str]:
    """The card's measured lines; evaluate.py recomputes them and requires each verbatim in the card."""
    lines = []
    for name, label in SYSTEM_NAMES.items():
        rouge = metrics["rouge"][name]
        values = [f"{rouge[metric]:.2f}" for metric in ("rouge1", "rouge2", "rougeL")]
        if name == "beam":
            values = [f"**{value}**" for value in values]
        lines.append(f"| {label} | {' | '.join(values)} |")
    words = metrics["mean_words"]
    lines.append(f"Mean words per text: beam {NUM_BEAMS} {words['beam']:.1f}, greedy {words['greedy']:.1f}, "
                 f"lead (a human caption) {words['lead']:.1f}.")
    for number, sample in enumerate(metrics["samples"], start=1):
        inputs = " / ".join(sample["inputs"])
        lines.append(f"| {number} | {table_cell(inputs)} | {table_cell(sample['beam'])} | "
                     f"{table_cell(sample['greedy'])} |")
    return lines


def write_card(args, summary: dict, report: dict, metrics: dict, log) -> None:
    model, tokenizer, prepared, final = load_exported(args)
    out = RECIPE.out_dir(args)
    settings, history, config = final["settings"], final["history"], model.config
    environment = environment_summary()
    work_name = RECIPE.work_dir(args).name
    command = RECIPE.command("train.py", args, epochs=len(history))
    lines = metric_lines(metrics)
    systems = len(SYSTEM_NAMES)
    history_rows = [[str(entry["epoch"]), str(entry["step"]), f"{entry['val_nll']:.4f}", f"{entry['val_rouge1']:.2f}",
                     f"{entry['val_rouge2']:.2f}", f"{entry['val_rougeL']:.2f}", f"{entry['train_seconds'] / 60:.1f}"]
                    for entry in history]
    images = len(prepared["train"]["plain"][0])
    caption_tokens = sum(len(ids) + 1 for lines_of_one in prepared["train"]["plain"] for ids in lines_of_one)
    head_dim = config.d_model // config.decoder_attention_heads
    typescript = "pnpm --filter @attn/eval exec tsx src/summarize-rouge.ts"
    if out != zoo_data.MODELS_ROOT / NAME:
        typescript += f" --model {out} --data {RECIPE.work_dir(args) / 'data' / 'test.jsonl'}"
    card = f"""# attn/sum-captions — multi-caption summarization (BART architecture, trained from scratch)
{smoke_note(args, "examples")}
A small Transformer encoder–decoder in Hugging Face's BART layout (`model_type: bart`), trained by `tools/model-zoo`
to write one caption of an image from four other captions of it. It exists so that attn's `summarize()` can show
which source words each summary word drew on, offline; it summarizes short scene descriptions, nothing else.

## Data and licence
- Multi30k task 2 (Elliott et al. 2016): five independent English captions of each Flickr30k image
  (`{{train,val,test_2016}}.{{1..5}}.en`), GitHub multi30k/dataset, data/task2/raw, commit a3d2e0d.
- Training: {images:,} images. Example = four captions of an image, in caption order and joined by spaces, as the
  source; the fifth as the target. Epoch e uses rotation (image + e) mod 5 of every image (the caption of that number
  is the target), so every five epochs each caption of each image is the target once. Examples whose source exceeds
  {settings['max_source_tokens']} tokens or whose target exceeds {MAX_NEW_TOKENS} are left out.
- Selection: `val` ({len(prepared['evaluation']['val']):,} images) with the evaluation set's rotation. Reported: `test_2016` ({metrics['texts']:,} images): source
  = captions 2–5 joined by spaces, reference = caption 1 — the set `tools/eval/src/summarize-rouge.ts` builds by
  default, also written to `tools/model-zoo/work/{work_name}/data/test.jsonl`.
- Licence/terms: Multi30k is distributed for research use (Flickr30k captions); there is no licence file. These
  weights are derived from it and carry the same research-use terms.

## Architecture and size
- BART (Lewis et al. 2019) post-norm encoder–decoder: d_model {config.d_model}, {config.encoder_layers} encoder + {config.decoder_layers} decoder layers,
  {config.encoder_attention_heads} heads (head dim {head_dim}), FFN {config.encoder_ffn_dim}, GELU, {config.max_position_embeddings} learned positions per side (offset 2), `layernorm_embedding`,
  one embedding matrix shared by encoder, decoder and output projection, `final_logits_bias` (zero); dropout
  {settings['dropout']} while training.
- Tokenizer: byte-level BPE trained here on the training captions: {tokenizer.vocab_size:,} tokens in RoBERTa/BART order (`<s>` {BOS_ID},
  `<pad>` {PAD_ID}, `</s>` {EOS_ID}, `<unk>` 3, 256 bytes, {len(prepared['merges']):,} merges, `<mask>` last); a source is `<s> text </s>`,
  `</s>` starts the decoder and ends the summary. The Node check confirms that @huggingface/tokenizers gives the
  Python ids.
- Parameters: {parameter_count(model):,}. Files (weights of ≥ 1,024 values stored as float16 initializers followed by Cast
  to float32, the position tables float32; the graphs compute in float32):

{files_table(out)}

## ONNX interface (Optimum names for bart)
- `onnx/encoder_model.onnx`: `input_ids`, `attention_mask` int64 [batch_size, encoder_sequence_length] →
  `last_hidden_state` float32 [batch_size, encoder_sequence_length, {config.d_model}].
- `{DECODER_FILE}`, Optimum's merged decoder: one `If` on `use_cache_branch` bool [1], whose else-branch is
  the first step and then-branch every later step. Inputs `input_ids` int64 [batch_size, decoder_sequence_length],
  `encoder_attention_mask` int64, `encoder_hidden_states` float32 (read by the first step),
  `past_key_values.{{0..{config.decoder_layers - 1}}}.decoder.key|value` [batch_size, {config.decoder_attention_heads}, past_decoder_sequence_length, {head_dim}] and
  `past_key_values.{{i}}.encoder.key|value` [batch_size, {config.decoder_attention_heads}, encoder_sequence_length, {head_dim}] (the cross-attention keys/values,
  read by later steps) → `logits` float32 [batch_size, decoder_sequence_length, {config.vocab_size}], `present.{{i}}.decoder.key|value`,
  `present.{{i}}.encoder.key|value`. The first step takes zero-length pasts and computes the cross keys/values once.
- Attention is explicit MatMul → Add(mask) → Softmax → MatMul; the probabilities are the outputs of Softmax nodes
  such as `{"`, `".join(summary['encoder_softmax'][:1] + summary['decoder_softmax'][:2])}` ({len(summary['encoder_softmax'])} in the encoder, {len(summary['decoder_softmax'])} in the decoder).
  ONNX opset 14, exported with PyTorch {environment['torch']}.
- `generation_config.json`: beam search with {NUM_BEAMS} beams, length penalty 1, at most {MAX_NEW_TOKENS} new tokens (`</s>` forced
  at the last), `<pad>` never generated.

## Training
- Command: `{command}` (data from `--data`, `$ATTN_DATA` or `../shared/data`; checkpoints and the progress
  log with tokens/s in `tools/model-zoo/work/{work_name}/`; `--resume` continues from the last epoch).
- Seed {settings['seed']}; AdamW (β 0.9/0.98, weight decay {settings['weight_decay']}), inverse-square-root schedule, peak learning rate
  {settings['peak_lr']}, {settings['warmup_steps']} warm-up steps, batches of ≤ {settings['max_tokens']:,} padded tokens, label smoothing {settings['label_smoothing']}, gradient
  norm clipped at 1.0; {caption_tokens:,} caption tokens (with `</s>`) in the training captions.
- {len(history)} epochs, {final['steps']:,} steps, {final['train_seconds'] / 60:.1f} minutes of training on {environment['machine']}, no GPU,
  Python {environment['python']}, PyTorch {environment['torch']} (Debian python3-torch); tokens/s (source + target) in the progress log.
- Selection on greedy val ROUGE-L: {final['chosen']}, chosen between the best epoch and the average of the last
  {settings['average_last']}.

{markdown_table(["epoch", "step", "val NLL/token", "val ROUGE-1", "val ROUGE-2", "val ROUGE-L", "cumulative train min"], history_rows)}

## Metrics
ROUGE F-measures × 100 on test_2016 ({metrics['texts']:,} images, one reference each), computed by
`tools/model-zoo/zoo/rouge.py` as Google's rouge-score does by default (lowercase, runs of characters outside
[a-z0-9] separate tokens, no stemming; ROUGE-L is the sentence-level longest common subsequence) and as
`tools/eval/src/rouge.ts` does. Every line below is reproduced by
`{RECIPE.command("evaluate.py", args)}`, which recomputes it and fails if one differs; the
model rows are re-measured through the TypeScript pipeline (`summarize()` in onnxruntime-node) by
`{typescript}` (the same {metrics['texts']:,} texts; expect the same numbers up
to float rounding: it decodes one text at a time, here they are batched).

| system | ROUGE-1 | ROUGE-2 | ROUGE-L |
|---|---|---|---|
{chr(10).join(lines[:systems])}

{lines[systems]}
The lead row is one human caption scored against another: how much two people describing the same picture agree.
The extractive baseline picks the caption that agrees most with the other inputs, the oracle the best input caption
for this reference.

Sample summaries of {len(SAMPLE_INPUTS)} sets of four captions written for this card (not from the data set; captions
separated by /):

| # | input captions | beam {NUM_BEAMS} | greedy |
|---|---|---|---|
{chr(10).join(lines[systems + 1:])}

## Export check
`zoo/node_check.py` ran the ONNX files in onnxruntime-node on a right-padded batch of two test sources — the
encoder, the merged decoder's first step (zero-length pasts) and one cached step (`use_cache_branch` true) — and
compared the hidden states, logits and caches with PyTorch holding the exported weights (tolerance {TOLERANCE}); it also
encoded every test source and reference with @huggingface/tokenizers: `{json.dumps(check_summary(report))}`.

## Known limits
- Caption domain only: four short descriptions of one photograph in, one description out. Anything else — news,
  documents, dialogue, long texts — is outside what it has seen; it will still write a caption-like sentence.
- The summary is a consensus description, often more generic than any input; it can merge details of different
  captions wrongly or invent them.
- ROUGE against a single human caption is a weak measure: another human caption (the lead row) scores low too.
  Numbers are comparable with the baselines here, not with published summarization results.
- transformers.js decodes greedily even when `num_beams` is 4 (see HF-FORMATS.md), so it reproduces the greedy row.
"""
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    log(f"card: wrote {out / 'MODEL_CARD.md'}")


def run_training(args) -> None:
    log = RECIPE.start_training(args)
    settings = RECIPE.settings(args)
    prepared = prepare(args, settings, log)
    if getattr(args, "prepare_only", False):
        return
    final = train_epochs(training_plan(args, settings, prepared), args, log)
    log(f"train: final weights {final['chosen']} after {final['train_seconds'] / 60:.1f} min")
    set_threads(1)  # evaluate.py decodes with one thread too, so that its summaries are the card's bit for bit
    summary = export_folder(args, log)
    report = verify_folder(args, log)
    metrics = evaluate(args, log)
    write_json(RECIPE.work_dir(args) / "metrics.json", metrics)
    write_card(args, summary, report, metrics, log)
    fail_unless_passed(report)


def run_evaluation(args) -> None:
    log = RECIPE.start_evaluation(args, threads=1)
    RECIPE.check_card(args, metric_lines(evaluate(args, log)), log)
