"""Recipe attn/detr-shapes: DETR (Carion et al. 2020; zoo/architectures/detr.py, model_type detr) trained from scratch
to find the shapes of zoo/scenes.py, reported as COCO mAP@0.5 and mAP@[.5:.95] on the held-out test scenes.

Stages: prepare (the held-out val and test splits of zoo/scenes.py under work/scenes/, shared with vit-shapes)
→ train through zoo/epoch_trainer.py (fresh training scenes every epoch, generated from the train seed;
Hungarian set loss with auxiliary decoder losses, zoo/hungarian.py) → export (Hugging Face layout, onnx/model.onnx
with Optimum's names, float16 weights) → Node check (onnxruntime-node = PyTorch) → evaluation → MODEL_CARD.md.
No shared data set is read: every scene is generated. What makes DETR train on a CPU: small inputs, 12 object
queries, a small from-scratch CNN, no dropout (no scene repeats), auxiliary losses on every decoder layer, and a
training-only dense head on the encoder output (class and box of the object under each feature cell, as the encoder
proposals of two-stage Deformable DETR are supervised) — without it the from-scratch run sat for 13 epochs
predicting the same boxes for every image (the decoder ignored the untrained features). The head is not exported.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.nn import functional as F

from zoo import data as zoo_data
from zoo.architectures.detr import DetrConfig, DetrForObjectDetection, DetrMLPPredictionHead
from zoo.architectures.export import export_detr
from zoo.detection_metrics import EvaluatedImage, MeanAveragePrecision, mean_average_precision
from zoo.epoch_trainer import TrainingPlan, train_epochs
from zoo.hungarian import LossWeights, center_to_corners, generalized_box_iou, set_prediction_loss
from zoo.model_card import files_table, markdown_table
from zoo.node_check import output_run, run_output_check
from zoo.recipe import Recipe, fail_unless_passed, log_check, smoke_note
from zoo.scenes import CLASSES, HELD_OUT, SCENES_ROOT, SPLIT_SEEDS, generate_scene, held_out_split
from zoo.seq2seq_recipe import environment_summary
from zoo.training import seed_everything, write_json
from zoo.verify import round_weights_like_export

NAME = "detr-shapes"
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
TARGET_MAP50 = 0.85
CHECK_TOLERANCE = 1e-3

FULL = {
    "seed": 1,
    "model": dict(backbone_channels=[32, 64, 128, 256], d_model=128, num_queries=12, encoder_layers=3,
                  decoder_layers=3, encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=512,
                  decoder_ffn_dim=512, dropout=0.0),
    # preprocessor_config.json's resize: the 320 x 256 scenes become 160 x 128 model inputs
    "resize": {"shortest_edge": 128, "longest_edge": 160},
    "scene": {"width": HELD_OUT["test"]["width"], "height": HELD_OUT["test"]["height"]},  # training scenes
    "held_out": HELD_OUT,
    "scenes_per_epoch": 2000,
    "batch_size": 8,
    "loss": dict(class_weight=1.0, l1_weight=5.0, giou_weight=2.0, no_object_weight=0.1),
    "dense_loss_weight": 1.0,  # the encoder's dense class + box loss, next to the decoder layers' set losses
    "peak_lr": 4e-4,
    "warmup_steps": 500,
    "weight_decay": 1e-4,
    "clip_norm": 0.1,
    "epochs": 200,
    "time_budget_minutes": 205,  # checked between epochs (~70 s each at one thread)
    "average_last": 3,
    "log_every": 25,
}

SMOKE = {
    **FULL,
    "model": dict(FULL["model"], backbone_channels=[8, 16, 16, 16], d_model=32, num_queries=8, encoder_layers=1,
                  decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                  decoder_ffn_dim=64),
    "resize": {"shortest_edge": 48, "longest_edge": 64},
    "scene": {"width": 96, "height": 72},
    "held_out": {split: {"count": 4, "width": 96, "height": 72} for split in ("val", "test")},
    "scenes_per_epoch": 8,
    "batch_size": 4,
    "warmup_steps": 2,
    "epochs": 2,
    "time_budget_minutes": None,
    "average_last": 2,
    "log_every": 1,
}

RECIPE = Recipe(NAME, FULL, SMOKE, epochs_lift_budget=True)


# ---------------------------------------------------------------------------------------------------- paths

def held_out_path(args, settings, split: str) -> Path:
    """annotations.json of a held-out split, written on first use: the full run shares work/scenes/<split> with
    vit-shapes; a smoke run keeps its few small scenes to itself."""
    root = RECIPE.work_dir(args) / "scenes" if args.smoke else SCENES_ROOT
    return held_out_split(split, **settings["held_out"][split], root=root)


# ---------------------------------------------------------------------------------------------------- data

def resized_size(width: int, height: int, shortest_edge: int, longest_edge: int) -> tuple[int, int]:
    """(width, height) after DetrImageProcessor's resize to {shortest_edge, longest_edge}, as
    packages/vision/src/preprocess/resize-output-size.ts computes it (aspect kept, long side capped)."""
    edge, exact = shortest_edge, None
    short, long = min(width, height), max(width, height)
    if long / short * edge > longest_edge:
        exact = longest_edge * short / long
        edge = round(exact)  # Python rounds half to even, as the TypeScript does
    if (height <= width and height == edge) or (width <= height and width == edge):
        return width, height
    scaled = exact if exact is not None else edge
    if width < height:
        return max(edge, 1), max(int(scaled * height / width), 1)
    return max(int(scaled * width / height), 1), max(edge, 1)


def input_size(settings) -> tuple[int, int]:
    """(width, height) of the model input made from a training scene."""
    return resized_size(settings["scene"]["width"], settings["scene"]["height"], **settings["resize"])


def pixel_values_of(image: Image.Image, resize: dict) -> torch.Tensor:
    """DetrImageProcessor's steps on one RGB image: PIL bilinear resize, × 1/255, ImageNet mean/std → [3, h, w]."""
    size = resized_size(image.width, image.height, resize["shortest_edge"], resize["longest_edge"])
    if size != image.size:
        image = image.resize(size, Image.BILINEAR)
    pixels = np.asarray(image, dtype=np.float32) / 255.0  # [h, w, 3]
    pixels = (pixels - np.array(IMAGENET_MEAN, dtype=np.float32)) / np.array(IMAGENET_STD, dtype=np.float32)
    return torch.from_numpy(pixels.transpose(2, 0, 1).copy())  # [h, w, 3] → [3, h, w]


def normalised_targets(objects: list[dict], width: int, height: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Scene objects → labels [T] and boxes [T, 4] as normalised (cx, cy, w, h), DETR's targets."""
    labels = torch.tensor([item["category_id"] for item in objects], dtype=torch.long)
    boxes = torch.tensor([[(x + w / 2) / width, (y + h / 2) / height, w / width, h / height]
                          for x, y, w, h in (item["bbox"] for item in objects)], dtype=torch.float32)
    return labels, boxes.reshape(-1, 4)


def scene_batch(seed: int, indices: list[int], settings: dict):
    """Generated training scenes → pixel_values [B, 3, h, w] and DETR's targets."""
    pixel_values, targets = [], []
    width, height = settings["scene"]["width"], settings["scene"]["height"]
    for index in indices:
        image, objects = generate_scene(seed, index, width, height)
        pixel_values.append(pixel_values_of(image, settings["resize"]))
        targets.append(normalised_targets(objects, width, height))
    return torch.stack(pixel_values), targets


def corner_box(bbox: list[float]) -> tuple[float, float, float, float]:
    x, y, width, height = bbox
    return x, y, x + width, y + height


def read_held_out(annotations_path: Path, resize: dict):
    """The COCO-style split as tools/eval/src/coco-scenes.ts reads it: pixel_values [N, 3, h, w] (all scenes of a
    split have one size), image sizes and ground truth [(corner box, category name)] per image."""
    document = json.loads(annotations_path.read_text(encoding="utf-8"))
    names = {category["id"]: category["name"] for category in document["categories"]}
    truths = {image["id"]: [] for image in document["images"]}
    for annotation in document["annotations"]:
        truths[annotation["image_id"]].append((corner_box(annotation["bbox"]), names[annotation["category_id"]]))
    pixel_values, sizes = [], []
    for image in document["images"]:
        with Image.open(annotations_path.parent / image["file_name"]) as file:
            pixel_values.append(pixel_values_of(file.convert("RGB"), resize))
        sizes.append((image["width"], image["height"]))
    return torch.stack(pixel_values), sizes, [truths[image["id"]] for image in document["images"]]


# ---------------------------------------------------------------------------------------------------- model

class DetrWithDenseHead(nn.Module):
    """DETR plus a training-only dense head on the encoder output: per feature cell, the class of the object whose box
    holds the cell's centre (the smallest such box; "no object" elsewhere) and that object's box. Only `detr` is
    exported."""

    def __init__(self, config: DetrConfig):
        super().__init__()
        self.detr = DetrForObjectDetection(config)
        self.dense_classifier = nn.Linear(config.d_model, len(config.labels) + 1)
        self.dense_boxes = DetrMLPPredictionHead(config.d_model, 4)


def build_model(settings) -> DetrWithDenseHead:
    return DetrWithDenseHead(DetrConfig(labels=list(CLASSES), **settings["model"]))


def dense_targets(targets, height: int, width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per image and feature cell (row-major, as the encoder's tokens): label [B, h·w] (K = no object) and box
    [B, h·w, 4] of the smallest target box holding the cell's centre."""
    ys = (torch.arange(height, dtype=torch.float32) + 0.5) / height
    xs = (torch.arange(width, dtype=torch.float32) + 0.5) / width
    centres_y, centres_x = [grid.reshape(-1) for grid in torch.meshgrid(ys, xs, indexing="ij")]  # [h·w]
    labels = torch.full((len(targets), height * width), len(CLASSES), dtype=torch.long)
    boxes = torch.zeros(len(targets), height * width, 4)
    for row, (object_labels, object_boxes) in enumerate(targets):
        best_area = torch.full((height * width,), float("inf"))
        for label, box in zip(object_labels.tolist(), object_boxes):
            cx, cy, w, h = box.tolist()
            inside = ((centres_x - cx).abs() < w / 2) & ((centres_y - cy).abs() < h / 2) & (w * h < best_area)
            labels[row, inside] = label
            boxes[row, inside] = box
            best_area[inside] = w * h
    return labels, boxes


def dense_loss(model: DetrWithDenseHead, encoded: torch.Tensor, feature_size: tuple[int, int], targets,
               weights: LossWeights) -> torch.Tensor:
    """Class cross-entropy over every cell ("no object" down-weighted as in the set loss) + L1 and GIoU of the boxes
    predicted at the cells that lie on an object."""
    labels, boxes = dense_targets(targets, *feature_size)
    logits = model.dense_classifier(encoded)  # [B, S, K+1]
    class_weights = torch.ones(logits.shape[-1])
    class_weights[-1] = weights.no_object_weight
    loss = weights.class_weight * F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1),
                                                  weight=class_weights)
    on_object = labels < len(CLASSES)
    if on_object.any():
        predicted = model.dense_boxes(encoded[on_object]).sigmoid()  # [N, 4]
        truth = boxes[on_object]
        loss = loss + weights.l1_weight * F.l1_loss(predicted, truth) + weights.giou_weight * (
            1 - torch.diag(generalized_box_iou(center_to_corners(predicted), center_to_corners(truth)))).mean()
    return loss


def decoder_layer_outputs(model: DetrForObjectDetection, pixel_values: torch.Tensor):
    """logits [L, B, Q, K+1] and boxes [L, B, Q, 4] of every decoder layer — each layer's output through the shared
    final LayerNorm and the heads, DETR's auxiliary decoding; the last layer's are the model's outputs — and the
    encoder's output [B, S, D] with the feature map's (h, w)."""
    hidden_states, encoder_outputs, feature_sizes = [], [], []
    handles = [layer.register_forward_hook(lambda module, inputs, output: hidden_states.append(output))
               for layer in model.model.decoder.layers]
    handles.append(model.model.encoder.register_forward_hook(lambda module, inputs, output: encoder_outputs.append(output)))
    handles.append(model.model.backbone.register_forward_hook(
        lambda module, inputs, output: feature_sizes.append(tuple(output[0].shape[-2:]))))
    try:
        pixel_mask = torch.ones(pixel_values.shape[0], *pixel_values.shape[2:], dtype=torch.long)
        model(pixel_values, pixel_mask)
    finally:
        for handle in handles:
            handle.remove()
    normed = model.model.decoder.layernorm(torch.stack(hidden_states))  # [L, B, Q, D]
    return (model.class_labels_classifier(normed), model.bbox_predictor(normed).sigmoid(),
            encoder_outputs[0], feature_sizes[0])


def fold_batch_norms(model: DetrForObjectDetection) -> DetrForObjectDetection:
    """Fold each backbone BatchNorm into its convolution in place, as torch.onnx.export does in eval mode
    (w·γ/√(σ²+ε), β − μ·γ/√(σ²+ε)); the BatchNorm is left computing (x − 0)/√((1 − ε) + ε)·1 + b, the identity
    plus the folded bias. Rounding the folded weights then gives the float16 weights that the ONNX file stores."""
    with torch.no_grad():
        for stage in model.model.backbone.conv_encoder.stages:
            norm = stage.norm
            scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)  # [C]
            stage.conv.weight.mul_(scale[:, None, None, None])
            norm.bias.copy_(norm.bias - norm.running_mean * scale)
            norm.weight.fill_(1.0)
            norm.running_mean.zero_()
            norm.running_var.fill_(1.0 - norm.eps)
    return model


def load_model(args, weights: str) -> DetrForObjectDetection:
    """'exported' (the float16 weights of onnx/model.onnx), 'float32' (the chosen checkpoint) or 'random'."""
    settings = RECIPE.settings(args)
    seed_everything(settings["seed"])
    wrapper = build_model(settings)
    if weights != "random":
        wrapper.load_state_dict(torch.load(RECIPE.work_dir(args) / "final.pt")["model"])
    model = wrapper.detr
    if weights == "exported":
        round_weights_like_export(fold_batch_norms(model), keep=())
    return model.eval()


@torch.no_grad()
def detect(model, pixel_values: torch.Tensor, sizes: list[tuple[int, int]], batch_size: int = 25):
    """Every query as a detection, as @attn/vision's detect() reports it with threshold 0: the best real class
    (softmax over all classes, no-object included), the box in the original image's pixels, clipped to it."""
    detections = []
    for start in range(0, len(sizes), batch_size):
        pixels = pixel_values[start : start + batch_size]
        logits, boxes = model(pixels, torch.ones(pixels.shape[0], *pixels.shape[2:], dtype=torch.long))
        scores, labels = logits.softmax(-1)[..., :-1].max(-1)  # [B, Q]
        for row, (width, height) in enumerate(sizes[start : start + batch_size]):
            image_detections = []
            for (cx, cy, w, h), label, score in zip(boxes[row].tolist(), labels[row].tolist(), scores[row].tolist()):
                box = ((cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height)
                box = (min(max(box[0], 0), width), min(max(box[1], 0), height),
                       min(max(box[2], 0), width), min(max(box[3], 0), height))
                image_detections.append((box, CLASSES[label], score))
            detections.append(image_detections)
    return detections


def score(model, pixel_values, sizes, truths) -> MeanAveragePrecision:
    detections = detect(model, pixel_values, sizes)
    return mean_average_precision([EvaluatedImage(truth, found) for truth, found in zip(truths, detections)])


# ---------------------------------------------------------------------------------------------------- train

def training_plan(args, settings) -> TrainingPlan:
    weights = LossWeights(**settings["loss"])
    val_pixels, val_sizes, val_truths = read_held_out(held_out_path(args, settings, "val"), settings["resize"])
    per_epoch, batch_size = settings["scenes_per_epoch"], settings["batch_size"]

    def batches(epoch: int):
        """Scene indices of the epoch: every epoch new scenes, in order, generated when the batch is used."""
        first = epoch * per_epoch
        return [list(range(start, min(start + batch_size, first + per_epoch)))
                for start in range(first, first + per_epoch, batch_size)]

    def step_loss(model, indices):
        pixel_values, targets = scene_batch(SPLIT_SEEDS["train"], indices, settings)
        all_logits, all_boxes, encoded, feature_size = decoder_layer_outputs(model.detr, pixel_values)
        loss = sum(set_prediction_loss(logits, boxes, targets, weights)[0] for logits, boxes in zip(all_logits, all_boxes))
        return loss + settings["dense_loss_weight"] * dense_loss(model, encoded, feature_size, targets, weights), len(indices)

    def validate(model):
        result = score(model.detr, val_pixels, val_sizes, val_truths)
        return {"score": result.per_threshold[0], "map50": result.per_threshold[0], "map50_95": result.mean}

    return TrainingPlan(work=RECIPE.work_dir(args), settings=settings, build_model=lambda: build_model(settings),
                        batches=batches, step_loss=step_loss, validate=validate, unit="img")


# ---------------------------------------------------------------------------------------------------- release

def preprocessor_config(settings) -> dict:
    """preprocessor_config.json as transformers' DetrImageProcessor writes it."""
    return {
        "do_convert_annotations": True,
        "do_normalize": True,
        "do_pad": True,
        "do_rescale": True,
        "do_resize": True,
        "format": "coco_detection",
        "image_mean": IMAGENET_MEAN,
        "image_processor_type": "DetrImageProcessor",
        "image_std": IMAGENET_STD,
        "pad_size": None,
        "resample": 2,
        "rescale_factor": 1 / 255,
        "size": {"longest_edge": settings["resize"]["longest_edge"], "shortest_edge": settings["resize"]["shortest_edge"]},
    }


def export_folder(args, settings, log) -> dict:
    out = RECIPE.out_dir(args)
    model = load_model(args, "float32")
    config = model.config.to_hf_dict()
    config["auxiliary_loss"] = True  # trained with a loss on every decoder layer
    write_json(out / "config.json", config)
    write_json(out / "preprocessor_config.json", preprocessor_config(settings))
    width, height = input_size(settings)
    summary = export_detr(model, out, (height, width), float16=True)
    log(f"export: {out} {json.dumps(summary['model'])}; {len(summary['model_softmax'])} Softmax nodes")
    return summary


def check_folder(args, settings, log) -> dict:
    """onnxruntime-node on two held-out scenes, and on one of them padded on the right as a batch with a wider
    image would be, must give PyTorch's logits and pred_boxes (the exported weights)."""
    model = load_model(args, "exported")
    pixel_values, _, _ = read_held_out(held_out_path(args, settings, "test"), settings["resize"])
    pixels = pixel_values[:2]
    mask = torch.ones(2, *pixels.shape[2:], dtype=torch.long)
    width = pixels.shape[3]
    padded = torch.zeros(1, 3, pixels.shape[2], width + width // 2)
    padded[..., :width] = pixels[:1]
    padded_mask = torch.zeros(1, *padded.shape[2:], dtype=torch.long)
    padded_mask[..., :width] = 1
    runs = []
    with torch.no_grad():
        for inputs, input_mask in ((pixels, mask), (padded, padded_mask)):
            logits, boxes = model(inputs, input_mask)
            runs.append(output_run("onnx/model.onnx", {"pixel_values": inputs, "pixel_mask": input_mask},
                                   {"logits": logits, "pred_boxes": boxes}))
    report = run_output_check(RECIPE.out_dir(args), runs, RECIPE.work_dir(args), CHECK_TOLERANCE)
    log_check(report, log)
    return report


WEIGHTS = [("exported", "exported (float16, as shipped)"), ("float32", "float32 checkpoint"),
           ("random", "random weights (untrained baseline)")]


def evaluate(args, settings, log) -> dict:
    """mAP of every WEIGHTS row on the held-out test split, and per-class AP of the exported weights."""
    pixel_values, sizes, truths = read_held_out(held_out_path(args, settings, "test"), settings["resize"])
    rows = []
    per_class = {}
    for weights, description in WEIGHTS:
        result = score(load_model(args, weights), pixel_values, sizes, truths)
        rows.append({"weights": description, "map50": round(result.per_threshold[0], 4), "map50_95": round(result.mean, 4)})
        log(f"evaluate: {description}: mAP@0.5 {result.per_threshold[0]:.4f} mAP@[.5:.95] {result.mean:.4f}")
        if weights == "exported":
            objects = {category: sum(name == category for truth in truths for _, name in truth) for category in CLASSES}
            per_class = {category: {"ap50": round(ap50, 4), "ap50_95": round(ap, 4), "objects": objects[category]}
                         for category, (ap50, ap) in result.per_category().items()}
    return {"scenes": len(sizes), "objects": sum(len(truth) for truth in truths), "rows": rows, "per_class": per_class}


def metric_lines(metrics: dict) -> list[str]:
    """The card's metric table rows; evaluate.py recomputes them and looks for each in the card."""
    lines = [f"| {row['weights']} | **{row['map50']:.4f}** | **{row['map50_95']:.4f}** |" for row in metrics["rows"]]
    lines += [f"| {category} | {values['objects']} | {values['ap50']:.4f} | {values['ap50_95']:.4f} |"
              for category, values in metrics["per_class"].items()]
    return lines


def write_card(args, settings, final, summary, report, metrics, log) -> None:
    out = RECIPE.out_dir(args)
    model = load_model(args, "float32")
    config = model.config
    environment = environment_summary()
    history = final["history"]
    parameters = sum(parameter.numel() for parameter in model.parameters())
    smoke = " --smoke" if args.smoke else ""
    exported = metrics["rows"][0]
    reached = exported["map50"] >= TARGET_MAP50
    lines = metric_lines(metrics)
    rows = len(metrics["rows"])
    stride = config.backbone_stride
    width, height = input_size(settings)
    scene_width, scene_height = settings["scene"]["width"], settings["scene"]["height"]
    grid = f"{-(-width // stride)} × {-(-height // stride)}"  # width × height; each stride-2 stage rounds up
    history_rows = [[str(item["epoch"]), f"{item['epoch'] * settings['scenes_per_epoch']:,}", f"{item['train_seconds'] / 60:.1f}",
                     f"{item['map50']:.4f}", f"{item['map50_95']:.4f}"] for item in history]
    held_out = settings["held_out"]["test"]
    test_path = held_out_path(args, settings, "test")
    if not args.smoke:
        test_path = test_path.relative_to(zoo_data.REPO_ROOT)
    weakest = min(metrics["per_class"], key=lambda category: metrics["per_class"][category]["ap50"])
    card = f"""# attn/detr-shapes — object detection on synthetic shape scenes (DETR architecture, trained from scratch)
{smoke_note(args, "scenes")}
DETR (Carion et al. 2020, "End-to-End Object Detection with Transformers") in Hugging Face's layout
(`model_type: detr`, `DetrForObjectDetection`), trained by `tools/model-zoo` on generated scenes only. It lets attn
show what each object query looked at (decoder cross-attention over the feature map) offline; it knows only the
{len(CLASSES)} shapes below and is not a general-purpose detector.

## Data and licence
- Scenes from `tools/model-zoo/zoo/scenes.py`: textured, noisy backgrounds with 1–6 rotated, coloured, possibly
  occluding shapes of {len(CLASSES)} classes ({', '.join(CLASSES)}); boxes are those of the visible part of each shape.
  Every scene is a pure function of (seed, index); splits use different seeds: train {SPLIT_SEEDS['train']}, validation {SPLIT_SEEDS['val']},
  test {SPLIT_SEEDS['test']}.
- Training: {settings['scenes_per_epoch']:,} new scenes per epoch ({scene_width} × {scene_height}; indices continue across epochs, so no
  scene is seen twice). Epoch selection: the held-out val split ({settings['held_out']['val']['count']} scenes). Reported: the held-out test split,
  {held_out['count']} scenes of {held_out['width']} × {held_out['height']} ({metrics['objects']:,} objects) in `{test_path}` (COCO-style; written by
  `train.py {NAME}{smoke} --prepare-only` if absent{'' if args.smoke else '; the same split vit-shapes reports on'}).
- Licence: everything is generated by our own code; no third-party data. The weights are ours.

## Architecture and size
- Backbone (ours, from scratch, no ResNet): {len(config.backbone_channels)} stride-2 3×3 conv + BatchNorm + ReLU stages
  ({' → '.join(str(width) for width in config.backbone_channels)} channels, stride {stride}: a {grid} feature map for a {width} × {height} input),
  1×1 projection to d_model {config.d_model}, 2-D sine positions.
- Transformer: {config.encoder_layers} encoder + {config.decoder_layers} decoder layers (post-norm), {config.encoder_attention_heads} heads, FFN {config.encoder_ffn_dim}, {config.num_queries} object
  queries; heads: a linear class head over {len(CLASSES)} labels + "no object", a 3-layer MLP box head with a sigmoid
  (normalised cx, cy, w, h).
- Parameters: {parameters:,}.
- Input: `preprocessor_config.json` is DetrImageProcessor's: bilinear resize to shortest edge {settings['resize']['shortest_edge']}, longest
  edge ≤ {settings['resize']['longest_edge']} (the {held_out['width']} × {held_out['height']} scenes become {width} × {height}), × 1/255, ImageNet mean / std, padding with `pixel_mask`.
- Files (weights stored as float16 initializers followed by Cast to float32; the graph computes in float32;
  BatchNorm is folded into the convolutions by the export):

{files_table(out)}

## ONNX interface (Optimum names)
- `onnx/model.onnx`: `pixel_values` float32 [batch_size, 3, height, width], `pixel_mask` int64
  [batch_size, height, width] (1 over image pixels) → `logits` float32 [batch_size, {config.num_queries}, {len(CLASSES) + 1}] (last = no object),
  `pred_boxes` float32 [batch_size, {config.num_queries}, 4] (normalised cx, cy, w, h).
- Attention is explicit MatMul → Add(mask) → Softmax → MatMul: {len(summary['model_softmax'])} Softmax nodes, e.g.
  `{summary['model_softmax'][-1]}` (decoder cross-attention [batch, heads, queries, feature cells]).
- ONNX opset 14, exported with PyTorch {environment['torch']}.

## Training
- Command: `{RECIPE.command("train.py", args, epochs=len(history))}` (no data directory is read; work files, checkpoints and the progress log with images/s in
  `tools/model-zoo/work/{NAME}{'-smoke' if args.smoke else ''}/`; `--resume` continues from the last epoch, `--deadline HH:MM` stops in time).
- Loss: DETR's set loss (zoo/hungarian.py): Hungarian matching (scipy `linear_sum_assignment`) on class
  probability + {settings['loss']['l1_weight']:g} × L1 + {settings['loss']['giou_weight']:g} × generalized IoU cost; cross-entropy with "no object" weighted
  {settings['loss']['no_object_weight']:g}, {settings['loss']['l1_weight']:g} × L1 and {settings['loss']['giou_weight']:g} × GIoU box losses per matched object; the same loss on every
  decoder layer's output (auxiliary decoding losses, through the shared final LayerNorm and heads).
- Seed {settings['seed']}; AdamW (β 0.9/0.98, weight decay {settings['weight_decay']:g}), inverse-square-root schedule, peak learning rate
  {settings['peak_lr']:g}, {settings['warmup_steps']} warm-up steps, batches of {settings['batch_size']} scenes, gradient norm clipped at
  {settings['clip_norm']:g}, no dropout (no scene repeats), training time budget {settings['time_budget_minutes'] or '–'} minutes.
- {len(history)} epochs, {final['steps']:,} steps, {len(history) * settings['scenes_per_epoch']:,} scenes, {final['train_seconds'] / 60:.0f} minutes of training (scene generation
  included, per-epoch validation excluded) on an {environment['machine']}, Python {environment['python']},
  PyTorch {environment['torch']} (Debian python3-torch); threads (1 or 2) chosen during training by measured throughput.
- Selection: {final['chosen']} (validation mAP@0.5 {final['score']:.4f}), between the best epoch and the average of the last
  {settings['average_last']} epochs.

Validation after each epoch (float32 weights, the {settings['held_out']['val']['count']} val scenes):

{markdown_table(["epoch", "scenes seen", "cumulative train min", "val mAP@0.5", "val mAP@[.5:.95]"], history_rows)}

## Metrics
COCO box mAP (pycocotools' COCOeval rules, area "all": 101-point interpolated precision, greedy matching of each
detection to the free ground-truth box it overlaps most, at most 100 detections per image and class, mean over the
classes) computed by `tools/model-zoo/zoo/detection_metrics.py`, step for step as
`tools/eval/src/mean-average-precision.ts`. Every query is a detection (threshold 0): its best real class,
scored by that class's probability (softmax over all classes, no object included), its box in the scene's pixels
clipped to the image — what `detect()` of @attn/vision returns. "exported" uses exactly the weights stored in
`onnx/model.onnx` (BatchNorm folded, float16-rounded); the float32 row is the checkpoint before rounding; the random
row is the same architecture untrained (seed {settings['seed']}), the floor of the metric.

| weights | mAP@0.5 | mAP@[.5:.95] |
|---|---|---|
{chr(10).join(lines[:rows])}

Per class (exported weights):

| class | objects | AP@0.5 | AP@[.5:.95] |
|---|---|---|---|
{chr(10).join(lines[rows:])}

Reproduce: `{RECIPE.command("evaluate.py", args)}` recomputes every row above and fails if one
differs from this card. Through the TypeScript pipeline (onnxruntime-node, @attn/vision's preprocessing):
`pnpm --filter @attn/eval exec tsx src/detection-map.ts --annotations {'../model-zoo/work/scenes/test/annotations.json' if not args.smoke else test_path}{' --model ' + str(out) if args.smoke else ''}`
(float32 arithmetic in another order can move the last digit).

Target (issue 5): mAP@0.5 ≥ {TARGET_MAP50} on the held-out scenes — **{'reached' if reached else 'not reached'}** (mAP@0.5 {exported['map50']:.4f},
mAP@[.5:.95] {exported['map50_95']:.4f}).

## Export check
`zoo/node_check.py` ran `onnx/model.onnx` in onnxruntime-node on two test scenes and on one of them padded to a
wider input (pixel_mask 0 over the padding) and compared `logits` and `pred_boxes` with PyTorch holding the exported
weights (tolerance {CHECK_TOLERANCE:g}): `{json.dumps({key: value for key, value in report.items() if key in ('max_abs_difference', 'tolerance', 'passed', 'error')})}`.

## Known limits
- Synthetic scenes only: {len(CLASSES)} flat-coloured shapes on generated backgrounds, {width} × {height} input. Photographs or other
  objects give meaningless boxes and labels.
- At most {config.num_queries} objects per image (the number of queries); scenes hold 1–6.
- One feature cell is {stride} px of the input ({stride * scene_width / width:g} px of a {scene_width} × {scene_height} scene): small and heavily
  occluded objects are where such a coarse detector is expected to fail first (not measured separately here).
  The weakest class on the test split is {weakest} (AP@0.5 {metrics['per_class'][weakest]['ap50']:.4f}); see the per-class table.
- Training was limited to {final['train_seconds'] / 60:.0f} minutes on 2 shared CPU cores; DETR converges slowly, and the
  validation table shows how far the curve had flattened when it stopped.
- Not calibrated: scores are softmax probabilities, and thresholds other than 0 (as used for mAP) change recall.
"""
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    log(f"card: wrote {out / 'MODEL_CARD.md'}")


# ---------------------------------------------------------------------------------------------------- entry

def run_training(args) -> None:
    log = RECIPE.start_training(args)
    settings = RECIPE.settings(args)
    for split in ("val", "test"):
        log(f"prepare: held-out {split} split {held_out_path(args, settings, split)}")
    if getattr(args, "prepare_only", False):
        return
    final = train_epochs(training_plan(args, settings), args, log)
    summary = export_folder(args, settings, log)
    report = check_folder(args, settings, log)
    metrics = evaluate(args, settings, log)
    write_json(RECIPE.work_dir(args) / "metrics.json", metrics)
    write_card(args, settings, final, summary, report, metrics, log)
    fail_unless_passed(report)


def run_evaluation(args) -> None:
    log = RECIPE.start_evaluation(args, threads=2)
    RECIPE.check_card(args, metric_lines(evaluate(args, RECIPE.settings(args), log)), log)
