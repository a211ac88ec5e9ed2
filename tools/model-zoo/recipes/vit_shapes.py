"""Recipe attn/vit-shapes: a Vision Transformer (Hugging Face ViTForImageClassification, model_type vit, [CLS] token)
trained from scratch on multi-label classification of the synthetic shape scenes (zoo/scenes.py), whose last-layer
[CLS] → patch attention is the segmentation signal (DINO, Caron et al. 2021, https://arxiv.org/abs/2104.14294; and
attention rollout, Abnar & Zuidema 2020, https://arxiv.org/abs/2005.00928).

prepare (training scenes resized to the model input, uint8 in work/; held-out val/test scenes as COCO-style JSON in
work/scenes/) → train (zoo/epoch_trainer; sigmoid / binary cross-entropy over the classes) → export (Hugging Face
folder, float16 weights; a random-weights copy of the same architecture for the baseline) → Node check → evaluation
→ MODEL_CARD.md. Masks and Jaccard follow @attn/vision's segment() and tools/eval/src/segmentation-jaccard.ts, which
re-measures them from the ONNX files; the recipe runs it and compares.

Shape legend: N scenes, B batch, S input side, H heads, T tokens ([CLS] + P patches), K classes.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from zoo.architectures.export import export_vit
from zoo.architectures.vit import ViTConfig, ViTForImageClassification
from zoo.data import MODELS_ROOT, REPO_ROOT, DataError
from zoo.epoch_trainer import TrainingPlan, train_epochs
from zoo.model_card import files_table, markdown_table
from zoo.node_check import output_run, run_output_check
from zoo.recipe import Recipe, smoke_note
from zoo.scenes import CLASSES, HELD_OUT, SCENES_ROOT, SPLIT_SEEDS, decode_rle, generate_scene, held_out_split
from zoo.seq2seq_recipe import environment_summary
from zoo.training import seed_everything, write_json
from zoo.verify import round_weights_like_export

NAME = "vit-shapes"
FLOAT32_KEEP = ("position_embeddings", "cls_token")  # what export_vit leaves in float32
TARGET_JACCARD = 0.5  # issue 5: and at least twice the random weights'
CHECK_TOLERANCE = 1e-3  # onnxruntime vs PyTorch, same float16-rounded weights, float32 compute
TYPESCRIPT_TOLERANCE = 0.002  # a patch at the 60% threshold may flip between onnxruntime and PyTorch
EVAL_ROOT = REPO_ROOT / "tools" / "eval"

FULL = {
    "seed": 1,
    "model": dict(image_size=224, patch_size=16, hidden_size=128, num_hidden_layers=4, num_attention_heads=4,
                  intermediate_size=512),
    "train_scenes": 8000,
    "scene_side_range": [224, 384],  # training scenes: width and height drawn from this range, then resized to S
    "held_out": HELD_OUT,
    "images_per_epoch": 2000,  # an epoch is a quarter pass, so selection, --deadline and the budget act often
    "batch_size": 32,
    "peak_lr": 5e-4,
    "warmup_steps": 250,
    "weight_decay": 0.05,
    "epochs": 16,
    "time_budget_minutes": 20,
    "average_last": 3,
    "mass_fraction": 0.6,
    "residual_weight": 0.5,
}

SMOKE = {
    **FULL,
    "model": dict(image_size=32, patch_size=8, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                  intermediate_size=32),
    "train_scenes": 64,
    "scene_side_range": [48, 64],
    "held_out": {split: {"count": 8, "width": 64, "height": 48} for split in ("val", "test")},
    "images_per_epoch": 32,
    "batch_size": 16,
    "warmup_steps": 4,
    "epochs": 2,
    "time_budget_minutes": None,
    "average_last": 2,
}

RECIPE = Recipe(NAME, FULL, SMOKE)

# ---------------------------------------------------------------------------------------------------------- paths


def scenes_root_for(args) -> Path:
    """Smoke runs keep their few small held-out scenes to themselves; the full splits are shared (zoo/scenes.py)."""
    return RECIPE.work_dir(args) / "scenes" if args.smoke else SCENES_ROOT


def vit_config(settings) -> ViTConfig:
    return ViTConfig(**settings["model"], labels=list(CLASSES), multi_label=True)


def preprocessor_config(side: int) -> dict:
    """preprocessor_config.json as transformers' ViTImageProcessor writes it (read by packages/vision/src/preprocess)."""
    return {
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_processor_type": "ViTImageProcessor",
        "image_std": [0.5, 0.5, 0.5],
        "resample": 2,
        "rescale_factor": 1 / 255,
        "size": {"height": side, "width": side},
    }


# ----------------------------------------------------------------------------------------------- images and data


def resize_to_input(image: Image.Image, side: int) -> np.ndarray:
    """The processor's resize (PIL bilinear, resample 2) to side x side: uint8 [S, S, 3]."""
    if image.size != (side, side):
        image = image.resize((side, side), Image.BILINEAR)
    return np.asarray(image, dtype=np.uint8)


def normalize(pixels: np.ndarray) -> torch.Tensor:
    """uint8 [B, S, S, 3] → pixel_values [B, 3, S, S]: rescale by 1/255, then (x - 0.5) / 0.5."""
    values = torch.from_numpy(np.ascontiguousarray(pixels)).permute(0, 3, 1, 2).float()  # [B, 3, S, S]
    return (values * (1 / 255) - 0.5) / 0.5


@dataclass
class HeldOut:
    """Held-out scenes as tools/eval/src/coco-scenes.ts reads them."""

    pixels: np.ndarray  # uint8 [N, S, S, 3], the images resized to the model input
    labels: np.ndarray  # multi-hot [N, K]
    foregrounds: list[np.ndarray]  # per scene: union of the objects' visible masks, bool [height, width] of the image


def read_held_out(annotations: Path, side: int) -> HeldOut:
    document = json.loads(annotations.read_text(encoding="utf-8"))
    class_of = {category["id"]: CLASSES.index(category["name"]) for category in document["categories"]}
    images = document["images"]
    pixels = np.zeros((len(images), side, side, 3), dtype=np.uint8)
    labels = np.zeros((len(images), len(CLASSES)), dtype=np.float32)
    foregrounds = [np.zeros((image["height"], image["width"]), dtype=bool) for image in images]
    row_of = {image["id"]: row for row, image in enumerate(images)}
    for row, image in enumerate(images):
        with Image.open(annotations.parent / image["file_name"]) as file:
            pixels[row] = resize_to_input(file.convert("RGB"), side)
    for annotation in document["annotations"]:
        row = row_of[annotation["image_id"]]
        labels[row, class_of[annotation["category_id"]]] = 1
        foregrounds[row] |= decode_rle(annotation["segmentation"])
    return HeldOut(pixels, labels, foregrounds)


def prepare(args, settings, work: Path, log) -> dict:
    """Held-out splits (written once, shared) and the training scenes: uint8 [N, S, S, 3] + multi-hot labels [N, K]."""
    root = scenes_root_for(args)
    held_out = {split: held_out_split(split, **spec, root=root) for split, spec in settings["held_out"].items()}
    pixels_path, labels_path = work / "train_pixels.npy", work / "train_labels.npy"
    info_path = work / "train_scenes.json"
    if not info_path.exists():
        started = time.time()
        count, side = settings["train_scenes"], settings["model"]["image_size"]
        low, high = settings["scene_side_range"]
        sizes = np.random.RandomState(SPLIT_SEEDS["train"]).randint(low, high + 1, size=(count, 2))  # width, height
        partial = work / "train_pixels.partial.npy"
        pixels = np.lib.format.open_memmap(partial, mode="w+", dtype=np.uint8, shape=(count, side, side, 3))
        labels = np.zeros((count, len(CLASSES)), dtype=np.uint8)
        for index, (width, height) in enumerate(sizes):
            image, objects = generate_scene(SPLIT_SEEDS["train"], index, int(width), int(height))
            pixels[index] = resize_to_input(image, side)
            labels[index, [scene_object["category_id"] for scene_object in objects]] = 1
            if (index + 1) % 1000 == 0:
                log(f"prepare: {index + 1}/{count} training scenes ({time.time() - started:.0f}s)")
        pixels.flush()
        del pixels
        partial.replace(pixels_path)
        np.save(labels_path, labels)
        write_json(info_path, {
            "count": count, "seed": SPLIT_SEEDS["train"], "side_range": [low, high],
            "seconds": round(time.time() - started, 1),
            "objects_per_scene": round(float(labels.sum(axis=1).mean()), 3),
            "class_frequency": {name: round(float(share), 3) for name, share in zip(CLASSES, labels.mean(axis=0))},
        })
        log(f"prepare: {count} training scenes in {time.time() - started:.0f}s")
    info = json.loads(info_path.read_text())
    pixels = np.load(pixels_path, mmap_mode="r")
    if info["count"] != settings["train_scenes"] or pixels.shape[1] != settings["model"]["image_size"]:
        raise DataError(f"{work} holds {info['count']} training scenes of side {pixels.shape[1]}, but the settings ask "
                        f"for {settings['train_scenes']} of side {settings['model']['image_size']}: delete "
                        f"{pixels_path} and {info_path} to generate them again")
    return {"pixels": pixels, "labels": np.load(labels_path), "held_out": held_out, "info": info}


# ------------------------------------------------------------------------------- masks, as @attn/vision makes them


def mass_mask(weights: np.ndarray, fraction: float) -> np.ndarray:
    """DINO's rule (attention-mass-mask.ts): sort ascending (ties by position), divide by the sum, keep each position
    whose running sum exceeds 1 - fraction. weights float32 [P] → bool [P]; all zeros keep nothing."""
    total = float(weights.astype(np.float64).sum())
    mask = np.zeros(weights.shape, dtype=bool)
    if total == 0:
        return mask
    order = np.argsort(weights, kind="stable")
    running = np.cumsum(weights[order].astype(np.float64) / total)
    mask[order[running > 1 - fraction]] = True
    return mask


def upsample_mask(mask: np.ndarray, width: int, height: int) -> np.ndarray:
    """Nearest neighbour as upsample-mask.ts: pixel (x, y) takes cell (⌊(y + ½)·rows / height⌋, ⌊(x + ½)·cols / width⌋);
    mask bool [rows, cols] → bool [height, width]."""
    rows, cols = mask.shape
    row_of = np.floor((np.arange(height) + 0.5) * rows / height).astype(int)
    col_of = np.floor((np.arange(width) + 0.5) * cols / width).astype(int)
    return mask[row_of[:, None], col_of[None, :]]


def jaccard(predicted: np.ndarray, truth: np.ndarray) -> float:
    """|A ∩ B| / |A ∪ B| (mask-jaccard.ts); 1 when both are empty."""
    union = np.count_nonzero(predicted | truth)
    return 1.0 if union == 0 else np.count_nonzero(predicted & truth) / union


def rollout_cls_row(attentions: list[torch.Tensor], residual_weight: float) -> np.ndarray:
    """Row [CLS] of R = Ã_L ··· Ã_1 with Ã_l = (1 − r)·mean_h A_l + r·I, rows renormalised (rollout.ts).
    attentions: per layer [B, H, T, T] → float32 [B, T]."""
    row = None
    for probabilities in reversed(attentions):  # R[0] = e_0ᵀ Ã_L Ã_{L-1} ··· Ã_1, from the left
        mixed = (1 - residual_weight) * probabilities.double().mean(dim=1)  # [B, T, T]
        mixed = mixed + residual_weight * torch.eye(mixed.shape[-1], dtype=torch.float64)
        mixed = mixed / mixed.sum(dim=-1, keepdim=True)
        row = mixed[:, 0] if row is None else torch.einsum("bt,btu->bu", row, mixed)  # [B, T]
    return row.float().numpy()


def multilabel_scores(logits: torch.Tensor, labels: torch.Tensor) -> dict:
    """Predicted present where the logit is > 0 (sigmoid > 0.5). logits, labels [N, K]."""
    predicted = logits > 0
    truth = labels > 0.5
    true_positive = (predicted & truth).sum(dim=0).double()  # [K]
    errors = (predicted ^ truth).sum(dim=0).double()  # false positives + false negatives, [K]
    per_class = torch.where(2 * true_positive + errors > 0, 2 * true_positive / (2 * true_positive + errors),
                            torch.ones_like(true_positive))
    return {
        "loss": float(F.binary_cross_entropy_with_logits(logits, labels)),
        "subset_accuracy": float((predicted == truth).all(dim=1).double().mean()),
        "micro_f1": float(2 * true_positive.sum() / (2 * true_positive.sum() + errors.sum())),
        "macro_f1": float(per_class.mean()),
    }


@torch.no_grad()
def measure(model, held_out: HeldOut, settings, batch_size: int = 50) -> dict:
    """Classification scores and the Jaccard of segment()'s masks (mean of heads, rollout, each head) vs foreground."""
    model.eval()
    config = model.config
    grid = config.image_size // config.patch_size
    fraction = settings["mass_fraction"]
    all_logits, mean_sum, rollout_sum = [], 0.0, 0.0
    head_sums = np.zeros(config.num_attention_heads)
    for start in range(0, len(held_out.pixels), batch_size):
        hidden, attentions = model.vit(normalize(held_out.pixels[start:start + batch_size]))
        all_logits.append(model.classifier(hidden[:, 0]))
        heads = attentions[-1][:, :, 0, 1:].numpy()  # [B, H, P]: the last layer's [CLS] row over the patches
        means = heads.astype(np.float64).mean(axis=1).astype(np.float32)  # [B, P]
        rollouts = rollout_cls_row(attentions, settings["residual_weight"])[:, 1:]  # [B, P]
        for offset in range(len(heads)):
            truth = held_out.foregrounds[start + offset]
            height, width = truth.shape

            def score(weights: np.ndarray) -> float:
                return jaccard(upsample_mask(mass_mask(weights, fraction).reshape(grid, grid), width, height), truth)

            mean_sum += score(means[offset])
            rollout_sum += score(rollouts[offset])
            head_sums += [score(head) for head in heads[offset]]
    count = len(held_out.pixels)
    per_head = head_sums / count
    best = int(np.argmax(per_head))
    return {
        **multilabel_scores(torch.cat(all_logits), torch.from_numpy(held_out.labels)),
        "jaccard_mean_heads": mean_sum / count,
        "jaccard_rollout": rollout_sum / count,
        "jaccard_best_head": float(per_head[best]),
        "best_head": best,
        "jaccard_per_head": [float(value) for value in per_head],
        "scenes": count,
    }


def whole_image_jaccard(held_out: HeldOut) -> float:
    """The trivial mask (every pixel foreground): its Jaccard is the foreground's share of the image."""
    return float(np.mean([truth.mean() for truth in held_out.foregrounds]))


# ------------------------------------------------------------------------------------------------------- training


def training_plan(settings, work: Path, prepared: dict, validation: HeldOut) -> TrainingPlan:
    pixels, labels = prepared["pixels"], torch.from_numpy(prepared["labels"]).float()
    per_epoch, batch_size, seed = settings["images_per_epoch"], settings["batch_size"], settings["seed"]
    epochs_per_pass = len(pixels) // per_epoch

    def batches(epoch: int):
        """Epoch e is part e mod k of pass e div k over a seeded permutation; each image flipped with probability ½."""
        pass_index, part = divmod(epoch, epochs_per_pass)
        permutation = np.random.RandomState([seed, pass_index]).permutation(len(pixels))
        order = permutation[part * per_epoch:(part + 1) * per_epoch]
        flips = np.random.RandomState([seed, pass_index, part]).rand(per_epoch) < 0.5
        return [(order[start:start + batch_size], flips[start:start + batch_size])
                for start in range(0, per_epoch, batch_size)]

    def step_loss(model, batch):
        indices, flips = batch
        indices = np.sort(indices)  # reads in file order from the memory map
        pixel_values = normalize(pixels[indices])  # [B, 3, S, S]
        targets = labels[indices]  # [B, K]
        pixel_values[torch.from_numpy(flips)] = pixel_values[torch.from_numpy(flips)].flip(-1)
        logits, _ = model(pixel_values)
        return F.binary_cross_entropy_with_logits(logits, targets), len(indices)

    def validate(model) -> dict:
        measured = measure(model, validation, settings)
        return {"val_loss": measured["loss"], "val_micro_f1": measured["micro_f1"],
                "val_subset_accuracy": measured["subset_accuracy"],
                "val_jaccard_mean_heads": measured["jaccard_mean_heads"], "score": measured["micro_f1"]}

    return TrainingPlan(work=work, settings=settings,
                        build_model=lambda: ViTForImageClassification(vit_config(settings)),
                        batches=batches, step_loss=step_loss, validate=validate, unit="img")


def random_weights_model(settings) -> ViTForImageClassification:
    """The same architecture with its initial weights: what training started from (epoch_trainer seeds, then builds)."""
    seed_everything(settings["seed"])
    return ViTForImageClassification(vit_config(settings)).eval()


def trained_model(settings, final: dict) -> ViTForImageClassification:
    model = ViTForImageClassification(vit_config(settings))
    model.load_state_dict(final["model"])
    return model.eval()


# ------------------------------------------------------------------------------------- export, checks, evaluation


def export_folder(model, folder: Path, settings) -> dict:
    if (folder / "onnx").exists():
        shutil.rmtree(folder / "onnx")
    write_json(folder / "config.json", model.config.to_hf_dict())
    write_json(folder / "preprocessor_config.json", preprocessor_config(settings["model"]["image_size"]))
    return export_vit(model, folder, float16=True)


def node_check(model, folder: Path, held_out: HeldOut, work: Path) -> dict:
    """onnxruntime-node on two held-out scenes must give PyTorch's logits and last_hidden_state (same weights)."""
    pixel_values = normalize(held_out.pixels[:2])
    with torch.no_grad():
        logits, last_hidden_state = model(pixel_values)
    runs = [output_run("onnx/model.onnx", {"pixel_values": pixel_values},
                       {"logits": logits, "last_hidden_state": last_hidden_state})]
    return run_output_check(folder, runs, work, CHECK_TOLERANCE)


def eval_relative(path: Path) -> str:
    """A path as the TypeScript command (run in tools/eval by pnpm) takes it."""
    return os.path.relpath(path, EVAL_ROOT)


def typescript_command(folder: Path, annotations: Path, settings) -> list[str]:
    model = "attn/vit-shapes" if folder == MODELS_ROOT / NAME else eval_relative(folder)
    return ["pnpm", "--filter", "@attn/eval", "exec", "tsx", "src/segmentation-jaccard.ts",
            "--annotations", eval_relative(annotations), "--model", model, "--mass", str(settings["mass_fraction"])]


def typescript_jaccard(folder: Path, annotations: Path, settings) -> dict:
    """Run segmentation-jaccard.ts on the exported folder; its printed Jaccards, or why it could not run."""
    command = typescript_command(folder, annotations, settings)
    if shutil.which("pnpm") is None:
        return {"command": " ".join(command), "error": "pnpm not found on PATH"}
    completed = subprocess.run(command, cwd=EVAL_ROOT, capture_output=True, text=True, timeout=1800)
    patterns = {"mean": r"mean of the last layer's heads: +([\d.]+)", "rollout": r"attention rollout: +([\d.]+)",
                "best_head": r"best head \(head (\d+)\): +[\d.]+", "best": r"best head \(head \d+\): +([\d.]+)"}
    found = {key: re.search(pattern, completed.stdout) for key, pattern in patterns.items()}
    if completed.returncode != 0 or not all(found.values()):
        output = (completed.stderr or completed.stdout)[-1500:]
        return {"command": " ".join(command), "error": f"exit {completed.returncode}: {output}"}
    result = {key: float(match.group(1)) for key, match in found.items()}
    result["best_head"] = int(result["best_head"])
    return {"command": " ".join(command), **result}


def compare_typescript(typescript: dict, measured: dict) -> str:
    """'agrees' when each TypeScript Jaccard is within TYPESCRIPT_TOLERANCE of Python's, else what differs."""
    if "error" in typescript:
        return f"not run: {typescript['error']}"
    pairs = {"mean": measured["jaccard_mean_heads"], "rollout": measured["jaccard_rollout"],
             "best": measured["jaccard_best_head"]}
    differences = {key: abs(typescript[key] - value) for key, value in pairs.items()}
    worst = max(differences.values())
    if worst <= TYPESCRIPT_TOLERANCE:
        return f"agrees (largest difference {worst:.4f} ≤ {TYPESCRIPT_TOLERANCE})"
    return f"DIFFERS: {json.dumps({key: round(value, 4) for key, value in differences.items()})}"


def typescript_line(name: str, typescript: dict, measured: dict) -> str:
    """The card's row for one TypeScript run: weights, command, mean of heads / rollout / best head, verdict."""
    shown = "–" if "error" in typescript else " / ".join(f"{typescript[key]:.4f}" for key in ("mean", "rollout", "best"))
    return f"| {name} | `{typescript['command']}` | {shown} | {compare_typescript(typescript, measured)} |"


def evaluate(args, settings, final: dict, log) -> dict:
    """Every card number: both models (float16-rounded as exported) on the test split, and the trivial mask."""
    test = read_held_out(held_out_split("test", **settings["held_out"]["test"], root=scenes_root_for(args)),
                         settings["model"]["image_size"])
    models = {"trained": trained_model(settings, final), "random": random_weights_model(settings)}
    metrics = {"whole_image_jaccard": whole_image_jaccard(test), "mass_fraction": settings["mass_fraction"]}
    for name, model in models.items():
        round_weights_like_export(model, keep=FLOAT32_KEEP)
        started = time.time()
        metrics[name] = measure(model, test, settings)
        log(f"evaluate: {name} weights on {len(test.pixels)} test scenes ({time.time() - started:.0f}s): "
            f"{json.dumps({key: value for key, value in metrics[name].items() if key != 'jaccard_per_head'})}")
    return metrics


def metric_lines(metrics: dict) -> list[str]:
    """The card's metric table rows: exactly what evaluate.py recomputes and looks for in the card."""
    trained, random = metrics["trained"], metrics["random"]
    mass = f"DINO {metrics['mass_fraction']:.0%} mass"
    whole = metrics["whole_image_jaccard"]

    def row(name: str, key: str) -> str:
        return f"| {name} | **{trained[key]:.4f}** | {random[key]:.4f} |"

    return [
        row("subset accuracy (every label right)", "subset_accuracy"),
        row("micro-F1", "micro_f1"),
        row("macro-F1 (mean over classes)", "macro_f1"),
        row(f"Jaccard, {mass}, mean of the last layer's heads", "jaccard_mean_heads"),
        f"| Jaccard, {mass}, best head | **{trained['jaccard_best_head']:.4f}** (head {trained['best_head']}) | "
        f"{random['jaccard_best_head']:.4f} (head {random['best_head']}) |",
        row(f"Jaccard, attention rollout, {mass}", "jaccard_rollout"),
        f"| Jaccard, per head | {' / '.join(f'{value:.4f}' for value in trained['jaccard_per_head'])} | "
        f"{' / '.join(f'{value:.4f}' for value in random['jaccard_per_head'])} |",
        f"| Jaccard, whole image as the mask (no model) | {whole:.4f} | {whole:.4f} |",
    ]


def target_line(metrics: dict) -> str:
    """Issue 5's target for the card: the trained DINO-mask Jaccard ≥ 0.5 and at least twice the random weights'."""
    trained, random = metrics["trained"]["jaccard_mean_heads"], metrics["random"]["jaccard_mean_heads"]
    reached = trained >= TARGET_JACCARD and trained >= 2 * random
    ratio = f"{trained / random:.2f}×" if random > 0 else "above"
    return (f"Target (issue 5): Jaccard of the DINO mask (mean of heads) ≥ {TARGET_JACCARD} and at least twice the random "
            f"weights' — **{'reached' if reached else 'not reached'}** ({trained:.4f}, {ratio} the random "
            f"weights' {random:.4f}).")


# ------------------------------------------------------------------------------------------------------ the card


def write_card(args, settings, final: dict, prepared: dict, exports: dict, reports: dict, metrics: dict,
               typescript: dict) -> Path:
    out = RECIPE.out_dir(args)
    config = vit_config(settings)
    environment = environment_summary()
    parameters = sum(parameter.numel() for parameter in trained_model(settings, final).parameters())
    epochs = len(final["history"])
    test_spec, val_spec = settings["held_out"]["test"], settings["held_out"]["val"]
    info = prepared["info"]
    grid = config.image_size // config.patch_size
    validation_minutes = (sum(h["wall_seconds"] for h in final["history"]) - final["train_seconds"]) / 60
    history_rows = [[str(h["epoch"]), str(h["step"]), f"{h['val_loss']:.4f}", f"{h['val_micro_f1']:.4f}",
                     f"{h['val_subset_accuracy']:.4f}", f"{h['val_jaccard_mean_heads']:.4f}", f"{h['train_seconds'] / 60:.1f}"]
                    for h in final["history"]]
    card = f"""# attn/vit-shapes — attention-map segmentation of synthetic shape scenes (ViT, trained from scratch)
{smoke_note(args, "scenes")}
A small Vision Transformer in Hugging Face's ViTForImageClassification layout (`model_type: vit`, a [CLS] token),
trained by `tools/model-zoo` to say which of {len(CLASSES)} shape classes appear in a scene (multi-label). Nothing in
training sees a mask: the segmentation is read off the last layer's [CLS] → patch attention, as DINO does
(Caron et al. 2021), and `segment()` in @attn/vision returns it. It exists so that attn can show and test
attention-map segmentation offline; it knows nothing but these scenes.

## Data and licence
- Synthetic scenes from `tools/model-zoo/zoo/scenes.py` (ours, deterministic by seed and index): textured and noisy
  backgrounds (colour gradient plus stripes, checks or blotches, Gaussian pixel noise), 1–6 objects of the classes
  {", ".join(f"`{name}`" for name in CLASSES)} with random colour, size (radius 7–20% of the short side), rotation and position;
  later objects occlude earlier ones, and each keeps at least 40% of its area visible.
- Training: {info['count']:,} scenes (seed {info['seed']}) of random width and height in {info['side_range'][0]}–{info['side_range'][1]} px, resized to
  {config.image_size} x {config.image_size} as the processor does; {info['objects_per_scene']} classes present per scene on average. Random horizontal flips.
- Model selection: {val_spec['count']} validation scenes (seed {SPLIT_SEEDS['val']}); reported: {test_spec['count']} test scenes (seed {SPLIT_SEEDS['test']}), both
  {test_spec['width']} x {test_spec['height']} px, written as COCO-style JSON with visible-part masks (uncompressed RLE) to
  `{os.path.relpath(scenes_root_for(args), REPO_ROOT)}/{{val,test}}/` by `train.py {NAME}{' --smoke' if args.smoke else ''} --prepare-only`.
- Licence: the generator and these weights are the project's own (MIT, as @attn/models); no external data is used.

## Architecture and size
- ViT: {config.image_size} x {config.image_size} input, {config.patch_size} x {config.patch_size} patches ({grid} x {grid} grid), hidden size {config.hidden_size}, {config.num_hidden_layers} pre-norm layers,
  {config.num_attention_heads} heads (head dim {config.hidden_size // config.num_attention_heads}), MLP {config.intermediate_size} (GELU), learned positions, a linear classifier on the final
  [CLS] state; `problem_type: multi_label_classification` (a sigmoid per class), `id2label` = the class names.
- Parameters: {parameters:,}.
- `preprocessor_config.json`: ViTImageProcessor — resize to {config.image_size} x {config.image_size} (bilinear), rescale 1/255,
  normalise with mean = std = 0.5.
- Files (weights stored as float16 initializers followed by Cast to float32, except the positions and [CLS] token;
  the graph computes in float32):

{files_table(out)}

## ONNX interface (Optimum names)
- `onnx/model.onnx`: `pixel_values` float32 [batch_size, 3, {config.image_size}, {config.image_size}] → `logits` float32 [batch_size, {len(CLASSES)}],
  `last_hidden_state` float32 [batch_size, {config.num_patches + 1}, {config.hidden_size}]. Attention is explicit MatMul → Softmax → MatMul; the
  probabilities are the outputs of Softmax nodes named like `{exports['trained']['model_softmax'][-1]}`
  ({len(exports['trained']['model_softmax'])} in all), which attn taps. ONNX opset 14, exported with PyTorch {environment['torch']}.

## Training
- Command: `{RECIPE.command("train.py", args, epochs=epochs)}` (no shared data needed; training scenes, checkpoints and the progress log with
  images/s in `tools/model-zoo/work/{NAME}{'-smoke' if args.smoke else ''}/`; `--resume` continues from the last epoch, `--deadline HH:MM` stops in time).
- Seed {settings['seed']}; AdamW (β 0.9/0.98, weight decay {settings['weight_decay']}), inverse-square-root schedule, peak learning rate
  {settings['peak_lr']}, {settings['warmup_steps']} warm-up steps; batches of {settings['batch_size']}; binary cross-entropy over the classes; gradient norm clipped at 1.0.
  An epoch is {settings['images_per_epoch']:,} images ({settings['images_per_epoch'] / info['count']:.2f} of a pass over the training scenes).
- {epochs} epochs, {final['steps']:,} steps, {final['train_seconds'] / 60:.1f} minutes of training, plus {info['seconds'] / 60:.1f} minutes generating the training
  scenes and {validation_minutes:.1f} minutes of per-epoch validation, on an {environment['machine']}, Python {environment['python']}, PyTorch {environment['torch']}
  (Debian python3-torch); intra-op threads (1 or 2) chosen during training by measured throughput.
- Selection: {final['chosen']} (validation micro-F1 {final['score']:.4f}), between the best single epoch and the
  average of the last {settings['average_last']} epochs.

Per-epoch validation ({val_spec['count']} scenes, float32 weights):

{markdown_table(["epoch", "step", "val BCE", "val micro-F1", "val subset accuracy", "val Jaccard (mean of heads)", "cumulative train min"], history_rows)}

## Metrics
On the {test_spec['count']} test scenes, with exactly the weights stored in the ONNX files (float16-rounded). A label is
predicted present where its logit is > 0. Jaccard is intersection over union of a mask with the ground-truth foreground
(the union of every object's visible mask), averaged over scenes, as `segment()` makes the masks: take the [CLS] row of
the last layer's attention over the {grid} x {grid} patches — per head, or the mean of the heads — and keep the patches that
hold {settings['mass_fraction']:.0%} of its mass (DINO's rule: sort ascending, keep positions whose running share exceeds
{1 - settings['mass_fraction']:.1f}); rollout does the same with the [CLS] row of Ã_L ··· Ã_1, Ã = ½·mean-of-heads + ½·I (rows renormalised).
Masks are upsampled to the image by nearest neighbour. "Best head" is the head with the highest mean Jaccard (DINO's
reporting). The baseline is the same architecture with its random initial weights (what training started from), and
the trivial mask that calls every pixel foreground.
All rows are reproduced by `{RECIPE.command("evaluate.py", args)}`, which recomputes them and fails if any line below differs.

| metric | attn/vit-shapes | same architecture, random weights |
|---|---|---|
{chr(10).join(metric_lines(metrics))}

{target_line(metrics)}

### The same numbers through the TypeScript pipeline
`tools/eval/src/segmentation-jaccard.ts` runs `segment()` (onnxruntime-node, attention tapped from the graph, PNG
decoding and Pillow-exact resizing in TypeScript) on the same test scenes; mean of heads / rollout / best head:

| weights | command (in tools/eval) | Jaccard | vs the table above |
|---|---|---|---|
{chr(10).join(typescript_line(name, typescript[name], metrics[name]) for name in ("trained", "random"))}

## Export check
`zoo/node_check.py` ran `onnx/model.onnx` in onnxruntime-node on two test scenes and compared `logits` and
`last_hidden_state` with the PyTorch model holding the exported weights (tolerance {CHECK_TOLERANCE}):
trained `{json.dumps({key: reports['trained'][key] for key in ('max_abs_difference', 'passed') if key in reports['trained']})}`,
random weights (`{os.path.relpath(RECIPE.work_dir(args) / 'random-weights', REPO_ROOT)}`, not shipped) `{json.dumps({key: reports['random'][key] for key in ('max_abs_difference', 'passed') if key in reports['random']})}`.

## Known limits
- Synthetic scenes only: {len(CLASSES)} flat-coloured geometric shapes on generated backgrounds. Natural images are far outside
  what it has seen; its masks and labels there mean nothing.
- A {grid} x {grid} patch grid bounds the masks: thin parts and boundaries are blocky, and objects smaller than a patch
  are found coarsely at best.
- The classifier was trained for labels only. That its [CLS] attention falls on the objects is what the Jaccard rows
  measure, not something training asked for; attention is evidence of where the model looked, not proof of what it used
  (Jain & Wallace 2019).
- Trained from scratch for about {final['train_seconds'] / 60:.0f} minutes on 2 CPU cores, far from convergence of a ViT.
"""
    path = out / "MODEL_CARD.md"
    path.write_text(card, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------------ entry points


def run_training(args) -> None:
    """prepare → train → export (trained and random weights) → Node check → evaluate → TypeScript check → card."""
    log = RECIPE.start_training(args)
    settings = RECIPE.settings(args)
    work = RECIPE.work_dir(args)
    prepared = prepare(args, settings, work, log)
    if args.prepare_only:
        log(f"prepare-only: training scenes in {work}, held-out scenes {', '.join(map(str, prepared['held_out'].values()))}")
        return
    side = settings["model"]["image_size"]
    validation = read_held_out(prepared["held_out"]["val"], side)
    final = train_epochs(training_plan(settings, work, prepared, validation), args, log)

    folders = {"trained": RECIPE.out_dir(args), "random": work / "random-weights"}
    models = {"trained": trained_model(settings, final), "random": random_weights_model(settings)}
    test = read_held_out(prepared["held_out"]["test"], side)
    exports, reports = {}, {}
    for name, model in models.items():
        exports[name] = export_folder(model, folders[name], settings)
        round_weights_like_export(model, keep=FLOAT32_KEEP)
        reports[name] = node_check(model, folders[name], test, work / name)
        log(f"export: {folders[name]} {json.dumps({k: v for k, v in exports[name].items() if 'softmax' not in k})}; "
            f"node check {json.dumps({k: v for k, v in reports[name].items() if k != 'runs'})}")
    metrics = evaluate(args, settings, final, log)
    typescript = {name: typescript_jaccard(folders[name], prepared["held_out"]["test"], settings) for name in folders}
    for name in folders:
        log(f"typescript: {name}: {compare_typescript(typescript[name], metrics[name])} ({typescript[name]['command']})")
    write_json(work / "metrics.json", {"metrics": metrics, "typescript": typescript, "node_check": reports})
    card = write_card(args, settings, final, prepared, exports, reports, metrics, typescript)
    log(f"card: wrote {card}")
    for line in metric_lines(metrics):
        log(f"card: {line}")


def run_evaluation(args) -> None:
    """Recompute every metric line of the card (and the TypeScript check) and say whether each matches."""
    log = RECIPE.start_evaluation(args, threads=2)
    work = RECIPE.work_dir(args)
    final_path = work / "final.pt"
    if not final_path.exists():
        raise SystemExit(f"{final_path} not found: train the recipe first ({RECIPE.command('train.py', args)})")
    final = torch.load(final_path)
    settings = final["settings"]  # what the model was trained with
    metrics = evaluate(args, settings, final, log)
    lines = metric_lines(metrics)
    test_path = held_out_split("test", **settings["held_out"]["test"], root=scenes_root_for(args))
    folders = {"trained": RECIPE.out_dir(args), "random": work / "random-weights"}
    for name, folder in folders.items():
        typescript = typescript_jaccard(folder, test_path, settings)
        if "error" in typescript:
            log(f"evaluate: the TypeScript check of the {name} weights could not run: {typescript['error']}")
        else:
            lines.append(typescript_line(name, typescript, metrics[name]))
    RECIPE.check_card(args, lines, log)
