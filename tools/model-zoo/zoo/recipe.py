"""What every recipe built on zoo/epoch_trainer.py shares: its settings (full or smoke), work and model folders, the
opening of a train.py run, the command lines its card gives, and evaluate.py's check of the card (every recomputed
line must stand in MODEL_CARD.md verbatim). A recipe module keeps its own data, model, metrics and card text.
"""
from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import data as zoo_data
from .training import Logger, set_threads


@dataclass(frozen=True)
class Recipe:
    """A recipe's name and its FULL and SMOKE settings; a run's folders and commands follow from them and the
    command line (args: smoke, out, epochs, resume as train.py / evaluate.py parse them).

    epochs_lift_budget: `--epochs N` also drops `time_budget_minutes`, so that the card's `--epochs N` (what a
    budget or --deadline left) reproduces the same N epochs.
    """

    name: str
    full: dict
    smoke: dict
    epochs_lift_budget: bool = False

    def settings(self, args) -> dict:
        """A copy of SMOKE or FULL, with --epochs applied."""
        settings = copy.deepcopy(self.smoke if args.smoke else self.full)
        if getattr(args, "epochs", None):
            settings["epochs"] = args.epochs
            if self.epochs_lift_budget:
                settings["time_budget_minutes"] = None
        return settings

    def work_dir(self, args) -> Path:
        return zoo_data.WORK_ROOT / (self.name + ("-smoke" if args.smoke else ""))

    def default_out_dir(self, args) -> Path:
        return self.work_dir(args) / "model" if args.smoke else zoo_data.MODELS_ROOT / self.name

    def out_dir(self, args) -> Path:
        """--out, else models/<name>, or work/<name>-smoke/model for a smoke run (which never writes to models/)."""
        if getattr(args, "out", None):
            return Path(args.out).resolve()
        return self.default_out_dir(args)

    def start_training(self, args) -> Logger:
        """train.py's opening: two threads, a smoke run's work folder emptied (unless --resume), the progress log
        opened with the run's folders."""
        set_threads(2)
        work = self.work_dir(args)
        if args.smoke and not getattr(args, "resume", False) and work.exists():
            shutil.rmtree(work)  # a smoke run always starts from scratch
        work.mkdir(parents=True, exist_ok=True)
        log = Logger(work / "progress.log")
        log(f"recipe {self.name}{' (smoke)' if args.smoke else ''}: work dir {work}, output {self.out_dir(args)}")
        return log

    def start_evaluation(self, args, threads: int) -> Logger:
        """evaluate.py's opening: the thread count the recipe measured its card with, and the progress log."""
        set_threads(threads)
        return Logger(self.work_dir(args) / "progress.log")

    def command(self, script: str, args, epochs: int | None = None) -> str:
        """`/usr/bin/python3 tools/model-zoo/<script> <name>` with the options that reproduce this run: --smoke;
        --out where the model folder is not the default; for train.py, --epochs where it was given or the run
        trained another number of epochs than the settings ask (a time budget or --deadline stopped it)."""
        options = " --smoke" if args.smoke else ""
        if self.out_dir(args) != self.default_out_dir(args):
            options += f" --out {self.out_dir(args)}"
        if epochs is not None and (epochs != self.settings(args)["epochs"] or getattr(args, "epochs", None)):
            options += f" --epochs {epochs}"
        return f"/usr/bin/python3 tools/model-zoo/{script} {self.name}{options}"

    def check_card(self, args, lines: list[str], log) -> None:
        """evaluate.py's verdict: each recomputed line must appear verbatim in MODEL_CARD.md; the lines that do not
        are listed and the process exits 1."""
        card_path = self.out_dir(args) / "MODEL_CARD.md"
        if not card_path.exists():
            raise SystemExit(f"{card_path} not found: train the recipe first ({self.command('train.py', args)})")
        card = card_path.read_text(encoding="utf-8")
        differing = [line for line in lines if line not in card]
        if differing:
            log("evaluate: these lines differ from the card:\n" + "\n".join(differing))
            raise SystemExit(1)
        log(f"evaluate: all {len(lines)} metric lines match {card_path}")


def smoke_note(args, examples: str) -> str:
    """The card's warning under the title for a smoke run, "… on a few <examples> …"; empty for a full run."""
    if not args.smoke:
        return ""
    return f"\n> **Smoke run**: a tiny model trained for seconds on a few {examples}; the numbers mean nothing.\n"


def table_cell(text: str) -> str:
    """Text inside a Markdown table cell: pipes escaped, line breaks as spaces."""
    return text.replace("|", "\\|").replace("\n", " ")


def check_summary(report: dict) -> dict:
    """zoo/node_check.py's report without the per-run details and the mismatch list: what the log and card show."""
    return {key: value for key, value in report.items() if key not in ("runs", "mismatches")}


def log_check(report: dict, log) -> None:
    log(f"check: {json.dumps(check_summary(report))}")
    if report.get("mismatches"):
        log(f"check: first tokenizer mismatches {json.dumps(report['mismatches'][:3], ensure_ascii=False)[:2000]}")


def fail_unless_passed(report: dict) -> None:
    """The last step of train.py, after the card is written: a failed Node check fails the run."""
    if not report.get("passed"):
        raise SystemExit(f"the Node check failed: {json.dumps(report)[:2000]}")
