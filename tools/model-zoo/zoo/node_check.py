"""Run check_outputs.mjs on an exported folder: onnxruntime-node must reproduce the PyTorch outputs, and
@huggingface/tokenizers the Python tokenizer's ids. Used by every recipe after its export."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import torch

from .data import ZOO_ROOT


def tensor_case(value) -> dict:
    """A tensor (or array) as check_outputs.mjs reads it: {type, dims, data}."""
    array = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
    if array.dtype == np.bool_:
        kind = "bool"
    elif np.issubdtype(array.dtype, np.integer):
        kind = "int64"
    else:
        kind = "float32"
    return {"type": kind, "dims": list(array.shape), "data": array.reshape(-1).tolist()}


def output_run(file: str, inputs: dict, expected: dict) -> dict:
    """One session run: relative ONNX path, named inputs and the named outputs PyTorch gave for them."""
    return {
        "file": file,
        "inputs": {name: tensor_case(value) for name, value in inputs.items()},
        "expected": {name: {k: v for k, v in tensor_case(value).items() if k != "type"} for name, value in expected.items()},
    }


def run_output_check(folder: Path, runs: list[dict], work: Path, tolerance: float,
                     tokenizer_cases: list[dict] | None = None) -> dict:
    """Write the cases to work/check_cases.json, run the Node check, return its JSON report.

    tokenizer_cases: [{"text": ..., "ids": [...]}] (and "pair" for a second segment) checked against tokenizer.json.
    The report has "passed" (bool); an error description replaces it when Node is missing or the script fails.
    """
    node = shutil.which("node")
    if node is None:
        return {"passed": False, "error": "node not found on PATH; the ONNX check could not run"}
    work.mkdir(parents=True, exist_ok=True)
    cases_path = work / "check_cases.json"
    cases_path.write_text(json.dumps({"tolerance": tolerance, "runs": runs, "tokenizer_cases": tokenizer_cases or []}))
    completed = subprocess.run([node, str(ZOO_ROOT / "check_outputs.mjs"), str(folder), str(cases_path)],
                               capture_output=True, text=True, timeout=900)
    try:
        return json.loads(completed.stdout[completed.stdout.index("{"):])
    except ValueError:
        return {"passed": False, "error": f"node check failed (exit {completed.returncode}): {completed.stderr[-2000:]}"}
