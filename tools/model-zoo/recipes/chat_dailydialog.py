"""Recipe attn/chat-dailydialog: a small GPT-2 (zoo/architectures/gpt2.py) that replies in a dialogue, trained from
scratch on DailyDialog++ contexts and their human positive responses (Sai et al. 2020), after a short pre-training on
Multi30k task 2 English captions.

Prompts are DialoGPT's format exactly as packages/nlp/src/chat-prompt.ts builds them (each turn, then
<|endoftext|>; oldest turns left out when too long), so that what is trained, measured here and measured by
tools/eval/src/chat-perplexity.ts is the same thing. DailyDialog++ has only dev and test sets; both are pooled and
split again by dialogue (no conversation in two splits); the splits are written to work/<recipe>/{train,val,test}.jsonl
for the TypeScript evaluation.

Stages: prepare (split, byte-level BPE, encoded examples; `--prepare-only` stops here) → train (zoo/epoch_trainer:
caption epochs first, then dialogue epochs; validation perplexity selects) → export (onnx/model.onnx with the KV
cache, float16 weights) → Node check (zoo/node_check) → evaluate (perplexity vs a unigram baseline, distinct-1/2,
sample replies, from exactly the exported weights) → MODEL_CARD.md. `evaluate.py chat-dailydialog` recomputes the
card's lines.
"""
from __future__ import annotations

import functools
import json
import math
import random
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

from zoo import data as zoo_data
from zoo.architectures import byte_level_bpe as bpe
from zoo.architectures.export import export_gpt2
from zoo.architectures.gpt2 import GPT2Config, GPT2LMHeadModel
from zoo.epoch_trainer import TrainingPlan, train_epochs
from zoo.model_card import files_table, markdown_table
from zoo.node_check import output_run, run_output_check
from zoo.recipe import Recipe, check_summary, fail_unless_passed, log_check, smoke_note, table_cell
from zoo.seq2seq_recipe import environment_summary
from zoo.training import pad, set_threads, token_batches, write_json
from zoo.verify import round_weights_like_export

NAME = "chat-dailydialog"
DIALOGUE_FILES = ["dailydialog-plusplus/dev.json", "dailydialog-plusplus/test.json"]
CAPTION_FILES = [f"multi30k/task2/train.{index}.en.gz" for index in range(1, 6)]
EOS = "<|endoftext|>"
IGNORE = -100  # label of tokens that are input only
RESPONSES = 5  # positive responses per DailyDialog++ context
MAX_NEW_TOKENS = 40  # chat-perplexity.ts's default --max-new-tokens
# the card's sample contexts: written for it, so that the card quotes no turn of the data set
SAMPLE_CONTEXTS = [
    ["Hello, how are you today?"],
    ["Excuse me, is there a bus stop near here?"],
    ["I would like a table for two tonight.", "Certainly. What time would suit you?"],
    ["Did you watch the football match yesterday?"],
    ["I can't find my keys anywhere.", "Where did you last see them?"],
]
NODE_CHECK_PROMPT_TOKENS = 24
TOLERANCE = 1e-3  # logits; onnxruntime and PyTorch agree to ~1e-5
KEEP_FLOAT32 = ("wpe",)  # export_gpt2 keeps the position table float32

Example = tuple[list[int], list[int]]  # (token ids, labels) or (prompt, reply)

FULL = {
    "seed": 1,
    "bpe_merges": 3839,  # + 256 bytes + <|endoftext|> = 4,096 tokens
    "model": dict(n_positions=256, n_embd=192, n_layer=4, n_head=4, n_inner=768),
    "dropout": 0.1,
    "test_fraction": 0.15,
    "val_fraction": 0.08,
    "split_limit": None,
    "captions_per_epoch": 30000,
    "caption_epochs": 1,
    "epochs": 24,
    "time_budget_minutes": 26,
    "max_tokens": 2000,
    "peak_lr": 1.5e-3,
    "warmup_steps": 200,
    "weight_decay": 0.01,
    "average_last": 3,
    "log_every": 25,
}

SMOKE = {
    **FULL,
    "bpe_merges": 200,
    "model": dict(n_positions=128, n_embd=32, n_layer=2, n_head=2, n_inner=64),
    "split_limit": 24,
    "captions_per_epoch": 200,
    "caption_epochs": 1,
    "epochs": 2,
    "time_budget_minutes": None,
    "max_tokens": 1000,
    "warmup_steps": 10,
    "average_last": 2,
    "log_every": 5,
}

RECIPE = Recipe(NAME, FULL, SMOKE)


# ---------------------------------------------------------------------------------------------------------------
# Data: reading, grouping into dialogues, splitting


def read_dialogues(path: Path, source: str) -> list[dict]:
    """DailyDialog++ JSON lines → [{source, id, context, positive_responses}] (negatives are not used)."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            context, responses = item["context"], item["positive_responses"]
        except (ValueError, KeyError, TypeError) as error:
            raise zoo_data.DataError(
                f"{path}:{number}: expected a JSON object with context and positive_responses ({error})") from error
        valid = (isinstance(context, list) and isinstance(responses, list) and context and len(responses) == RESPONSES
                 and all(isinstance(text, str) and text.strip() for text in context + responses))
        if not valid:
            raise zoo_data.DataError(f"{path}:{number}: expected a non-empty list context and {RESPONSES} "
                                     "positive_responses, all non-empty text")
        items.append({"source": source, "id": item.get("id", number - 1), "context": context,
                      "positive_responses": responses})
    return items


def dialogue_groups(items: list[dict], long_words: int = 8) -> list[int]:
    """A group number per item: items sharing one utterance of ≥ long_words words, or two shorter ones (context turns
    and positive responses, whitespace-normalised), are cut from the same conversation. DailyDialog++ took several
    contexts from some DailyDialog conversations (e.g. turns 1–3 in test and 1–6 in dev); short generic turns
    ("Thank you.") alone link nothing. Groups are numbered in order of first appearance."""
    holders: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for text in {" ".join(text.split()) for text in item["context"] + item["positive_responses"]}:
            holders.setdefault(text, []).append(index)
    weights: dict[tuple[int, int], int] = {}
    for text, indices in holders.items():
        weight = 2 if len(text.split()) >= long_words else 1
        for position, first in enumerate(indices):
            for second in indices[position + 1 :]:
                weights[first, second] = weights.get((first, second), 0) + weight
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for (first, second), weight in weights.items():
        if weight >= 2:
            parent[root(first)] = root(second)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root(index), len(numbers)) for index in range(len(items))]


def split_by_dialogue(items: list[dict], groups: list[int], fractions: dict[str, float],
                      seed: int) -> dict[str, list[dict]]:
    """Whole dialogue groups, in a seeded random order, fill each split of `fractions` (in order) up to its share of
    the items; the rest is train. Items keep their original order inside a split."""
    order = sorted(set(groups))
    random.Random(seed).shuffle(order)
    members: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    assigned: dict[int, str] = {}
    remaining = iter(order)
    for split, fraction in fractions.items():
        count = 0
        while count < fraction * len(items):
            group = next(remaining)
            assigned[group] = split
            count += len(members[group])
    splits: dict[str, list[dict]] = {"train": [], **{split: [] for split in fractions}}
    for index, item in enumerate(items):
        splits[assigned.get(groups[index], "train")].append(item)
    return splits


def read_captions(data_dir: Path) -> list[str]:
    """Multi30k task 2 English training captions (5 per image), de-duplicated, in file order."""
    captions = [line for path in zoo_data.require_files(data_dir, CAPTION_FILES) for line in zoo_data.read_lines(path)]
    return list(dict.fromkeys(caption for caption in captions if caption))


# ---------------------------------------------------------------------------------------------------------------
# Tokens: the tokenizer, chat()'s prompt, training examples


class ChatTokenizer:
    """The byte-level BPE of tokenizer.json (zoo/architectures/byte_level_bpe), <|endoftext|> last; words memoised."""

    def __init__(self, vocabulary: list[str], merges: list[tuple[str, str]]):
        self.document = bpe.gpt2_tokenizer_json(vocabulary, merges)
        ids = self.document["model"]["vocab"]
        self.encoder = bpe.ByteLevelBPE(ids, merges)
        self.encoder.encode_word = functools.lru_cache(maxsize=None)(self.encoder.encode_word)
        self.tokens = {index: token for token, index in ids.items()}
        self.eos_id = ids[EOS]
        self.vocab_size = len(ids)

    def encode(self, text: str) -> list[int]:
        return self.encoder.encode(text)

    def utterance(self, text: str) -> list[int]:
        """A turn as chat() and chat-perplexity.ts write it: its tokens, then <|endoftext|>."""
        return self.encode(text) + [self.eos_id]

    def decode(self, ids: list[int]) -> str:
        """Text of `ids` with <|endoftext|> skipped (the ByteLevel decoder; invalid UTF-8 becomes U+FFFD)."""
        pieces = [bpe.token_bytes(self.tokens[index]) for index in ids if index != self.eos_id]
        return b"".join(pieces).decode("utf-8", "replace")


def chat_prompt(encode: Callable[[str], list[int]], turns: list[str], max_prompt_tokens: int, eos_id: int) -> list[int]:
    """chatPrompt() of packages/nlp/src/chat-prompt.ts: `turn₀ <eos> turn₁ <eos> …`; the oldest turns that do not fit
    in max_prompt_tokens are left out, and a last turn still too long keeps its last tokens."""
    encoded = [encode(turn) + [eos_id] for turn in turns]
    first = len(encoded) - 1
    length = len(encoded[first])
    while first > 0 and length + len(encoded[first - 1]) <= max_prompt_tokens:
        first -= 1
        length += len(encoded[first])
    ids = [token for turn in encoded[first:] for token in turn]
    return ids[len(ids) - max_prompt_tokens :] if len(ids) > max_prompt_tokens else ids


def reply_case(tokenizer: ChatTokenizer, context: list[str], response: str, positions: int) -> Example:
    """(prompt, reply) as chat-perplexity.ts scores them: the reply with its <|endoftext|>, cut to positions - 1
    tokens, and the context in the positions left."""
    reply = tokenizer.utterance(response)[: positions - 1]
    return chat_prompt(tokenizer.encode, context, positions - len(reply), tokenizer.eos_id), reply


def dialogue_examples(tokenizer: ChatTokenizer, items: list[dict], positions: int, response: int) -> list[Example]:
    """(ids, labels) per context, followed by its positive response number `response`; every token is labelled,
    so each turn is learned given the turns before it (as DialoGPT trains)."""
    examples = []
    for item in items:
        prompt, reply = reply_case(tokenizer, item["context"], item["positive_responses"][response], positions)
        examples.append((prompt + reply, prompt + reply))
    return examples


def caption_examples(tokenizer: ChatTokenizer, captions: list[str], positions: int) -> list[Example]:
    """One caption as a one-turn conversation: its tokens and <|endoftext|>, all labelled."""
    examples = []
    for caption in captions:
        ids = tokenizer.utterance(caption)[:positions]
        examples.append((ids, ids))
    return examples


def collate(examples: list[Example], pad_id: int) -> tuple[torch.Tensor, ...]:
    """Right-padded input_ids, labels (IGNORE on padding) and attention_mask, [B, L] each."""
    input_ids = pad([ids for ids, _ in examples], pad_id)
    labels = pad([labels for _, labels in examples], IGNORE)
    attention_mask = pad([[1] * len(ids) for ids, _ in examples], 0)
    return input_ids, labels, attention_mask


def batches_of(examples: list[Example], max_tokens: int, seed: int) -> list[list[int]]:
    """Example indices batched by length (zoo/training.token_batches, given one-sided pairs)."""
    return token_batches([(ids, []) for ids, _ in examples], max_tokens, seed)


def language_model_loss(model, input_ids, labels, attention_mask, reduction: str = "mean") -> torch.Tensor:
    """Cross entropy of every labelled token given the tokens before it (logits at t predict token t + 1)."""
    positions = torch.arange(input_ids.shape[1]).expand_as(input_ids)  # right padding: positions count from 0
    logits, _ = model(input_ids, attention_mask, positions)  # [B, L, V]
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1),
                           ignore_index=IGNORE, reduction=reduction)


# ---------------------------------------------------------------------------------------------------------------
# Metrics


@torch.no_grad()
def reply_nll(model, cases: list[Example], max_tokens: int = 4000) -> tuple[float, int]:
    """(summed negative log-likelihood, token count) of every reply given its prompt, teacher-forced in batches."""
    model.eval()
    examples = [(prompt + reply, [IGNORE] * len(prompt) + reply) for prompt, reply in cases]
    total, tokens = 0.0, 0
    for indices in batches_of(examples, max_tokens, seed=0):
        input_ids, labels, attention_mask = collate([examples[index] for index in indices], pad_id=0)
        total += float(language_model_loss(model, input_ids, labels, attention_mask, reduction="sum"))
        tokens += int((labels[:, 1:] != IGNORE).sum())
    return total, tokens


def unigram_log_probability(sequences: list[list[int]], vocab_size: int) -> Callable[[int], float]:
    """Add-one smoothed unigram model, p(w) = (count(w) + 1) / (N + V), as tools/eval/src/unigram-model.ts."""
    counts = [0] * vocab_size
    for sequence in sequences:
        for token in sequence:
            counts[token] += 1
    normaliser = math.log(sum(counts) + vocab_size)
    return lambda token: math.log(counts[token] + 1) - normaliser


def distinct_words(text: str) -> list[str]:
    """Lowercased words of tools/eval/src/distinct-n.ts: runs of letters, digits and ', and every other
    non-space character alone."""
    words, current = [], ""
    for character in text.lower():
        if character == "'" or unicodedata.category(character)[0] in "LN":
            current += character
            continue
        if current:
            words.append(current)
            current = ""
        if not character.isspace():
            words.append(character)
    return words + [current] if current else words


def distinct_n(texts: list[str], n: int) -> float:
    """Corpus distinct-n (Li et al. 2016): distinct n-grams over all texts / n-grams."""
    seen, total = set(), 0
    for text in texts:
        words = distinct_words(text)
        for start in range(len(words) - n + 1):
            seen.add(tuple(words[start : start + n]))
            total += 1
    return len(seen) / total if total else 0.0


@torch.no_grad()
def greedy_reply(model, prompt: list[int], eos_id: int, max_new_tokens: int) -> list[int]:
    """Greedy decoding with the KV cache, one conversation at a time, as chat() runs it; ends with eos if reached."""
    model.eval()
    tokens, positions, total = torch.tensor([prompt]), torch.arange(len(prompt))[None], len(prompt)
    past, reply = None, []
    for _ in range(max_new_tokens):
        logits, past = model(tokens, torch.ones(1, total, dtype=torch.long), positions, past)
        reply.append(int(logits[0, -1].argmax()))
        if reply[-1] == eos_id:
            break
        tokens, positions, total = torch.tensor([[reply[-1]]]), torch.tensor([[total]]), total + 1
    return reply


# ---------------------------------------------------------------------------------------------------------------
# The pipeline


def prepare(args, settings: dict, log) -> dict:
    """Split by dialogue (written as JSON lines for chat-perplexity.ts), train the BPE, encode the examples."""
    work = RECIPE.work_dir(args)
    prepared_path = work / "prepared.pt"
    if prepared_path.exists():
        return torch.load(prepared_path)
    data_dir = zoo_data.resolve_data_dir(args.data, DIALOGUE_FILES + CAPTION_FILES)
    dialogue_paths = zoo_data.require_files(data_dir, DIALOGUE_FILES + CAPTION_FILES)[: len(DIALOGUE_FILES)]
    items = [item for path in dialogue_paths for item in read_dialogues(path, path.stem)]
    groups = dialogue_groups(items)
    fractions = {"test": settings["test_fraction"], "val": settings["val_fraction"]}
    splits = split_by_dialogue(items, groups, fractions, settings["seed"])
    if settings["split_limit"]:
        splits = {split: split_items[: settings["split_limit"]] for split, split_items in splits.items()}
    for split, split_items in splits.items():
        fields = ("source", "id", "context", "positive_responses")
        lines = [json.dumps({key: item[key] for key in fields}, ensure_ascii=False) for item in split_items]
        (work / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = ", ".join(f"{split} {len(split_items)}" for split, split_items in splits.items())
    log(f"prepare: {len(items)} contexts in {len(set(groups))} dialogues → {counts} (written to {work}/*.jsonl)")
    captions = read_captions(data_dir)
    random.Random(settings["seed"]).shuffle(captions)
    captions = captions[: settings["captions_per_epoch"] * settings["caption_epochs"]]
    train_texts = [text for item in splits["train"] for text in item["context"] + item["positive_responses"]]
    started = time.time()
    vocabulary, merges = bpe.train_bpe(train_texts + captions, settings["bpe_merges"])
    tokenizer = ChatTokenizer(vocabulary, merges)
    positions = settings["model"]["n_positions"]
    prepared = {
        "data_dir": str(data_dir),
        "splits": splits,
        "vocabulary": vocabulary,
        "merges": merges,
        "dialogue_examples": [dialogue_examples(tokenizer, splits["train"], positions, response)
                              for response in range(RESPONSES)],
        "caption_examples": caption_examples(tokenizer, captions, positions),
        "caption_count": len(captions),
    }
    log(f"prepare: byte-level BPE of {tokenizer.vocab_size} tokens and encoded examples in {time.time() - started:.0f}s: "
        f"{len(splits['train'])} × {RESPONSES} dialogue examples "
        f"({dialogue_tokens(prepared) / RESPONSES:,.0f} tokens a dialogue epoch), "
        f"{len(captions)} captions ({sum(len(ids) for ids, _ in prepared['caption_examples']):,} tokens)")
    torch.save(prepared, prepared_path)
    return prepared


def dialogue_tokens(prepared: dict) -> int:
    return sum(len(ids) for examples in prepared["dialogue_examples"] for ids, _ in examples)


def build_model(settings: dict, vocab_size: int, eos_id: int) -> GPT2LMHeadModel:
    dropout = settings["dropout"]
    config = GPT2Config(vocab_size=vocab_size, resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout,
                        bos_token_id=eos_id, eos_token_id=eos_id, **settings["model"])
    return GPT2LMHeadModel(config)


def training_plan(args, settings: dict, prepared: dict) -> TrainingPlan:
    """Epochs 1..caption_epochs: a new share of the captions each; then every train context each epoch, with its
    positive responses in turn (response k in the k-th dialogue epoch, modulo 5)."""
    tokenizer = ChatTokenizer(prepared["vocabulary"], prepared["merges"])
    positions = settings["model"]["n_positions"]
    val_cases = [reply_case(tokenizer, item["context"], item["positive_responses"][0], positions)
                 for item in prepared["splits"]["val"]]
    share = settings["captions_per_epoch"]

    def examples_for(epoch: int) -> list:
        if epoch < settings["caption_epochs"]:
            return prepared["caption_examples"][epoch * share : (epoch + 1) * share]
        return prepared["dialogue_examples"][(epoch - settings["caption_epochs"]) % RESPONSES]

    def batches(epoch: int):
        examples = examples_for(epoch)
        for indices in batches_of(examples, settings["max_tokens"], seed=settings["seed"] * 1000 + epoch):
            yield collate([examples[index] for index in indices], tokenizer.eos_id)

    def step_loss(model, batch):
        input_ids, labels, attention_mask = batch
        return language_model_loss(model, input_ids, labels, attention_mask), int(attention_mask.sum())

    def validate(model) -> dict:
        nll, tokens = reply_nll(model, val_cases)
        return {"val_nll": nll / tokens, "val_perplexity": math.exp(nll / tokens), "score": -nll / tokens}

    return TrainingPlan(work=RECIPE.work_dir(args), settings=settings,
                        build_model=lambda: build_model(settings, tokenizer.vocab_size, tokenizer.eos_id),
                        batches=batches, step_loss=step_loss, validate=validate, unit="tok")


def load_exported(args, rounded: bool = True):
    """(model holding the final weights — rounded as the ONNX file stores them unless rounded=False, tokenizer,
    prepared data, final record)."""
    work = RECIPE.work_dir(args)
    prepared, final = torch.load(work / "prepared.pt"), torch.load(work / "final.pt")
    tokenizer = ChatTokenizer(prepared["vocabulary"], prepared["merges"])
    model = build_model(final["settings"], tokenizer.vocab_size, tokenizer.eos_id)
    model.load_state_dict(final["model"])
    model.eval()
    if rounded:
        round_weights_like_export(model, keep=KEEP_FLOAT32)
    return model, tokenizer, prepared, final


def export_folder(args, log) -> dict:
    model, tokenizer, _, _ = load_exported(args, rounded=False)
    out = RECIPE.out_dir(args)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    eos_id = tokenizer.eos_id
    write_json(out / "config.json", {**model.config.to_hf_dict(), "pad_token_id": eos_id})
    write_json(out / "generation_config.json", {"bos_token_id": eos_id, "eos_token_id": eos_id, "pad_token_id": eos_id,
                                                "max_new_tokens": MAX_NEW_TOKENS})
    write_json(out / "tokenizer.json", tokenizer.document)
    write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "GPT2Tokenizer", "model_max_length": model.config.n_positions, "add_prefix_space": False,
        "errors": "replace", "clean_up_tokenization_spaces": False,  # decode must keep DailyDialog's " ." as written
        "bos_token": EOS, "eos_token": EOS, "unk_token": EOS,
    })
    write_json(out / "special_tokens_map.json", {"bos_token": EOS, "eos_token": EOS, "unk_token": EOS})
    summary = export_gpt2(model, out, float16=True)
    log(f"export: {out} {json.dumps({key: value for key, value in summary.items() if 'softmax' not in key})}")
    return summary


@torch.no_grad()
def verify_folder(args, log) -> dict:
    """onnxruntime-node vs PyTorch (exported weights): a left-padded batch of two prompts from zero-length pasts, then
    one cached step; and @huggingface/tokenizers' ids for every test text."""
    model, tokenizer, prepared, _ = load_exported(args)
    config = model.config
    test = prepared["splits"]["test"]
    prompts = [chat_prompt(tokenizer.encode, item["context"], NODE_CHECK_PROMPT_TOKENS, tokenizer.eos_id)
               for item in test[:2]]
    longest = max(len(prompt) for prompt in prompts)
    input_ids = torch.tensor([[tokenizer.eos_id] * (longest - len(prompt)) + prompt for prompt in prompts])  # [2, T]
    attention_mask = torch.tensor([[0] * (longest - len(prompt)) + [1] * len(prompt) for prompt in prompts])
    position_ids = (attention_mask.cumsum(1) - 1).clamp(min=0)  # Hugging Face's positions under left padding
    empty = torch.zeros(2, config.n_head, 0, config.n_embd // config.n_head)
    logits, presents = model(input_ids, attention_mask, position_ids, [(empty, empty)] * config.n_layer)

    def named(logits, presents) -> dict:
        result = {"logits": logits}
        for index, (key, value) in enumerate(presents):
            result.update({f"present.{index}.key": key, f"present.{index}.value": value})
        return result

    def past_inputs(presents) -> dict:
        return {f"past_key_values.{index}.{part}": tensor
                for index, pair in enumerate(presents) for part, tensor in zip(("key", "value"), pair)}

    first_inputs = {"input_ids": input_ids, "attention_mask": attention_mask, "position_ids": position_ids,
                    **past_inputs([(empty, empty)] * config.n_layer)}
    first = output_run("onnx/model.onnx", first_inputs, named(logits, presents))
    next_ids = logits[:, -1].argmax(-1, keepdim=True)  # [2, 1]
    next_mask = torch.cat([attention_mask, torch.ones(2, 1, dtype=torch.long)], dim=1)
    next_positions = position_ids[:, -1:] + 1
    step_logits, step_presents = model(next_ids, next_mask, next_positions, presents)
    second = output_run("onnx/model.onnx", {"input_ids": next_ids, "attention_mask": next_mask,
                                            "position_ids": next_positions, **past_inputs(presents)},
                        named(step_logits, step_presents))
    texts = [text for item in test for text in item["context"] + item["positive_responses"][:1]]
    texts += ["Hello world, attention is all you need!", "I ’ m 25 … isn't it   odd?\tYes.", "café  ¥2,000 — ok"]
    cases = [{"text": text, "ids": tokenizer.encode(text)} for text in texts]
    report = run_output_check(RECIPE.out_dir(args), [first, second], RECIPE.work_dir(args), TOLERANCE, cases)
    log_check(report, log)
    return report


def evaluate(args, log) -> dict:
    """Every number of the card, from the model holding exactly the exported weights (and the float32 checkpoint for
    the perplexity it had before float16 storage)."""
    model, tokenizer, prepared, _ = load_exported(args)
    float32_model, _, _, _ = load_exported(args, rounded=False)
    test, train = prepared["splits"]["test"], prepared["splits"]["train"]
    positions = model.config.n_positions
    cases = [reply_case(tokenizer, item["context"], item["positive_responses"][0], positions) for item in test]
    unigram = unigram_log_probability(
        [tokenizer.utterance(text) for item in train for text in item["context"] + item["positive_responses"]],
        tokenizer.vocab_size,
    )
    nll, tokens = reply_nll(model, cases)
    float32_nll, _ = reply_nll(float32_model, cases)
    unigram_nll = -sum(unigram(token) for _, reply in cases for token in reply)
    started = time.time()
    replies = []
    for item in test:
        prompt = chat_prompt(tokenizer.encode, item["context"], positions - MAX_NEW_TOKENS, tokenizer.eos_id)
        replies.append(greedy_reply(model, prompt, tokenizer.eos_id, MAX_NEW_TOKENS))
    humans = [item["positive_responses"][0] for item in test]
    texts = [tokenizer.decode(reply) for reply in replies]
    metrics = {
        "contexts": len(test),
        "reply_tokens": tokens,
        "perplexity": {"exported": math.exp(nll / tokens), "float32": math.exp(float32_nll / tokens),
                       "unigram": math.exp(unigram_nll / tokens)},
        "distinct": {"greedy": [distinct_n(texts, 1), distinct_n(texts, 2)],
                     "human": [distinct_n(humans, 1), distinct_n(humans, 2)]},
        "ended": sum(reply[-1] == tokenizer.eos_id for reply in replies),
        "mean_words": {"greedy": sum(len(text.split()) for text in texts) / len(texts),
                       "human": sum(len(text.split()) for text in humans) / len(humans)},
        "samples": [{"context": context, "reply": tokenizer.decode(greedy_reply(
            model, chat_prompt(tokenizer.encode, context, positions - MAX_NEW_TOKENS, tokenizer.eos_id),
            tokenizer.eos_id, MAX_NEW_TOKENS))} for context in SAMPLE_CONTEXTS],
        "greedy_seconds": time.time() - started,
    }
    lines = [json.dumps({"context": item["context"], "reply": text}, ensure_ascii=False) for item, text in zip(test, texts)]
    (RECIPE.work_dir(args) / "replies.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"evaluate: {json.dumps({key: value for key, value in metrics.items() if key != 'samples'})}")
    return metrics


def metric_lines(metrics: dict) -> list[str]:
    """The card's measured lines; evaluate.py recomputes them and requires each verbatim in the card."""
    perplexity, distinct, words = metrics["perplexity"], metrics["distinct"], metrics["mean_words"]
    unigram = perplexity["unigram"]
    lines = [
        f"| attn/chat-dailydialog (exported float16 weights) | **{perplexity['exported']:.2f}** "
        f"| {perplexity['exported'] / unigram:.3f} |",
        f"| the same model, float32 checkpoint | {perplexity['float32']:.2f} | {perplexity['float32'] / unigram:.3f} |",
        f"| unigram, add-one smoothing, fitted on the train split (ignores the context) | {unigram:.2f} | 1.000 |",
        f"| greedy replies (≤ {MAX_NEW_TOKENS} tokens; {metrics['ended']}/{metrics['contexts']} ended with "
        f"<\\|endoftext\\|>) | **{distinct['greedy'][0]:.3f}** | **{distinct['greedy'][1]:.3f}** | {words['greedy']:.1f} |",
        f"| first human positive responses | {distinct['human'][0]:.3f} | {distinct['human'][1]:.3f} | {words['human']:.1f} |",
    ]
    for number, sample in enumerate(metrics["samples"], start=1):
        context = " ⏎ ".join(sample["context"])
        lines.append(f"| {number} | {table_cell(context)} | {table_cell(sample['reply'])} |")
    return lines


def write_card(args, summary: dict, report: dict, metrics: dict, log) -> None:
    model, tokenizer, prepared, final = load_exported(args)
    out = RECIPE.out_dir(args)
    settings, history, config = final["settings"], final["history"], model.config
    environment = environment_summary()
    parameters = sum(parameter.numel() for parameter in model.parameters())
    splits = prepared["splits"]
    command = RECIPE.command("train.py", args, epochs=len(history))
    lines = metric_lines(metrics)
    history_rows = [[str(entry["epoch"]), "captions" if entry["epoch"] <= settings["caption_epochs"] else "dialogue",
                     str(entry["step"]), f"{entry['val_perplexity']:.2f}", f"{entry['train_seconds'] / 60:.1f}"]
                    for entry in history]
    caption_tokens = sum(len(ids) for ids, _ in prepared["caption_examples"])
    work_name = f"tools/model-zoo/work/{NAME}{'-smoke' if args.smoke else ''}"
    head_dim = config.n_embd // config.n_head
    pooled = sum(len(items) for items in splits.values())
    softmax_nodes = "`, `".join(summary["model_softmax"])
    distinct = metrics["distinct"]
    card = f"""# attn/chat-dailydialog — dialogue replies (GPT-2 architecture, trained from scratch)
{smoke_note(args, "examples")}
A small decoder-only Transformer in Hugging Face's GPT-2 layout (`model_type: gpt2`, KV cache), trained by
`tools/model-zoo` on DailyDialog++ after a short pre-training on image captions. It exists so that attn's `chat()`
can show which earlier turns a reply attended to, offline; it is not a useful conversational agent.

## Data and licence
- Dialogue: DailyDialog++ (Sai et al. 2020; contexts from DailyDialog, Li et al. 2017, each with 5 human-written
  positive responses), GitHub iitmnlp/DailyDialog-plusplus, dataset/, commit 4b02f9f: `dev.json` and `test.json`
  pooled ({pooled:,} contexts; the negative responses are not used). The release has no training set, so the
  pool is split again **by dialogue**: contexts sharing an utterance of ≥ 8 words, or two shorter ones, come from
  one conversation and go to the same split (seed {settings['seed']}). Train {len(splits['train']):,}, validation {len(splits['val']):,},
  test {len(splits['test']):,} contexts, written to `{work_name}/{{train,val,test}}.jsonl`, which
  `tools/eval/src/chat-perplexity.ts` reads.
- Pre-training: {prepared['caption_count']:,} English captions of Multi30k task 2 (`train.1..5.en`, Flickr30k
  captions, Elliott et al. 2016), GitHub multi30k/dataset, data/task2/raw, commit a3d2e0d, each read as a one-turn
  conversation.
- Licence/terms: DailyDialog is CC BY-NC-SA 4.0 (non-commercial, share-alike); Multi30k is distributed for research
  use. These weights are derived from both and carry those terms.

## Architecture and size
- GPT-2 (Radford et al. 2019): {config.n_layer} pre-norm layers, n_embd {config.n_embd}, {config.n_head} heads (head dim {head_dim}), MLP
  {config.inner_dim}, GELU (tanh), {config.n_positions} learned positions, output projection tied to the token embeddings;
  dropout {settings['dropout']} while training.
- Tokenizer: byte-level BPE trained here on the train split's turns and responses and the pre-training captions:
  {tokenizer.vocab_size:,} tokens (256 bytes, {len(prepared['merges']):,} merges, `<|endoftext|>` = {tokenizer.eos_id}, which ends every turn
  and is bos/eos/pad). The Node check confirms that @huggingface/tokenizers gives the Python ids.
- Prompt: DialoGPT's format, as `chat()` writes it (`packages/nlp/src/chat-prompt.ts`): every turn's text followed
  by `<|endoftext|>`; the oldest turns are left out when the prompt would not fit.
- Parameters: {parameters:,}. Files (weights of ≥ 1,024 values stored as float16 initializers followed by Cast to
  float32, the position table float32; the graph computes in float32):

{files_table(out)}

## ONNX interface (Optimum names for gpt2)
`onnx/model.onnx`: `input_ids`, `attention_mask` [batch_size, past_sequence_length + sequence_length], `position_ids`
(int64), `past_key_values.{{0..{config.n_layer - 1}}}.key|value` float32 [batch_size, {config.n_head}, past_sequence_length, {head_dim}]
→ `logits` float32 [batch_size, sequence_length, {config.vocab_size}], `present.{{i}}.key|value`. The first step takes
zero-length pasts. Attention is explicit MatMul → Add(mask) → Softmax → MatMul; the attention probabilities are
the outputs of the Softmax nodes `{softmax_nodes}`.
ONNX opset 14, exported with PyTorch {environment['torch']}.

## Training
- Command: `{command}`
  (data from `--data`, `$ATTN_DATA` or `../shared/data`; split files, checkpoints and the progress log with
  tokens/s in `{work_name}/`; `--resume` continues from the last epoch).
- Seed {settings['seed']}; AdamW (β 0.9/0.98, weight decay {settings['weight_decay']}), inverse-square-root schedule, peak
  learning rate {settings['peak_lr']}, {settings['warmup_steps']} warm-up steps, batches of ≤ {settings['max_tokens']:,} padded tokens,
  gradient norm clipped at 1.0.
- The first {settings['caption_epochs']} epoch(s): {settings['captions_per_epoch']:,} new captions each ({caption_tokens:,} tokens in all). Then
  dialogue epochs: every train context followed by one of its positive responses, the k-th response in the k-th
  dialogue epoch (modulo {RESPONSES}; about {dialogue_tokens(prepared) / RESPONSES:,.0f} tokens an epoch), with the loss on every
  token: each turn given the turns before it, as DialoGPT trains.
- {len(history)} epochs, {final['steps']:,} steps, {final['train_seconds'] / 60:.1f} minutes of training on {environment['machine']},
  no GPU, Python {environment['python']}, PyTorch {environment['torch']} (Debian python3-torch); tokens/s in the progress log.
- Selection on the validation split's perplexity (the metric below): {final['chosen']}.

{markdown_table(["epoch", "data", "step", "val perplexity", "cumulative train min"], history_rows)}

## Metrics
On the test split ({metrics['contexts']:,} contexts, {metrics['reply_tokens']:,} reply tokens), reproduced by
`{RECIPE.command("evaluate.py", args)}`, which recomputes every line below and fails if one
differs, and measured in Node by `pnpm --filter @attn/eval exec tsx src/chat-perplexity.ts` (the same examples,
prompts and tokens through onnxruntime-node; expect the same numbers up to float rounding).

Perplexity per token of the first human positive response given its context (the closing `<|endoftext|>`
included), teacher-forced; the prompt as `chat()` builds it in the {config.n_positions} positions left by the reply:

| model | perplexity | ratio to unigram |
|---|---|---|
{chr(10).join(lines[:3])}

Diversity (Li et al. 2016): distinct n-grams / n-grams over all replies, on lowercased words (punctuation split
off), as `tools/eval/src/distinct-n.ts`; greedy decoding as `chat()` runs it (≤ {MAX_NEW_TOKENS} new tokens):

| replies | distinct-1 | distinct-2 | mean words |
|---|---|---|---|
{chr(10).join(lines[3:5])}

Sample replies to {len(SAMPLE_CONTEXTS)} contexts written for this card (not from the data set; turns separated by ⏎;
greedy, exported weights, as `chat()` decodes):

| # | context | reply |
|---|---|---|
{chr(10).join(lines[5:])}

## Export check
`zoo/node_check.py` ran `onnx/model.onnx` in onnxruntime-node on a left-padded batch of two test prompts
(zero-length pasts), then one cached step, and compared logits and presents with PyTorch holding the exported
weights; it also encoded every test turn and response with @huggingface/tokenizers:
`{json.dumps(check_summary(report))}`.

## Known limits
- Tiny model, tiny data ({len(splits['train']):,} training contexts): replies are often generic, off-topic or inconsistent
  with the context (see the samples), and greedy replies are less varied than people's (distinct-2
  {distinct['greedy'][1]:.3f} against {distinct['human'][1]:.3f}). Do not use it to talk to people.
- Everyday English dialogue only (DailyDialog: daily life, shopping, travel, work).
- Perplexity depends on the tokenizer: it is comparable with the unigram baseline (same tokens) and with other runs
  of this recipe, not with published DailyDialog numbers (other splits and vocabularies).
- The split is ours: DailyDialog++ dev and test pooled and regrouped by shared utterances, a heuristic that can miss
  a conversation whose contexts share no utterance.
- Non-commercial use only (CC BY-NC-SA 4.0 of DailyDialog).
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
    set_threads(1)  # one conversation at a time gains little from a second thread on a busy CPU
    summary = export_folder(args, log)
    report = verify_folder(args, log)
    metrics = evaluate(args, log)
    write_json(RECIPE.work_dir(args) / "metrics.json", metrics)
    write_card(args, summary, report, metrics, log)
    fail_unless_passed(report)


def run_evaluation(args) -> None:
    log = RECIPE.start_evaluation(args, threads=1)
    RECIPE.check_card(args, metric_lines(evaluate(args, log)), log)
