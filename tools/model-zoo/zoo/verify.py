"""Cross-checks an exported folder against the PyTorch model by running tools/model-zoo/verify_onnx.mjs in Node
(onnxruntime-node greedy decoding with the KV cache, @huggingface/tokenizers, the transformers.js pipeline).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import torch

from .data import ZOO_ROOT
from .decoding import greedy


def round_weights_like_export(model, minimum_elements: int = 1024, keep: tuple[str, ...] = ("embed_positions",)):
    """Round in place the parameters that export_onnx stores as float16 (≥ minimum_elements, not in keep).

    The PyTorch model then holds exactly the weights of the exported ONNX files.
    """
    with torch.no_grad():
        for name, tensor in list(model.named_parameters()) + list(model.named_buffers()):
            if tensor.is_floating_point() and tensor.numel() >= minimum_elements and not any(k in name for k in keep):
                tensor.copy_(tensor.half().float())
    return model


@torch.no_grad()
def build_cases(model, tokenizer, sentences: list[str], start_id: int, eos_id: int, pad_id: int) -> dict:
    model.eval()
    cases = []
    for index, text in enumerate(sentences):
        input_ids = tokenizer.encode(text)
        ids_tensor = torch.tensor([input_ids])
        mask = torch.ones_like(ids_tensor)
        max_new = min(256, len(input_ids) * 2 + 10)
        output = greedy(model, ids_tensor, mask, max_new, start_id, eos_id, pad_id)[0]
        case = {"text": text, "input_ids": input_ids, "greedy_ids": output, "greedy_text": tokenizer.decode(output)}
        if index == 0:
            encoded = model.encode(ids_tensor, mask)
            logits, _ = model.decode(torch.tensor([[start_id]]), encoded, mask)
            case["first_logits"] = [float(value) for value in logits[0, 0]]
        cases.append(case)
    config = model.config
    return {
        "start_id": start_id,
        "eos_id": eos_id,
        "pad_id": pad_id,
        "layers": config.decoder_layers,
        "heads": config.decoder_attention_heads,
        "head_dim": config.d_model // config.decoder_attention_heads,
        "cases": cases,
    }


def run_node_check(folder: Path, cases: dict, work: Path, pipeline: bool = True) -> dict:
    """Write the cases, run the Node check, return its JSON report (or an error description)."""
    node = shutil.which("node")
    if node is None:
        return {"error": "node not found on PATH; the ONNX check was skipped"}
    work.mkdir(parents=True, exist_ok=True)
    cases_path = work / "verify_cases.json"
    cases_path.write_text(json.dumps(cases))
    command = [node, str(ZOO_ROOT / "verify_onnx.mjs"), str(folder), str(cases_path)]
    if not pipeline:
        command.append("--no-pipeline")
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(completed.stdout[completed.stdout.index("{") :])
    except ValueError:
        return {"error": f"node check failed (exit {completed.returncode}): {completed.stderr[-2000:]}"}
    report["exit_code"] = completed.returncode
    return report
