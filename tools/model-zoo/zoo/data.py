"""Locating and reading the shared data sets (see ../shared/data/SOURCES.md).

The data directory comes from `--data`, else the ATTN_DATA environment variable, else `../shared/data`
relative to the repository root. A missing directory or file fails with a message naming what was expected.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parents[3]
ZOO_ROOT = REPO_ROOT / "tools" / "model-zoo"
WORK_ROOT = ZOO_ROOT / "work"
MODELS_ROOT = REPO_ROOT / "models"


class DataError(RuntimeError):
    """Raised when the shared data directory or one of its files is missing or malformed."""


def resolve_data_dir(data: str | None = None, expected: Sequence[str] = ("multi30k/task1/*.gz",)) -> Path:
    """Return the shared data directory from the argument, ATTN_DATA, or the default ../shared/data.

    expected: what the caller reads from it (relative paths or patterns), named in the error when it is missing.
    """
    if data is not None:
        source = "--data"
        path = Path(data)
    elif os.environ.get("ATTN_DATA"):
        source = "ATTN_DATA"
        path = Path(os.environ["ATTN_DATA"])
    else:
        source = "default (../shared/data relative to the repository root)"
        path = REPO_ROOT.parent / "shared" / "data"
    path = path.expanduser().resolve()
    if not path.is_dir():
        raise DataError(
            f"data directory {path} (from {source}) does not exist; pass --data DIR or set ATTN_DATA to the "
            f"folder that holds {', '.join(expected)} (see SOURCES.md)"
        )
    return path


def require_files(data_dir: Path, relative_paths: list[str]) -> list[Path]:
    """Check that every expected file exists under data_dir; fail naming all missing ones."""
    paths = [data_dir / relative for relative in relative_paths]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise DataError(
            f"missing data files under {data_dir}: expected {', '.join(relative_paths)}; not found: {', '.join(missing)}"
        )
    return paths


def read_lines(path: Path) -> list[str]:
    """Read a gzip (or plain) text file, one sentence a line, without trailing newlines."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            return [line.rstrip("\n").strip() for line in handle]
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read {path}: {error}") from error


MULTI30K_TASK1 = "multi30k/task1"


def multi30k_task1_files(split: str, languages: tuple[str, ...]) -> list[str]:
    """Relative paths of one Multi30k task 1 split, e.g. ('train', ('en', 'de'))."""
    return [f"{MULTI30K_TASK1}/{split}.{language}.gz" for language in languages]


def read_parallel(data_dir: Path, split: str, source: str, target: str) -> tuple[list[str], list[str]]:
    """Read one parallel split of Multi30k task 1; both sides must have the same number of lines."""
    source_path, target_path = require_files(data_dir, multi30k_task1_files(split, (source, target)))
    source_lines = read_lines(source_path)
    target_lines = read_lines(target_path)
    if len(source_lines) != len(target_lines):
        raise DataError(
            f"{source_path} has {len(source_lines)} lines but {target_path} has {len(target_lines)}; expected equal counts"
        )
    return source_lines, target_lines
