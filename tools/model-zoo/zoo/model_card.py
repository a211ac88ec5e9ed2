"""Helpers for writing MODEL_CARD.md files: sizes, parameter counts, Markdown tables."""
from __future__ import annotations

from pathlib import Path


def folder_files(folder: Path) -> list[tuple[str, int]]:
    """(relative path, bytes) of every file in a model folder, sorted."""
    return sorted(
        (str(path.relative_to(folder)), path.stat().st_size)
        for path in folder.rglob("*")
        if path.is_file() and path.name != "MODEL_CARD.md"
    )


def human_bytes(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.2f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} B"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def files_table(folder: Path) -> str:
    files = folder_files(folder)
    rows = [[f"`{name}`", f"{size:,}", human_bytes(size)] for name, size in files]
    total = sum(size for _, size in files)
    rows.append(["**total**", f"{total:,}", human_bytes(total)])
    return markdown_table(["file", "bytes", "size"], rows)
