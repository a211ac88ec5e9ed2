"""The epoch loop every non-translation recipe trains with: seeded, resumable, time-boxed, checkpointed per epoch,
with a progress log (loss, learning rate, rate per second) and selection of the best epoch on a validation score.

A recipe describes its run with a `TrainingPlan` and calls `train_epochs(plan, args, log)`; it gets back the
`final` record (chosen weights, history, training seconds) that its export, evaluation and card stages read.
`--resume` continues from work/<recipe>/checkpoints/last.pt; `--deadline HH:MM` stops after the last epoch that
ends before it; `settings["time_budget_minutes"]` stops once that much training time is spent.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import torch

from .seq2seq_recipe import parse_deadline
from .training import ThreadTuner, average_state_dicts, inverse_sqrt_lr, save_checkpoint, seed_everything


@dataclass
class TrainingPlan:
    """What `train_epochs` needs from a recipe.

    settings: seed, epochs, peak_lr, warmup_steps; optional weight_decay (AdamW, default 0), clip_norm (1.0),
      time_budget_minutes, average_last (average the last k epoch checkpoints if that validates better), log_every.
    build_model(): a fresh model (the loop seeds torch first).
    batches(epoch): the epoch's batches, deterministic for the seed and the epoch (0-based).
    step_loss(model, batch): (loss to minimise, count of units in the batch for the rate column).
    validate(model): metrics of the model in eval mode; "score" (higher is better) selects the epoch.
    unit: what step_loss counts, for the log ("tok", "img", "ex").
    first_candidate_epoch: the first epoch (1-based) that selection may choose, for a plan whose later epochs train
      on other data than the first ones.
    """

    work: Path
    settings: dict
    build_model: Callable[[], torch.nn.Module]
    batches: Callable[[int], Iterable]
    step_loss: Callable[[torch.nn.Module, object], tuple[torch.Tensor, int]]
    validate: Callable[[torch.nn.Module], dict]
    unit: str = "tok"
    first_candidate_epoch: int = 1


def train_epochs(plan: TrainingPlan, args, log) -> dict:
    """Train (or resume) to the end of the plan, select the final weights and save work/final.pt; return it.

    An existing final.pt is returned as is, so a finished run is never retrained by accident.
    """
    final_path = plan.work / "final.pt"
    if final_path.exists():
        return torch.load(final_path)
    settings = plan.settings
    checkpoints = plan.work / "checkpoints"
    last_path = checkpoints / "last.pt"
    seed_everything(settings["seed"])
    model = plan.build_model()
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=settings["peak_lr"], betas=(0.9, 0.98), eps=1e-9,
        weight_decay=settings.get("weight_decay", 0.0),
    )
    epoch, step, history, train_seconds = 0, 0, [], 0.0
    if last_path.exists():
        if not getattr(args, "resume", False):
            raise SystemExit(f"{last_path} exists: pass --resume to continue it, or delete {plan.work} to start over")
        state = torch.load(last_path)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        epoch, step, history, train_seconds = state["epoch"], state["step"], state["history"], state["train_seconds"]
        torch.set_rng_state(state["torch_rng"])
        log(f"train: resumed after epoch {epoch} (step {step})")
    parameters = sum(parameter.numel() for parameter in model.parameters())
    log(f"train: {parameters} parameters, settings {settings}")
    deadline = parse_deadline(getattr(args, "deadline", None))
    budget = settings.get("time_budget_minutes")
    log_every = settings.get("log_every", 25)
    tuner = ThreadTuner(maximum=2, pinned=getattr(args, "threads", None))
    while epoch < settings["epochs"]:
        if budget is not None and history and train_seconds >= budget * 60:
            log(f"train: stopping after epoch {epoch}: training time {train_seconds / 60:.1f} min reached the budget of {budget} min")
            break
        if deadline is not None and history:
            per_epoch = history[-1]["wall_seconds"]
            if time.time() + per_epoch * 1.1 > deadline:
                log(f"train: stopping after epoch {epoch}: another epoch (~{per_epoch / 60:.1f} min) would pass --deadline")
                break
        model.train()
        batches = list(plan.batches(epoch))
        epoch_started = window_started = time.time()
        window_units, running_loss, running_count = 0, 0.0, 0
        for batch_index, batch in enumerate(batches):
            step += 1
            for group in optimizer.param_groups:
                group["lr"] = inverse_sqrt_lr(step, settings["peak_lr"], settings["warmup_steps"])
            loss, units = plan.step_loss(model, batch)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), settings.get("clip_norm", 1.0))
            optimizer.step()
            running_loss += float(loss)
            running_count += 1
            window_units += units
            if step % log_every == 0 or batch_index == len(batches) - 1:
                rate = window_units / max(time.time() - window_started, 1e-9)
                log(
                    f"train: epoch {epoch + 1} batch {batch_index + 1}/{len(batches)} step {step} "
                    f"loss {running_loss / running_count:.4f} lr {optimizer.param_groups[0]['lr']:.2e} "
                    f"{plan.unit}/s {rate:.0f} threads {tuner.current}"
                )
                tuner.record(rate)
                window_started, window_units, running_loss, running_count = time.time(), 0, 0.0, 0
        epoch += 1
        train_seconds += time.time() - epoch_started
        evaluation_started = time.time()
        model.eval()
        with torch.no_grad():
            metrics = plan.validate(model)
        history.append({"epoch": epoch, "step": step, **metrics, "train_seconds": train_seconds,
                        "wall_seconds": time.time() - epoch_started})
        shown = " ".join(f"{key} {value:.4f}" for key, value in metrics.items() if isinstance(value, float))
        log(f"epoch {epoch}: {shown} (train {train_seconds / 60:.1f} min total, eval {time.time() - evaluation_started:.0f}s)")
        save_checkpoint(checkpoints / f"epoch{epoch:03d}.pt", model=model.state_dict(), epoch=epoch)
        save_checkpoint(
            last_path, model=model.state_dict(), optimizer=optimizer.state_dict(), epoch=epoch, step=step,
            history=history, train_seconds=train_seconds, torch_rng=torch.get_rng_state(),
        )
    return select_final(plan, log)


def select_final(plan: TrainingPlan, log) -> dict:
    """Best epoch by validation score, or the average of the last `average_last` epochs if it scores higher (both
    from `first_candidate_epoch` on)."""
    checkpoints = plan.work / "checkpoints"
    state = torch.load(checkpoints / "last.pt")
    history = state["history"]
    eligible = [item for item in history if item["epoch"] >= plan.first_candidate_epoch]
    if not eligible:
        log(f"select: warning: training stopped at epoch {history[-1]['epoch']}, before the first candidate epoch "
            f"{plan.first_candidate_epoch}; the last epoch is kept")
        eligible = history[-1:]
    best = max(eligible, key=lambda item: item["score"])
    candidates = {f"epoch {best['epoch']}": (torch.load(checkpoints / f"epoch{best['epoch']:03d}.pt")["model"], best["score"])}
    last = [item["epoch"] for item in eligible][-plan.settings.get("average_last", 1) :]
    if len(last) > 1:
        averaged = average_state_dicts([checkpoints / f"epoch{number:03d}.pt" for number in last])
        model = plan.build_model()
        model.load_state_dict(averaged)
        model.eval()
        with torch.no_grad():
            score = plan.validate(model)["score"]
        log(f"select: average of epochs {last}: score {score:.4f}")
        candidates[f"average of epochs {last[0]}-{last[-1]}"] = (averaged, score)
    chosen = max(candidates, key=lambda key: candidates[key][1])
    log(f"select: chose {chosen} (validation score {candidates[chosen][1]:.4f})")
    final = {
        "model": candidates[chosen][0],
        "chosen": chosen,
        "score": candidates[chosen][1],
        "history": history,
        "train_seconds": state["train_seconds"],
        "steps": state["step"],
        "settings": plan.settings,
    }
    save_checkpoint(plan.work / "final.pt", **final)
    return final
