"""The shared pipeline of the sequence-to-sequence recipes (translation now; the GRU ablation reuses it).

Stages, each skipped when its output exists so that `--resume` continues where a run stopped:
prepare (SentencePiece joint vocabulary, encoded splits) → train (per-epoch checkpoints, validation NLL and greedy
validation BLEU, progress log with tokens/s) → select (best epoch vs average of the last epochs, on val BLEU).
A recipe supplies its name, languages, settings and a `build_model(settings, vocab_size)` function; the model must
offer `forward(input_ids, attention_mask, decoder_input_ids)`, `encode`, `decode` (see zoo/decoding.py) and
`parameter_count()`.
"""
from __future__ import annotations

import calendar
import copy
import platform
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch

from . import data as zoo_data
from .bleu import corpus_bleu
from .decoding import beam_search, greedy, max_new_tokens_for
from .spm_tokenizer import EOS_ID, PAD_ID, SentencePieceTokenizer, train_unigram
from .training import (
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
)


@dataclass
class Seq2SeqRecipe:
    name: str
    source: str
    target: str
    full: dict
    smoke: dict
    build_model: Callable
    splits: list[str] = field(default_factory=lambda: ["train", "val", "test_2016_flickr", "test_2017_flickr"])
    test_splits: list[str] = field(default_factory=lambda: ["test_2016_flickr", "test_2017_flickr"])
    vocabulary_from: str | None = None  # reuse work/<that recipe>/spm.model when it exists (same vocabulary)

    # ------------------------------------------------------------------------------------------------ paths

    def settings_for(self, args) -> dict:
        settings = copy.deepcopy(self.smoke if args.smoke else self.full)
        if getattr(args, "epochs", None):
            settings["epochs"] = args.epochs
        return settings

    def work_dir_for(self, args) -> Path:
        return zoo_data.WORK_ROOT / (self.name + ("-smoke" if args.smoke else ""))

    def out_dir_for(self, args) -> Path:
        if getattr(args, "out", None):
            return Path(args.out).resolve()
        return self.work_dir_for(args) / "model" if args.smoke else zoo_data.MODELS_ROOT / self.name

    # ------------------------------------------------------------------------------------------------ prepare

    def prepare(self, args, settings, log) -> dict:
        work = self.work_dir_for(args)
        prepared_path = work / "prepared.pt"
        if prepared_path.exists():
            return torch.load(prepared_path)
        data_dir = zoo_data.resolve_data_dir(args.data)
        zoo_data.require_files(
            data_dir,
            [path for split in self.splits for path in zoo_data.multi30k_task1_files(split, (self.source, self.target))],
        )
        texts = {}
        for split in self.splits:
            source_lines, target_lines = zoo_data.read_parallel(data_dir, split, self.source, self.target)
            key = "train_limit" if split == "train" else ("val_limit" if split == "val" else "test_limit")
            if settings[key]:
                source_lines, target_lines = source_lines[: settings[key]], target_lines[: settings[key]]
            texts[split] = (source_lines, target_lines)
        started = time.time()
        shared = zoo_data.WORK_ROOT / (self.vocabulary_from or "") / "spm.model"
        if self.vocabulary_from and not args.smoke and shared.exists():
            work.mkdir(parents=True, exist_ok=True)
            model_file = work / "spm.model"
            shutil.copyfile(shared, model_file)
            log(f"prepare: reusing the vocabulary of {self.vocabulary_from} ({shared})")
        else:
            model_file = train_unigram(
                texts["train"][0] + texts["train"][1], work / "spm", settings["vocab_size"], seed=settings["seed"]
            )
        tokenizer = SentencePieceTokenizer(model_file)
        log(f"prepare: SentencePiece unigram vocab {tokenizer.vocab_size} ready in {time.time() - started:.1f}s")
        encoded = {
            split: [(tokenizer.encode(s), tokenizer.encode(t)) for s, t in zip(source_lines, target_lines)]
            for split, (source_lines, target_lines) in texts.items()
        }
        train_pairs = encoded["train"]
        kept = [pair for pair in train_pairs if max(len(pair[0]), len(pair[1])) <= settings["max_train_length"]]
        log(
            f"prepare: {len(kept)}/{len(train_pairs)} train pairs kept; train tokens {self.source} "
            f"{sum(len(p[0]) for p in kept)} {self.target} {sum(len(p[1]) for p in kept)}"
        )
        encoded["train"] = kept
        prepared = {"encoded": encoded, "texts": texts, "spm_model": str(model_file), "data_dir": str(data_dir)}
        torch.save(prepared, prepared_path)
        return prepared

    # ------------------------------------------------------------------------------------------------ train

    def train(self, args, settings, prepared, log) -> None:
        work = self.work_dir_for(args)
        checkpoints = work / "checkpoints"
        last_path = checkpoints / "last.pt"
        tokenizer = SentencePieceTokenizer(Path(prepared["spm_model"]))
        seed_everything(settings["seed"])
        model = self.build_model(settings, tokenizer.vocab_size)
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
        tuner = ThreadTuner(maximum=2, pinned=getattr(args, "threads", None))
        budget = settings.get("time_budget_minutes")
        while epoch < settings["epochs"]:
            if budget is not None and train_seconds >= budget * 60:
                log(f"train: stopping after epoch {epoch}: training time {train_seconds / 60:.1f} min reached the budget of {budget} min")
                break
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
            val_bleu = None
            if epoch >= settings["bleu_from_epoch"]:
                val_bleu = corpus_bleu(translate(model, tokenizer, val_sources), val_references).score
            history.append({"epoch": epoch, "step": step, "val_nll": val_loss, "val_bleu_greedy": val_bleu,
                            "train_seconds": train_seconds, "wall_seconds": time.time() - epoch_started})
            shown = "-" if val_bleu is None else f"{val_bleu:.2f}"
            log(
                f"epoch {epoch}: val_nll {val_loss:.4f} val_bleu_greedy {shown} "
                f"(train {train_seconds / 60:.1f} min total, eval {time.time() - evaluation_started:.0f}s)"
            )
            save_checkpoint(checkpoints / f"epoch{epoch:03d}.pt", model=model.state_dict(), epoch=epoch)
            save_checkpoint(
                last_path, model=model.state_dict(), optimizer=optimizer.state_dict(), epoch=epoch, step=step,
                history=history, train_seconds=train_seconds, torch_rng=torch.get_rng_state(),
            )

    # ------------------------------------------------------------------------------------------------ select

    def select(self, args, settings, prepared, log) -> dict:
        """Choose between the best single epoch (val BLEU) and the average of the last epochs; save final.pt."""
        work = self.work_dir_for(args)
        final_path = work / "final.pt"
        if final_path.exists():
            return torch.load(final_path)
        state = torch.load(work / "checkpoints" / "last.pt")
        history = state["history"]
        tokenizer = SentencePieceTokenizer(Path(prepared["spm_model"]))
        val_sources, val_references = prepared["texts"]["val"]

        def val_bleu(model_state) -> float:
            model = self.build_model(settings, tokenizer.vocab_size)
            model.load_state_dict(model_state)
            return corpus_bleu(translate(model, tokenizer, val_sources), val_references).score

        scored = [item for item in history if item.get("val_bleu_greedy") is not None] or history[-1:]
        best = max(scored, key=lambda item: item.get("val_bleu_greedy") or 0.0)
        best_state = torch.load(work / "checkpoints" / f"epoch{best['epoch']:03d}.pt")["model"]
        if best.get("val_bleu_greedy") is None:
            best["val_bleu_greedy"] = val_bleu(best_state)
        candidates = {f"epoch {best['epoch']}": (best_state, best["val_bleu_greedy"])}
        last = [entry["epoch"] for entry in history][-settings["average_last"] :]
        if len(last) > 1:
            averaged = average_state_dicts([work / "checkpoints" / f"epoch{e:03d}.pt" for e in last])
            score = val_bleu(averaged)
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

    def load_final_model(self, args):
        work = self.work_dir_for(args)
        final = torch.load(work / "final.pt")
        prepared = torch.load(work / "prepared.pt")
        tokenizer = SentencePieceTokenizer(Path(prepared["spm_model"]))
        model = self.build_model(final["settings"], tokenizer.vocab_size)
        model.load_state_dict(final["model"])
        model.eval()
        return model, tokenizer, prepared, final

    # ------------------------------------------------------------------------------------------------ entry

    def run_training(self, args, finish: Callable | None = None) -> dict:
        """prepare → train → select, then `finish(args, log)` (export, evaluation, card) when given."""
        set_threads(2)
        settings = self.settings_for(args)
        work = self.work_dir_for(args)
        if args.smoke and not args.resume and work.exists():
            shutil.rmtree(work)  # a smoke run always starts from scratch
        work.mkdir(parents=True, exist_ok=True)
        log = Logger(work / "progress.log")
        log(f"recipe {self.name}{' (smoke)' if args.smoke else ''}: work dir {work}, output {self.out_dir_for(args)}")
        prepared = self.prepare(args, settings, log)
        self.train(args, settings, prepared, log)
        final = self.select(args, settings, prepared, log)
        if finish is not None:
            set_threads(1)  # small-batch decoding gains little from a second thread and loses much on a busy CPU
            finish(args, log)
        return final


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
    """Mean negative log-likelihood per target token (no label smoothing)."""
    model.eval()
    total_nll, total_tokens = 0.0, 0
    for indices in token_batches(pairs, settings["max_tokens"], seed=0):
        input_ids, attention_mask, decoder_input_ids, labels = seq2seq_batch(pairs, indices, PAD_ID, PAD_ID)
        logits = model(input_ids, attention_mask, decoder_input_ids)
        _, nll, tokens = smoothed_loss(logits, labels, PAD_ID, 0.0)
        total_nll += nll
        total_tokens += tokens
    return total_nll / max(total_tokens, 1)


def parse_deadline(text: str | None) -> float | None:
    """--deadline HH:MM (UTC, today) → seconds since the epoch, or None."""
    if not text:
        return None
    hours, minutes = (int(part) for part in text.split(":"))
    now = time.gmtime()
    return calendar.timegm((now.tm_year, now.tm_mon, now.tm_mday, hours, minutes, 0, 0, 0, 0))


def environment_summary() -> dict:
    return {
        "machine": f"{platform.machine()} CPU (2 cores, shared VM)",
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
