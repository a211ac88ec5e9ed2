"""Recipe attn/mt-en-de: English → German Marian-style Transformer on Multi30k task 1.

Stages (each skipped when its output exists, so `--resume` continues where a run stopped):
prepare (SentencePiece joint vocabulary, encoded splits) → train (per-epoch checkpoints, val loss and greedy val
BLEU) → select (best epoch vs average of the last epochs, on val BLEU) → export (Hugging Face / Optimum layout)
→ evaluate (BLEU greedy and beam-4 on test_2016_flickr and test_2017_flickr) → MODEL_CARD.md.
"""
from __future__ import annotations

import copy
import platform
import shutil
import time
from pathlib import Path

import torch

from zoo import data as zoo_data
from zoo.bleu import SIGNATURE, corpus_bleu
from zoo.decoding import beam_search, greedy, max_new_tokens_for
from zoo.spm_tokenizer import EOS_ID, PAD_ID, SentencePieceTokenizer, train_unigram
from zoo.training import (
    Logger,
    ThreadTuner,
    average_state_dicts,
    inverse_sqrt_lr,
    save_checkpoint,
    seed_everything,
    seq2seq_batch,
    set_threads,
    smoothed_loss,
    token_batches,
    write_json,
)
from zoo.transformer import MarianMT, TransformerConfig

NAME = "mt-en-de"
SOURCE, TARGET = "en", "de"
SPLITS = ["train", "val", "test_2016_flickr", "test_2017_flickr"]
TEST_SPLITS = ["test_2016_flickr", "test_2017_flickr"]

FULL = {
    "seed": 1,
    "vocab_size": 8000,
    "model": dict(
        d_model=256,
        encoder_layers=3,
        decoder_layers=3,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=1024,
        decoder_ffn_dim=1024,
        dropout=0.1,
        activation_function="swish",
        max_position_embeddings=512,
    ),
    "max_tokens": 2500,
    "peak_lr": 1e-3,
    "warmup_steps": 400,
    "label_smoothing": 0.1,
    "epochs": 12,
    "average_last": 4,
    "train_limit": None,
    "val_limit": None,
    "test_limit": None,
    "max_train_length": 128,
}

SMOKE = {
    **FULL,
    "vocab_size": 300,
    "model": dict(FULL["model"], d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                  decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64),
    "max_tokens": 400,
    "warmup_steps": 10,
    "epochs": 2,
    "average_last": 2,
    "train_limit": 400,
    "val_limit": 16,
    "test_limit": 16,
}


def settings_for(args) -> dict:
    settings = copy.deepcopy(SMOKE if args.smoke else FULL)
    if getattr(args, "epochs", None):
        settings["epochs"] = args.epochs
    return settings


def work_dir_for(args) -> Path:
    return zoo_data.WORK_ROOT / (NAME + ("-smoke" if args.smoke else ""))


def out_dir_for(args) -> Path:
    if args.out:
        return Path(args.out).resolve()
    return work_dir_for(args) / "model" if args.smoke else zoo_data.MODELS_ROOT / NAME


# ---------------------------------------------------------------------------------------------------- prepare


def prepare(args, settings, log) -> dict:
    work = work_dir_for(args)
    prepared_path = work / "prepared.pt"
    if prepared_path.exists():
        return torch.load(prepared_path)
    data_dir = zoo_data.resolve_data_dir(args.data)
    zoo_data.require_files(
        data_dir, [path for split in SPLITS for path in zoo_data.multi30k_task1_files(split, (SOURCE, TARGET))]
    )
    texts = {}
    for split in SPLITS:
        source_lines, target_lines = zoo_data.read_parallel(data_dir, split, SOURCE, TARGET)
        limit = settings["train_limit"] if split == "train" else settings["val_limit" if split == "val" else "test_limit"]
        if limit:
            source_lines, target_lines = source_lines[:limit], target_lines[:limit]
        texts[split] = (source_lines, target_lines)
    started = time.time()
    model_file = train_unigram(
        texts["train"][0] + texts["train"][1], work / "spm", settings["vocab_size"], seed=settings["seed"]
    )
    tokenizer = SentencePieceTokenizer(model_file)
    log(f"prepare: SentencePiece unigram vocab {tokenizer.vocab_size} trained in {time.time() - started:.1f}s")
    encoded = {}
    for split, (source_lines, target_lines) in texts.items():
        encoded[split] = [(tokenizer.encode(s), tokenizer.encode(t)) for s, t in zip(source_lines, target_lines)]
    train_pairs = encoded["train"]
    kept = [pair for pair in train_pairs if max(len(pair[0]), len(pair[1])) <= settings["max_train_length"]]
    log(
        f"prepare: {len(kept)}/{len(train_pairs)} train pairs kept; "
        f"train tokens en {sum(len(p[0]) for p in kept)} de {sum(len(p[1]) for p in kept)}"
    )
    encoded["train"] = kept
    prepared = {"encoded": encoded, "texts": texts, "spm_model": str(model_file), "data_dir": str(data_dir)}
    torch.save(prepared, prepared_path)
    return prepared


# ---------------------------------------------------------------------------------------------------- model


def build_model(settings, vocab_size: int) -> MarianMT:
    config = TransformerConfig(vocab_size=vocab_size, pad_token_id=PAD_ID, eos_token_id=EOS_ID,
                               decoder_start_token_id=PAD_ID, **settings["model"])
    return MarianMT(config)


def translate(model, tokenizer, sentences: list[str], beams: int = 1, batch_size: int = 64) -> list[str]:
    """Translate sentences (sorted by length into batches, results in input order)."""
    model.eval()
    encoded = [tokenizer.encode(sentence) for sentence in sentences]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    results: list[str] = [""] * len(sentences)
    for start in range(0, len(order), batch_size):
        indices = order[start : start + batch_size]
        input_ids = torch.full((len(indices), max(len(encoded[i]) for i in indices)), PAD_ID, dtype=torch.long)
        for row, index in enumerate(indices):
            input_ids[row, : len(encoded[index])] = torch.tensor(encoded[index])
        attention_mask = (input_ids != PAD_ID).long()
        max_new = max_new_tokens_for(attention_mask.sum(dim=1))
        if beams == 1:
            outputs = greedy(model, input_ids, attention_mask, max_new, PAD_ID, EOS_ID, PAD_ID)
        else:
            outputs = beam_search(model, input_ids, attention_mask, max_new, PAD_ID, EOS_ID, PAD_ID, num_beams=beams)
        for index, ids in zip(indices, outputs):
            results[index] = tokenizer.decode(ids)
    return results


@torch.no_grad()
def validation_loss(model, pairs, settings) -> float:
    model.eval()
    total_nll, total_tokens = 0.0, 0
    for indices in token_batches(pairs, settings["max_tokens"], seed=0):
        input_ids, attention_mask, decoder_input_ids, labels = seq2seq_batch(pairs, indices, PAD_ID, PAD_ID)
        logits = model(input_ids, attention_mask, decoder_input_ids)
        _, nll, tokens = smoothed_loss(logits, labels, PAD_ID, 0.0)
        total_nll += nll
        total_tokens += tokens
    return total_nll / max(total_tokens, 1)


# ---------------------------------------------------------------------------------------------------- train


def train(args, settings, prepared, log) -> None:
    work = work_dir_for(args)
    checkpoints = work / "checkpoints"
    last_path = checkpoints / "last.pt"
    tokenizer = SentencePieceTokenizer(Path(prepared["spm_model"]))
    seed_everything(settings["seed"])
    model = build_model(settings, tokenizer.vocab_size)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings["peak_lr"], betas=(0.9, 0.98), eps=1e-9)
    epoch, step, history, train_seconds = 0, 0, [], 0.0
    if last_path.exists():
        if not args.resume:
            raise SystemExit(f"{last_path} exists: pass --resume to continue it, or delete {work} to start over")
        state = torch.load(last_path)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        epoch, step, history, train_seconds = state["epoch"], state["step"], state["history"], state["train_seconds"]
        torch.set_rng_state(state["torch_rng"])
        log(f"train: resumed after epoch {epoch} (step {step})")
    log(f"train: {model.parameter_count()} parameters, settings {settings}")
    pairs = prepared["encoded"]["train"]
    val_pairs = prepared["encoded"]["val"]
    val_sources, val_references = prepared["texts"]["val"]
    deadline = parse_deadline(getattr(args, "deadline", None))
    tuner = ThreadTuner(maximum=2)
    while epoch < settings["epochs"]:
        if deadline is not None and history:
            per_epoch = history[-1].get("wall_seconds", train_seconds / epoch)
            if time.time() + per_epoch * 1.1 > deadline:
                log(f"train: stopping after epoch {epoch}: another epoch (~{per_epoch / 60:.1f} min) would pass --deadline")
                break
        model.train()
        batches = token_batches(pairs, settings["max_tokens"], seed=settings["seed"] * 1000 + epoch)
        epoch_started = time.time()
        window_started, window_target_tokens, window_source_tokens = time.time(), 0, 0
        running_loss, running_count = 0.0, 0
        for batch_index, indices in enumerate(batches):
            step += 1
            for group in optimizer.param_groups:
                group["lr"] = inverse_sqrt_lr(step, settings["peak_lr"], settings["warmup_steps"])
            input_ids, attention_mask, decoder_input_ids, labels = seq2seq_batch(pairs, indices, PAD_ID, PAD_ID)
            logits = model(input_ids, attention_mask, decoder_input_ids)
            loss, _, tokens = smoothed_loss(logits, labels, PAD_ID, settings["label_smoothing"])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            running_loss += float(loss)
            running_count += 1
            window_target_tokens += tokens
            window_source_tokens += int(attention_mask.sum())
            if step % 25 == 0 or batch_index == len(batches) - 1:
                seconds = time.time() - window_started
                log(
                    f"train: epoch {epoch + 1} batch {batch_index + 1}/{len(batches)} step {step} "
                    f"loss {running_loss / running_count:.4f} lr {optimizer.param_groups[0]['lr']:.2e} "
                    f"tgt_tok/s {window_target_tokens / seconds:.0f} src_tok/s {window_source_tokens / seconds:.0f} "
                    f"threads {tuner.current}"
                )
                tuner.record(window_target_tokens / seconds)
                window_started, window_target_tokens, window_source_tokens = time.time(), 0, 0
                running_loss, running_count = 0.0, 0
        epoch += 1
        train_seconds += time.time() - epoch_started
        evaluation_started = time.time()
        val_loss = validation_loss(model, val_pairs, settings)
        val_bleu = corpus_bleu(translate(model, tokenizer, val_sources), val_references).score
        history.append({"epoch": epoch, "step": step, "val_nll": val_loss, "val_bleu_greedy": val_bleu,
                        "train_seconds": train_seconds, "wall_seconds": time.time() - epoch_started})
        log(
            f"epoch {epoch}: val_nll {val_loss:.4f} val_bleu_greedy {val_bleu:.2f} "
            f"(train {train_seconds / 60:.1f} min total, eval {time.time() - evaluation_started:.0f}s)"
        )
        save_checkpoint(checkpoints / f"epoch{epoch:03d}.pt", model=model.state_dict(), epoch=epoch)
        save_checkpoint(
            last_path, model=model.state_dict(), optimizer=optimizer.state_dict(), epoch=epoch, step=step,
            history=history, train_seconds=train_seconds, torch_rng=torch.get_rng_state(),
        )


def parse_deadline(text):
    """--deadline HH:MM (UTC, today) → epoch seconds, or None."""
    if not text:
        return None
    import calendar

    hours, minutes = (int(part) for part in text.split(":"))
    now = time.gmtime()
    return calendar.timegm((now.tm_year, now.tm_mon, now.tm_mday, hours, minutes, 0, 0, 0, 0))


def select(args, settings, prepared, log) -> dict:
    """Choose between the best single epoch (val BLEU) and the average of the last epochs; save final.pt."""
    work = work_dir_for(args)
    final_path = work / "final.pt"
    if final_path.exists():
        return torch.load(final_path)
    state = torch.load(work / "checkpoints" / "last.pt")
    history = state["history"]
    tokenizer = SentencePieceTokenizer(Path(prepared["spm_model"]))
    val_sources, val_references = prepared["texts"]["val"]
    best = max(history, key=lambda item: item["val_bleu_greedy"])
    candidates = {f"epoch {best['epoch']}": (torch.load(work / "checkpoints" / f"epoch{best['epoch']:03d}.pt")["model"], best["val_bleu_greedy"])}
    last = [entry["epoch"] for entry in history][-settings["average_last"] :]
    if len(last) > 1:
        averaged = average_state_dicts([work / "checkpoints" / f"epoch{e:03d}.pt" for e in last])
        model = build_model(settings, tokenizer.vocab_size)
        model.load_state_dict(averaged)
        score = corpus_bleu(translate(model, tokenizer, val_sources), val_references).score
        log(f"select: average of epochs {last}: val_bleu_greedy {score:.2f}")
        candidates[f"average of epochs {last[0]}-{last[-1]}"] = (averaged, score)
    chosen = max(candidates, key=lambda key: candidates[key][1])
    log(f"select: chose {chosen} (val BLEU greedy {candidates[chosen][1]:.2f})")
    final = {
        "model": candidates[chosen][0],
        "chosen": chosen,
        "val_bleu_greedy": candidates[chosen][1],
        "history": history,
        "train_seconds": state["train_seconds"],
        "steps": state["step"],
        "settings": settings,
    }
    torch.save(final, final_path)
    return final


def load_final_model(args):
    work = work_dir_for(args)
    final = torch.load(work / "final.pt")
    prepared = torch.load(work / "prepared.pt")
    tokenizer = SentencePieceTokenizer(Path(prepared["spm_model"]))
    model = build_model(final["settings"], tokenizer.vocab_size)
    model.load_state_dict(final["model"])
    model.eval()
    return model, tokenizer, prepared, final


# ---------------------------------------------------------------------------------------------------- entry points


def environment_summary() -> dict:
    return {
        "machine": f"{platform.machine()} CPU, {torch.get_num_threads()} threads (2-core shared VM)",
        "python": platform.python_version(),
        "torch": torch.__version__,
    }


def run_training(args) -> None:
    set_threads(2)
    settings = settings_for(args)
    work = work_dir_for(args)
    if args.smoke and not args.resume and work.exists():
        shutil.rmtree(work)  # a smoke run always starts from scratch
    work.mkdir(parents=True, exist_ok=True)
    log = Logger(work / "progress.log")
    log(f"recipe {NAME}{' (smoke)' if args.smoke else ''}: work dir {work}, output {out_dir_for(args)}")
    prepared = prepare(args, settings, log)
    train(args, settings, prepared, log)
    select(args, settings, prepared, log)
    from recipes import mt_en_de_finish

    mt_en_de_finish.finish(args, log)


def run_evaluation(args) -> None:
    set_threads(2)
    from recipes import mt_en_de_finish

    work = work_dir_for(args)
    mt_en_de_finish.evaluate(args, Logger(work / "progress.log"), write=False)
