"""Recipe attn/qa-captions: extractive question answering over image captions — BERT's architecture with start/end
logits (Devlin et al. 2018, §4.2), trained from scratch on the reading-comprehension set that zoo/qa_set.py builds
from Multi30k task 2 (questions from one caption, answers in the other captions of the same image).

prepare (questions, WordPiece vocabulary, encoded training set, held-out sets as the JSON lines tools/eval reads,
work/qa-captions/data/{val,test}.jsonl) → train (zoo/epoch_trainer.py; validation F1 selects the epoch) → export
(Hugging Face layout, onnx/model.onnx with Optimum's names, float16 weights) → Node check → evaluation (SQuAD EM /
F1 of the exported weights and of the lexical-overlap baseline) → MODEL_CARD.md. `evaluate.py qa-captions` recomputes
every number of the card and compares.

Shape legend: B batch, L tokens ([CLS] question [SEP] context [SEP]).
"""
from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from zoo import data as zoo_data
from zoo.architectures import wordpiece
from zoo.architectures.bert import BertConfig, BertForQuestionAnswering
from zoo.architectures.export import export_bert
from zoo.epoch_trainer import TrainingPlan, train_epochs
from zoo.model_card import files_table, markdown_table
from zoo.node_check import output_run, run_output_check
from zoo.qa_set import QUESTION_TYPES, Lexicon, build_examples, overlap_baseline
from zoo.recipe import Recipe, check_summary, fail_unless_passed, log_check, smoke_note
from zoo.seq2seq_recipe import environment_summary
from zoo.squad_metrics import squad_scores
from zoo.training import pad, write_json
from zoo.verify import round_weights_like_export

NAME = "qa-captions"
TASK2 = "multi30k/task2"
SPLITS = {"train": "train", "val": "val", "test": "test_2016"}  # our name → the Multi30k file prefix
CAPTIONS_PER_IMAGE = 5
MAX_ANSWER_TOKENS = 30  # answer() in @attn/nlp and Hugging Face's pipeline use 30
NULL_THRESHOLD = 0.0  # answer()'s default: "no answer" when the [CLS] score beats the best span
CHECK_EXAMPLES = 4
TOLERANCE = 1e-3

FULL = {
    "seed": 1,
    "vocab_size": 6000,
    "max_length": 128,
    "model": dict(hidden_size=128, num_hidden_layers=4, num_attention_heads=4, intermediate_size=512,
                  hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1),
    "batch_size": 64,
    "shards": 6,  # an epoch trains on one sixth of the training questions; six epochs make one pass
    "peak_lr": 1e-3,
    "warmup_steps": 600,
    "weight_decay": 0.01,
    "epochs": 12,
    "time_budget_minutes": 20,
    "average_last": 2,
    "train_images": None,
    "held_out_images": None,
    # config.json's attn_answer_evidence: the self-attention answer() reads its evidence from, chosen after training
    # by the deletion test on validation questions (the card's Answer evidence section names the command)
    "answer_evidence": {"layer": 1, "head": 3},
}

SMOKE = {
    **FULL,
    "vocab_size": 400,
    "model": dict(FULL["model"], hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64),
    "batch_size": 16,
    "shards": 1,
    "warmup_steps": 10,
    "epochs": 2,
    "time_budget_minutes": None,
    "train_images": 300,
    "held_out_images": 40,
    "answer_evidence": {"layer": 0, "head": 1},
}

RECIPE = Recipe(NAME, FULL, SMOKE)


def caption_files(split: str) -> list[str]:
    return [f"{TASK2}/{SPLITS[split]}.{number}.en.gz" for number in range(1, CAPTIONS_PER_IMAGE + 1)]


# ---------------------------------------------------------------------------------------------------------------
# Tokens with character offsets


def encode_pair(tokenizer: wordpiece.WordPiece, question: str, context: str):
    """[CLS] question [SEP] context [SEP]: (ids, token type ids, per token the [start, end) character offsets into the
    context, None for question and special tokens) — the offsets Hugging Face tokenizers reports for BERT: each piece
    its own characters, mapped back through lowercasing and accent stripping; [UNK] the whole word."""
    ids, types = tokenizer.encode(question, context)
    offsets: list[tuple[int, int] | None] = [None] * (ids.index(tokenizer.ids[wordpiece.SEP]) + 1)
    offsets += context_offsets(tokenizer, context) + [None]
    if len(offsets) != len(ids):
        raise ValueError(f"encode_pair: {len(offsets)} offsets for {len(ids)} tokens of {context!r}")
    return ids, types, offsets


def context_offsets(tokenizer: wordpiece.WordPiece, text: str) -> list[tuple[int, int]]:
    """Offsets of the tokens of `text` alone: BasicTokenizer's words found in the normalised text, each normalised
    character remembering the original character it came from."""
    normalized, origin = [], []
    for index, character in enumerate(text):
        for part in unicodedata.normalize("NFD", character.lower()):
            if unicodedata.category(part) != "Mn":
                normalized.append(part)
                origin.append(index)
    offsets = []
    for match in re.finditer(r"\w+|[^\w\s]", "".join(normalized)):
        position = match.start()
        for piece in tokenizer.encode_word(match.group()):
            length = match.end() - position if piece == wordpiece.UNK else len(piece.removeprefix("##"))
            offsets.append((origin[position], origin[position + length - 1] + 1))
            position += length
    return offsets


def answer_tokens(offsets, answer: dict) -> tuple[int, int] | None:
    """First and last token of an answer given as {text, start}; None when its edges are not token edges."""
    end = answer["start"] + len(answer["text"])
    first = next((index for index, span in enumerate(offsets) if span is not None and span[0] == answer["start"]), None)
    last = next((index for index, span in enumerate(offsets) if span is not None and span[1] == end), None)
    return None if first is None or last is None or last < first else (first, last)


# ---------------------------------------------------------------------------------------------------------------
# prepare


def prepare(args, settings, log) -> dict:
    """Questions for every split, the WordPiece vocabulary, the encoded training set and the held-out JSON lines."""
    work = RECIPE.work_dir(args)
    prepared_path = work / "prepared.pt"
    if prepared_path.exists():
        return torch.load(prepared_path)
    expected = [path for split in SPLITS for path in caption_files(split)]
    data_dir = zoo_data.resolve_data_dir(args.data, expected)
    paths = zoo_data.require_files(data_dir, expected)
    started = time.time()
    captions = {}
    for position, split in enumerate(SPLITS):
        first = position * CAPTIONS_PER_IMAGE
        files = [zoo_data.read_lines(path) for path in paths[first : first + CAPTIONS_PER_IMAGE]]
        if len({len(lines) for lines in files}) != 1:
            raise zoo_data.DataError(
                f"{', '.join(caption_files(split))} must have equal line counts (line i of each is image i)")
        limit = settings["train_images"] if split == "train" else settings["held_out_images"]
        captions[split] = [lines[:limit] for lines in files]
    train_captions = [caption for lines in captions["train"] for caption in lines]
    lexicon = Lexicon.learn(train_captions)
    examples = {split: build_examples(captions[split], lexicon) for split in SPLITS}
    log(f"prepare: lexicon of {len(lexicon.nouns)} nouns and {len(lexicon.ing_verbs)} -ing verbs; questions "
        + ", ".join(f"{split} {len(items)}" for split, items in examples.items()) + f" ({time.time() - started:.0f}s)")
    vocabulary = wordpiece.build_vocabulary(train_captions + [example.question for example in examples["train"]],
                                            settings["vocab_size"])
    tokenizer = wordpiece.WordPiece(vocabulary)
    prepared = {"vocabulary": vocabulary, "data_dir": str(data_dir), "counts": {}, "held_out": {}}
    for split, items in examples.items():
        kept, encoded = [], []
        for example in items:
            ids, types, offsets = encode_pair(tokenizer, example.question, example.context)
            span = answer_tokens(offsets, example.answers[0])
            if len(ids) <= settings["max_length"] and span is not None:
                kept.append(example)
                encoded.append((ids, types.index(1), *span))
        prepared["counts"][split] = {"images": len(captions[split][0]), "generated": len(items), "kept": len(kept),
                                     "by_type": dict(Counter(example.kind for example in kept))}
        if split == "train":
            prepared["train"] = pack(encoded)
        else:
            prepared["held_out"][split] = [example.to_json(f"{split}-{index}") for index, example in enumerate(kept)]
            write_json_lines(work / "data" / f"{split}.jsonl", prepared["held_out"][split])
        log(f"prepare: {split}: {len(kept)}/{len(items)} questions fit {settings['max_length']} tokens; by type "
            f"{prepared['counts'][split]['by_type']}")
    torch.save(prepared, prepared_path)
    log(f"prepare: vocabulary {len(vocabulary)}, held-out sets in {work / 'data'} ({time.time() - started:.0f}s)")
    return prepared


def pack(encoded: list[tuple[list[int], int, int, int]]) -> dict:
    """Training examples as flat tensors: ids of all examples concatenated, and per example its length, the index
    of its first context token (token type 1 from there on) and the answer's first and last token."""
    return {
        "ids": torch.tensor([token for ids, _, _, _ in encoded for token in ids], dtype=torch.int32),
        "lengths": torch.tensor([len(ids) for ids, _, _, _ in encoded]),
        "context_starts": torch.tensor([context for _, context, _, _ in encoded]),
        "answer_starts": torch.tensor([start for _, _, start, _ in encoded]),
        "answer_ends": torch.tensor([end for _, _, _, end in encoded]),
    }


def write_json_lines(path: Path, items: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------------------------------
# train


def build_model(settings, vocab_size: int) -> BertForQuestionAnswering:
    config = BertConfig(vocab_size=vocab_size, max_position_embeddings=settings["max_length"],
                        pad_token_id=0, **settings["model"])
    return BertForQuestionAnswering(config)


def training_batches(train: dict, settings: dict, epoch: int) -> list[torch.Tensor]:
    """The epoch's shard of the training questions (a seeded partition into `shards` parts, used in turn), grouped
    by similar length (seeded tie-break), batch order shuffled: deterministic for the seed and the epoch."""
    count = len(train["lengths"])
    shard = np.random.RandomState(settings["seed"]).permutation(count)[epoch % settings["shards"] :: settings["shards"]]
    generator = np.random.RandomState(settings["seed"] * 1000 + epoch)
    noise = generator.rand(len(shard))
    order = shard[np.lexsort((noise, train["lengths"].numpy()[shard]))]
    batch_size = settings["batch_size"]
    batches = [torch.from_numpy(order[start : start + batch_size]) for start in range(0, len(order), batch_size)]
    generator.shuffle(batches)
    return batches


def unpack_batch(train: dict, offsets: torch.Tensor, indices: torch.Tensor):
    """input_ids, attention_mask, token_type_ids [B, L] and answer start / end token [B] of some packed examples."""
    sequences = [train["ids"][offsets[i] : offsets[i] + train["lengths"][i]].tolist() for i in indices.tolist()]
    input_ids = pad(sequences, pad_id=0)
    attention_mask = (torch.arange(input_ids.shape[1])[None] < train["lengths"][indices][:, None]).long()
    token_type_ids = (torch.arange(input_ids.shape[1])[None] >= train["context_starts"][indices][:, None]).long()
    token_type_ids = token_type_ids * attention_mask
    return input_ids, attention_mask, token_type_ids, train["answer_starts"][indices], train["answer_ends"][indices]


def span_loss(start_logits, end_logits, attention_mask, starts, ends) -> torch.Tensor:
    """Mean of the start and end cross entropies over the real tokens (padding is never an answer)."""
    padding = attention_mask == 0
    return (F.cross_entropy(start_logits.masked_fill(padding, -1e4), starts)
            + F.cross_entropy(end_logits.masked_fill(padding, -1e4), ends)) / 2


def training_plan(args, settings, prepared) -> TrainingPlan:
    train = prepared["train"]
    offsets = torch.cumsum(train["lengths"], 0) - train["lengths"]
    tokenizer = wordpiece.WordPiece(prepared["vocabulary"])
    validation = prepared["held_out"]["val"]

    def step_loss(model, indices):
        input_ids, attention_mask, token_type_ids, starts, ends = unpack_batch(train, offsets, indices)
        start_logits, end_logits = model(input_ids, attention_mask, token_type_ids)
        return span_loss(start_logits, end_logits, attention_mask, starts, ends), int(attention_mask.sum())

    def validate(model):
        scores = squad_scores(predict(model, tokenizer, validation), [gold_texts(item) for item in validation])
        return {"score": scores["f1"], "val_exact_match": scores["exact_match"], "val_f1": scores["f1"]}

    return TrainingPlan(
        work=RECIPE.work_dir(args), settings=settings,
        build_model=lambda: build_model(settings, len(prepared["vocabulary"])),
        batches=lambda epoch: training_batches(train, settings, epoch),
        step_loss=step_loss, validate=validate, unit="tok",
    )


# ---------------------------------------------------------------------------------------------------------------
# predict: the decoding of answer() in @attn/nlp (answer-span.ts), on one window per question


def best_span(start_logits: torch.Tensor, end_logits: torch.Tensor, is_context: torch.Tensor):
    """(start token, end token, start + end logit) of the best span i ≤ j < i + MAX_ANSWER_TOKENS over context tokens;
    ties go to the earlier start, then the shorter span (argmax's first maximum in row-major order)."""
    length = start_logits.shape[0]
    scores = start_logits[:, None] + end_logits[None, :]  # [L, L]: start i, end j
    positions = torch.arange(length)
    allowed = (positions[None, :] >= positions[:, None]) & (positions[None, :] < positions[:, None] + MAX_ANSWER_TOKENS)
    allowed &= is_context[:, None] & is_context[None, :]
    best = int(torch.where(allowed, scores, torch.tensor(float("-inf"))).reshape(-1).argmax())
    start, end = divmod(best, length)
    return start, end, float(scores[start, end])


@torch.no_grad()
def predict(model, tokenizer: wordpiece.WordPiece, items: list[dict], batch_size: int = 128) -> list[str]:
    """The answer text of each {question, context}; "" where [CLS]'s null score beats the best span (no answer)."""
    model.eval()
    encoded = [encode_pair(tokenizer, item["question"], item["context"]) for item in items]
    order = sorted(range(len(items)), key=lambda index: len(encoded[index][0]))
    answers = [""] * len(items)
    for first in range(0, len(order), batch_size):
        indices = order[first : first + batch_size]
        input_ids = pad([encoded[index][0] for index in indices], pad_id=0)
        token_type_ids = pad([encoded[index][1] for index in indices], pad_id=0)
        attention_mask = pad([[1] * len(encoded[index][0]) for index in indices], pad_id=0)
        start_logits, end_logits = model(input_ids, attention_mask, token_type_ids)  # [B, L]
        for row, index in enumerate(indices):
            offsets = encoded[index][2]
            is_context = torch.tensor([span is not None for span in offsets])
            length = len(offsets)
            start, end, logit = best_span(start_logits[row, :length], end_logits[row, :length], is_context)
            null_logit = float(start_logits[row, 0] + end_logits[row, 0])
            if null_logit - logit <= NULL_THRESHOLD:
                answers[index] = items[index]["context"][offsets[start][0] : offsets[end][1]]
    return answers


def gold_texts(item: dict) -> list[str]:
    return [answer["text"] for answer in item["answers"]]


# ---------------------------------------------------------------------------------------------------------------
# export and Node check


def load_final_model(args, exported: bool):
    """The selected weights; exported=True rounds them as the ONNX file stores them (float16 except positions)."""
    work = RECIPE.work_dir(args)
    final = torch.load(work / "final.pt")
    prepared = torch.load(work / "prepared.pt")
    model = build_model(final["settings"], len(prepared["vocabulary"]))
    model.load_state_dict(final["model"])
    model.eval()
    if exported:
        round_weights_like_export(model, keep=("position_embeddings",))
    return model, prepared, final


def export_folder(args, log) -> dict:
    model, prepared, _ = load_final_model(args, exported=False)
    out = RECIPE.out_dir(args)
    out.mkdir(parents=True, exist_ok=True)
    vocabulary = prepared["vocabulary"]
    write_json(out / "config.json", {**model.config.to_hf_dict(), "attn_answer_evidence": RECIPE.settings(args)["answer_evidence"]})
    write_json(out / "tokenizer.json", wordpiece.bert_tokenizer_json(vocabulary))
    write_json(out / "tokenizer_config.json", wordpiece.bert_tokenizer_config(model.config.max_position_embeddings))
    write_json(out / "special_tokens_map.json", {
        "unk_token": wordpiece.UNK, "sep_token": wordpiece.SEP, "pad_token": wordpiece.PAD,
        "cls_token": wordpiece.CLS, "mask_token": wordpiece.MASK,
    })
    summary = export_bert(model, out, float16=True)
    log(f"export: {out} {json.dumps({key: value for key, value in summary.items() if 'softmax' not in key})}")
    return summary


@torch.no_grad()
def verify_folder(args, log) -> dict:
    """onnxruntime-node's start/end logits = PyTorch's (exported weights) on real test questions, padded in one batch
    and alone; @huggingface/tokenizers' ids = ours on every test question + context pair."""
    model, prepared, _ = load_final_model(args, exported=True)
    tokenizer = wordpiece.WordPiece(prepared["vocabulary"])
    items = prepared["held_out"]["test"]
    encoded = [encode_pair(tokenizer, item["question"], item["context"]) for item in items]
    runs = []
    for group in (encoded[:CHECK_EXAMPLES], encoded[CHECK_EXAMPLES : CHECK_EXAMPLES + 1]):
        input_ids = pad([ids for ids, _, _ in group], pad_id=0)
        inputs = {"input_ids": input_ids, "attention_mask": (input_ids != 0).long(),
                  "token_type_ids": pad([types for _, types, _ in group], pad_id=0)}
        start_logits, end_logits = model(**inputs)
        runs.append(output_run("onnx/model.onnx", inputs, {"start_logits": start_logits, "end_logits": end_logits}))
    tokenizer_cases = [{"text": item["question"], "pair": item["context"], "ids": ids}
                       for item, (ids, _, _) in zip(items, encoded)]
    report = run_output_check(RECIPE.out_dir(args), runs, RECIPE.work_dir(args), TOLERANCE, tokenizer_cases)
    log_check(report, log)
    return report


# ---------------------------------------------------------------------------------------------------------------
# evaluate


def evaluate(args, log) -> dict:
    """SQuAD EM / F1 of the exported weights and of the baseline, per split and question type, plus the float32
    checkpoint on test for contrast."""
    exported, prepared, _ = load_final_model(args, exported=True)
    float32, _, _ = load_final_model(args, exported=False)
    tokenizer = wordpiece.WordPiece(prepared["vocabulary"])
    predictions_dir = RECIPE.work_dir(args) / "predictions"
    rows = []
    for split in ("test", "val"):
        items = prepared["held_out"][split]
        started = time.time()
        systems = {"model (exported weights)": predict(exported, tokenizer, items),
                   "lexical-overlap baseline": [overlap_baseline(item["question"], item["context"]) for item in items]}
        if split == "test":
            systems["model (float32 checkpoint)"] = predict(float32, tokenizer, items)
        for system, predictions in systems.items():
            kinds = ("all", *QUESTION_TYPES) if split == "test" and "float32" not in system else ("all",)
            for kind in kinds:
                chosen = [index for index, item in enumerate(items) if kind in ("all", item["type"])]
                scores = squad_scores([predictions[index] for index in chosen],
                                      [gold_texts(items[index]) for index in chosen])
                rows.append({"split": SPLITS[split], "questions": kind, "system": system,
                             "exact_match": round(scores["exact_match"], 2), "f1": round(scores["f1"], 2),
                             "count": scores["count"]})
        write_json_lines(predictions_dir / f"{split}.jsonl", [
            {"id": item["id"], "model": systems["model (exported weights)"][index],
             "baseline": systems["lexical-overlap baseline"][index], "gold": gold_texts(item)}
            for index, item in enumerate(items)])
        log(f"evaluate: {SPLITS[split]}: {len(items)} questions ({time.time() - started:.0f}s)")
    for row in rows:
        log(f"evaluate: {metric_line(row)}")
    return {"rows": rows, "samples": sample_rows(exported, tokenizer)}


# the card's samples: one question of each type on captions written for it, so that the card quotes no caption of
# the data set; the answers are the spans we meant
SAMPLE_QUESTIONS = [
    ("how many", "How many children are there?",
     "Three children play football in a muddy field. Some kids kick a ball on the grass. Three young boys run after a "
     "football.", ["Three"]),
    ("colour", "What colour is the car?",
     "A red car is parked outside a small shop. A man leans on a red car. A car waits by the door of a bakery.",
     ["red"]),
    ("doing", "What is the woman doing?",
     "A woman is reading a book on a park bench. A woman sits on a bench with a book. Someone reads in the park.",
     ["reading a book", "sits on a bench with a book"]),
    ("what", "What is the man holding?",
     "A man holding an umbrella walks in the rain. A man with an umbrella crosses the street. A rainy street in the "
     "city.", ["an umbrella"]),
    ("who", "Who is climbing the rock?",
     "A climber in a yellow helmet scales a rock face. A climber hangs from a rope on a cliff. Someone climbs a steep "
     "rock.", ["A climber in a yellow helmet", "A climber"]),
    ("where", "Where is the cat sleeping?",
     "A grey cat is sleeping on a windowsill. A cat naps in the sun on a windowsill. A cat lies by the window.",
     ["on a windowsill"]),
]


def sample_rows(model, tokenizer: wordpiece.WordPiece) -> list[list[str]]:
    """SAMPLE_QUESTIONS with their answers, the model's (exported weights) and the baseline's."""
    items = [{"question": question, "context": context} for _, question, context, _ in SAMPLE_QUESTIONS]
    answers = predict(model, tokenizer, items)
    return [[kind, question, context, " / ".join(gold), answer, overlap_baseline(question, context)]
            for (kind, question, context, gold), answer in zip(SAMPLE_QUESTIONS, answers)]


def metric_line(row: dict) -> str:
    return (f"| {row['split']} | {row['questions']} | {row['system']} | **{row['exact_match']:.2f}** | "
            f"**{row['f1']:.2f}** | {row['count']:,} |")


# ---------------------------------------------------------------------------------------------------------------
# card


def write_card(args, summary: dict, report: dict, metrics: dict, log) -> None:
    model, prepared, final = load_final_model(args, exported=False)
    out = RECIPE.out_dir(args)
    settings, history, config = final["settings"], final["history"], model.config
    evidence = RECIPE.settings(args)["answer_evidence"]  # chosen after training: not in the checkpoint's settings
    environment = environment_summary()
    parameters = sum(parameter.numel() for parameter in model.parameters())
    command = RECIPE.command("train.py", args, epochs=len(history))
    counts = prepared["counts"]
    count_rows = [[SPLITS[split], f"{counts[split]['images']:,}", f"{counts[split]['generated']:,}",
                   f"{counts[split]['kept']:,}", *(f"{counts[split]['by_type'].get(kind, 0):,}" for kind in QUESTION_TYPES)]
                  for split in SPLITS]
    count_header = ["split", "images", "questions generated", f"kept (≤ {settings['max_length']} tokens)", *QUESTION_TYPES]
    history_rows = [[str(h["epoch"]), f"{h['step']:,}", f"{h['val_exact_match']:.2f}", f"{h['val_f1']:.2f}",
                     f"{h['train_seconds'] / 60:.1f}"] for h in history]
    rows = {(row["split"], row["questions"], row["system"]): row for row in metrics["rows"]}
    model_test = rows[("test_2016", "all", "model (exported weights)")]
    float32_test = rows[("test_2016", "all", "model (float32 checkpoint)")]
    baseline_test = rows[("test_2016", "all", "lexical-overlap baseline")]
    epoch_note = (
        f"An epoch trains on one of {settings['shards']} fixed, seeded shards of the {counts['train']['kept']:,} "
        f"training questions, taken in turn ({settings['shards']} epochs make one pass), so that validation, checkpoints and "
        "the time budget come every few minutes." if settings["shards"] > 1
        else f"An epoch is one pass over the {counts['train']['kept']:,} training questions."
    )
    budget = settings["time_budget_minutes"]
    budget_note = f"training stops at the first epoch end after {budget} minutes" if budget else "no time budget"
    model_option = f" --model {out}" if args.smoke else ""
    metric_rows = "\n".join(metric_line(row) for row in metrics["rows"])
    softmax = summary["model_softmax"]
    title = "extractive question answering over image captions (BERT architecture, trained from scratch)"
    card = f"""# attn/{NAME} — {title}
{smoke_note(args, "questions")}
A small BERT encoder with the extractive QA head (`BertForQuestionAnswering`: a start and an end logit per token,
Devlin et al. 2018) in Hugging Face's layout (`model_type: bert`), trained by `tools/model-zoo` on questions that
`tools/model-zoo/zoo/qa_set.py` generates from Multi30k task 2 captions. It exists so that attn's `answer()` can show
the evidence behind an answer offline; it reads short descriptions of a scene and answers who / what / what colour /
where / how many / what is … doing. It is not a general-purpose QA model.

## Data and licence
- Source: Multi30k task 2 English captions (Elliott et al. 2016: five independent captions per Flickr30k image;
  `train.1..5`, `val.1..5`, `test_2016.1..5`), GitHub multi30k/dataset, data/task2/raw, commit a3d2e0d. Multi30k is
  distributed for research use (Flickr30k captions) without a licence file; these weights and the generated questions
  carry the same research-use terms. Nothing from the data is in the repository: `train.py {NAME} --prepare-only`
  regenerates the held-out sets into `tools/model-zoo/work/{NAME}/data/{{val,test}}.jsonl`.
- Questions: for every image, each caption asks and the other four captions, joined in file order, are the context.
  Rules (word lists plus a noun lexicon and an "-ing verb" lexicon learned from the training captions) turn a caption
  into questions: *how many* (a number word before a noun: "How many men are there?"), *colour* ("What colour is the
  shirt?"), *doing* ("What is the little girl doing?" from "<subject> (is) <verb>ing …"), *what* (the object of that
  verb: "What is the man riding?"), *who* ("Who is climbing the stairs?", person subjects only) and *where* (the
  caption's last prepositional phrase of place: "Where are the two men standing?"). A question is kept only when
  another caption holds an answer that agrees with the asking caption — the same number before the same noun, a shared
  colour word before the same noun, the same -ing verb (its phrase, its object or its subject), a place phrase with
  the same place noun — and no disagreeing one (two men and three men: dropped as ambiguous). Every agreeing span is a
  gold answer. No unanswerable questions. Splits by image: train from `train`, model selection from `val`, the
  numbers below from `test_2016`. Examples longer than {settings['max_length']} tokens are dropped (one window each).

{markdown_table(count_header, count_rows)}

Sample questions, one of each type, on captions written for this card (not from the data set), with the answers we
meant and what the model and the baseline answer:

{markdown_table(["type", "question", "context", "gold", "model", "baseline"], metrics["samples"])}

## Architecture and size
- Post-norm BERT encoder: hidden size {config.hidden_size}, {config.num_hidden_layers} layers, {config.num_attention_heads} heads (head dim {config.hidden_size // config.num_attention_heads}), FFN {config.intermediate_size}, GELU,
  learned positions ({config.max_position_embeddings}), 2 token types, dropout {config.hidden_dropout_prob}; `qa_outputs` linear layer → start and end logits. No pooler,
  no pre-training (no masked-LM stage: the questions are trained on directly).
- Vocabulary: WordPiece ({config.vocab_size} tokens: `[PAD]` 0, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]`, every character alone and as a
  `##` continuation, then the most frequent whole words of the training captions and questions), lowercased, accents
  stripped (BERT's BasicTokenizer); `tokenizer.json` in BERT's layout (BertNormalizer, BertPreTokenizer, WordPiece,
  `[CLS] question [SEP] context [SEP]` with token types 0 / 1).
- Parameters: {parameters:,}.
- Files (weights ≥ 1,024 elements stored as float16 initializers followed by Cast to float32, position embeddings
  float32; the graph computes in float32):

{files_table(out)}

## ONNX interface (Optimum names)
- `onnx/model.onnx`: `input_ids`, `attention_mask`, `token_type_ids` int64 [batch_size, sequence_length] →
  `start_logits`, `end_logits` float32 [batch_size, sequence_length].
- Attention is explicit MatMul → Add(mask) → Softmax → MatMul; the probabilities are the outputs of the
  {len(softmax)} Softmax nodes `{softmax[0]}` … `{softmax[-1]}`.
- ONNX opset 14, exported with PyTorch {environment['torch']}.

## Training
- Command: `{command}` (data from `--data`, `$ATTN_DATA` or `../shared/data`; work files, checkpoints and the progress
  log with tokens/s in `tools/model-zoo/work/{NAME}{'-smoke' if args.smoke else ''}/`; `--resume` continues from the last epoch, `--deadline HH:MM`
  stops before a deadline).
- {epoch_note}
- Seed {settings['seed']}; AdamW (β 0.9/0.98, ε 1e-9, weight decay {settings['weight_decay']}), inverse-square-root schedule, peak learning rate
  {settings['peak_lr']}, {settings['warmup_steps']} warm-up steps; batches of {settings['batch_size']} questions of similar length; loss = mean of the start and end
  cross entropies (padding excluded); gradient norm clipped at 1.0.
- {len(history)} epochs, {final['steps']:,} steps, {final['train_seconds'] / 60:.1f} minutes of training (plus per-epoch validation) on {environment['machine']},
  Python {environment['python']}, PyTorch {environment['torch']} (Debian python3-torch), no GPU; {budget_note}.
- Selection: {final['chosen']} (validation F1 {final['score']:.2f}), between the best single epoch and the average of the last
  {settings['average_last']} epochs.

{markdown_table(["epoch", "step", "val EM", "val F1", "cumulative train min"], history_rows)}

## Metrics
SQuAD exact match (EM) and token F1 in percent (`tools/model-zoo/zoo/squad_metrics.py`, the official v1.1 / v2.0
normalisation: lowercase, punctuation and articles removed; the best of the gold answers), equal to
`tools/eval/src/squad-metrics.ts`. The model's answer is decoded as `answer()` in `@attn/nlp` does it: the span
i ≤ j < i + {MAX_ANSWER_TOKENS} over context tokens with the largest start_i + end_j, "no answer" (the empty string) when
[CLS]'s start + end beats it (threshold {NULL_THRESHOLD:g}). "exported weights" are exactly the weights stored in the ONNX file
(float16-rounded); the float32 row is the checkpoint before rounding.

The **lexical-overlap baseline** (`overlap_baseline` in `zoo/qa_set.py`) answers with the context span of 1–2 words
inside one caption — no punctuation, no question word, not beginning or ending with a, an, the, is, are, and, of, to,
with, while, as, his, her, their — whose 2 words on either side (within the caption) share the most distinct content
words with the question (its words minus a, an, the, some, is, are, of, and, to, what, who, where, how, many, colour,
doing, there); ties go to the earlier start, then the shorter span. Span length and window were chosen on val among
1–4 words and windows of 2, 3 and 5 words.

Every row is recomputed by `{RECIPE.command("evaluate.py", args)}`, which fails if a line differs.
The TypeScript pipeline reproduces the model's `all` rows from the ONNX file with
`pnpm --filter @attn/eval exec tsx src/answer-squad.ts --data ../model-zoo/work/{RECIPE.work_dir(args).name}/data/test.jsonl{model_option}`
(`val.jsonl` for val; float32 logits from onnxruntime can flip a near-tie, so a difference of a few hundredths is
possible).

| split | questions | system | EM | F1 | count |
|---|---|---|---|---|---|
{metric_rows}

On test_2016 the model scores EM {model_test['exact_match']:.2f} / F1 {model_test['f1']:.2f} against the baseline's
{baseline_test['exact_match']:.2f} / {baseline_test['f1']:.2f}. Float16 storage of the weights changes test EM by
{model_test['exact_match'] - float32_test['exact_match']:+.2f} and F1 by {model_test['f1'] - float32_test['f1']:+.2f} (float32 checkpoint → exported file).

## Export check
`tools/model-zoo/check_outputs.mjs` ran `onnx/model.onnx` in onnxruntime-node on {CHECK_EXAMPLES} real test questions padded into one
batch and on one alone, and compared `start_logits` / `end_logits` with the PyTorch model holding the exported
weights (tolerance {TOLERANCE:g}); it also encoded every test question + context pair with @huggingface/tokenizers and
compared the ids with ours: `{json.dumps(check_summary(report))}`.

## Answer evidence
`config.json` holds `"attn_answer_evidence": {json.dumps(evidence)}`: @attn/nlp's `answer()` reads its evidence (what
the answer's start and end tokens attended to) from layer {evidence['layer']}, head {evidence['head']} of the self-attention unless
`evidenceFrom` says otherwise. It is the head whose evidence did best in the deletion test (masking the 3 context
tokens it points at lowers the answer's probability more than masking 3 random ones) over the first 200 `val`
questions: `pnpm --filter @attn/eval exec tsx src/answer-faithfulness.ts --data ../model-zoo/work/{RECIPE.work_dir(args).name}/data/val.jsonl --limit 200 --evidence heads`.
The last layer, the mean of the layers and the rollout all fail that test. The held-out check of `answer()`'s
default evidence: `pnpm --filter @attn/eval exec tsx src/answer-faithfulness.ts --data ../model-zoo/work/{RECIPE.work_dir(args).name}/data/test.jsonl --limit 500`
(the repository README's Measured section has the numbers).

## Known limits
- Caption domain only: short, literal descriptions of people, animals and places (Flickr30k). Questions outside the
  six generated shapes, or contexts unlike captions, get arbitrary spans.
- The questions are rule-generated, so they are templated ("What colour is the shirt?"); the answers come from other
  annotators' captions, and the rules are imperfect: some gold answers are wrong or belong to another person in the
  scene (a "where" answer from a second clause, a "who" answer that names a bystander), which caps the measurable EM.
- No unanswerable questions were trained: the [CLS] "no answer" score is never a target, so the model nearly always
  returns a span; attn's `threshold` option is not calibrated for it.
- Contexts are at most {settings['max_length']} tokens (the model's positions); `answer()` windows longer contexts, which this model has
  never seen.
- Attention maps of this model are evidence, not proof (Jain & Wallace 2019): even the chosen head passes the deletion
  test by a small margin (see Answer evidence).
"""
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    log(f"card: wrote {out / 'MODEL_CARD.md'}")


# ---------------------------------------------------------------------------------------------------------------
# entry points


def run_training(args) -> None:
    log = RECIPE.start_training(args)
    settings = RECIPE.settings(args)
    prepared = prepare(args, settings, log)
    if args.prepare_only:
        return
    train_epochs(training_plan(args, settings, prepared), args, log)
    summary = export_folder(args, log)
    report = verify_folder(args, log)
    metrics = evaluate(args, log)
    write_json(RECIPE.work_dir(args) / "metrics.json", metrics)
    write_card(args, summary, report, metrics, log)
    fail_unless_passed(report)


def run_evaluation(args) -> None:
    log = RECIPE.start_evaluation(args, threads=2)
    RECIPE.check_card(args, [metric_line(row) for row in evaluate(args, log)["rows"]], log)
