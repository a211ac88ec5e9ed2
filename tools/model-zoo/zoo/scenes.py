"""Synthetic shape scenes, deterministic by (seed, index): textured, noisy backgrounds with 1–6 rotated, coloured,
possibly occluding shapes, and their visible masks, boxes and labels written as COCO-style JSON
(https://cocodataset.org/#format-data) in exactly the form tools/eval/src/coco-scenes.ts reads.

Splits use different seeds (SPLIT_SEEDS): train 1001, val 2002, test 3003 — a scene is a pure function of its seed
and index, so no held-out scene can repeat a training scene's random draws. The held-out splits shared by the
vision recipes (HELD_OUT: val 300 and test 500 scenes of 320 x 256) live in tools/model-zoo/work/scenes/<split>/,
written on first use by `held_out_split`.
"""
from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .data import WORK_ROOT, DataError

CLASSES: list[str] = ["circle", "square", "triangle", "star", "cross", "ring", "crescent", "arrow"]
SPLIT_SEEDS: dict[str, int] = {"train": 1001, "val": 2002, "test": 3003}
HELD_OUT: dict[str, dict[str, int]] = {
    "val": {"count": 300, "width": 320, "height": 256},
    "test": {"count": 500, "width": 320, "height": 256},
}
SCENES_ROOT = WORK_ROOT / "scenes"

MAX_OBJECTS = 6
MIN_VISIBLE_FRACTION = 0.4  # an occluded object keeps at least this share of its own area
PLACEMENT_TRIES = 20
MIN_COLOUR_DISTANCE = 90.0  # RGB distance between an object's colour and the background under it


def _random_state(seed: int, index: int) -> np.random.RandomState:
    # SeedSequence mixes (seed, index) into independent streams; RandomState's stream is stable across NumPy versions.
    return np.random.RandomState(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def _regular_polygon(corners: int, phase: float = 0.0) -> list[tuple[float, float]]:
    return [(math.cos(phase + 2 * math.pi * k / corners), math.sin(phase + 2 * math.pi * k / corners)) for k in range(corners)]


def _outlines(category: str) -> tuple[list[tuple[float, float]], list[tuple[float, float]] | None]:
    """The shape in unit coordinates (radius about 1, centre 0): filled outline and optional hole cut from it."""
    if category == "circle":
        return _regular_polygon(64), None
    if category == "square":
        return _regular_polygon(4, math.pi / 4), None
    if category == "triangle":
        return _regular_polygon(3, -math.pi / 2), None
    if category == "star":
        points = []
        for k in range(10):
            radius = 1.0 if k % 2 == 0 else 0.42
            angle = -math.pi / 2 + math.pi * k / 5
            points.append((radius * math.cos(angle), radius * math.sin(angle)))
        return points, None
    if category == "cross":
        arm = 0.32
        return [(-arm, -1), (arm, -1), (arm, -arm), (1, -arm), (1, arm), (arm, arm),
                (arm, 1), (-arm, 1), (-arm, arm), (-1, arm), (-1, -arm), (-arm, -arm)], None
    if category == "ring":
        return _regular_polygon(64), [(0.55 * x, 0.55 * y) for x, y in _regular_polygon(64)]
    if category == "crescent":
        return _regular_polygon(64), [(0.45 + 0.85 * x, 0.85 * y) for x, y in _regular_polygon(64)]
    if category == "arrow":
        return [(-1, -0.3), (0.15, -0.3), (0.15, -0.75), (1, 0), (0.15, 0.75), (0.15, 0.3), (-1, 0.3)], None
    raise ValueError(f"unknown category {category!r}; expected one of {CLASSES}")


def _shape_mask(category: str, centre: tuple[float, float], radius: float, angle: float,
                width: int, height: int) -> np.ndarray:
    """Rasterise one rotated, scaled shape: bool [height, width]."""
    cosine, sine = math.cos(angle), math.sin(angle)

    def place(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(centre[0] + radius * (x * cosine - y * sine), centre[1] + radius * (x * sine + y * cosine))
                for x, y in points]

    outline, hole = _outlines(category)
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    draw.polygon(place(outline), fill=1)
    if hole is not None:
        draw.polygon(place(hole), fill=0)
    return np.asarray(canvas, dtype=bool)


def _background(random: np.random.RandomState, width: int, height: int) -> np.ndarray:
    """A gradient between two colours plus one texture (stripes, checks or blotches): float [height, width, 3]."""
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)  # [height, width] each
    first, second = random.uniform(0, 255, size=(2, 3))
    direction = random.uniform(0, 2 * math.pi)
    ramp = (cols * math.cos(direction) + rows * math.sin(direction)) / math.hypot(width, height) + 0.5
    image = first + (second - first) * ramp[..., None]  # [height, width, 3]
    texture_kind = random.randint(3)
    amplitude = random.uniform(12, 40)
    if texture_kind == 0:  # stripes at a random angle
        angle = random.uniform(0, math.pi)
        period = random.uniform(6, 30)
        texture = np.sin(2 * math.pi * (cols * math.cos(angle) + rows * math.sin(angle)) / period)
    elif texture_kind == 1:  # checks
        cell = random.randint(6, 28)
        texture = ((rows // cell + cols // cell) % 2) * 2.0 - 1.0
    else:  # blotches: coarse noise upsampled bilinearly
        coarse = random.uniform(-1, 1, size=(height // 24 + 2, width // 24 + 2)).astype(np.float32)
        texture = np.asarray(Image.fromarray(coarse, mode="F").resize((width, height), Image.BILINEAR), dtype=np.float64)
    tint = random.uniform(-1, 1, size=3)
    return image + amplitude * texture[..., None] * tint


def _object_colour(random: np.random.RandomState, under: np.ndarray) -> np.ndarray:
    """A colour at least MIN_COLOUR_DISTANCE from the mean background colour under the object (best of 20 draws)."""
    best, best_distance = None, -1.0
    for _ in range(20):
        colour = random.uniform(0, 255, size=3)
        distance = float(np.linalg.norm(colour - under))
        if distance > best_distance:
            best, best_distance = colour, distance
        if distance >= MIN_COLOUR_DISTANCE:
            break
    return best


def visible_bbox(mask: np.ndarray) -> list[float]:
    """[x, y, width, height] in pixels of the smallest box holding every True pixel of mask [height, width]."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return [float(cols[0]), float(rows[0]), float(cols[-1] - cols[0] + 1), float(rows[-1] - rows[0] + 1)]


def generate_scene(seed: int, index: int, width: int, height: int) -> tuple[Image.Image, list[dict]]:
    """Scene `index` of the stream `seed`: an RGB image and its objects, bottom to top.

    Each object is {"category_id": index into CLASSES, "bbox": [x, y, w, h] of the visible mask,
    "mask": bool [height, width] of the part not covered by objects drawn after it}.
    """
    random = _random_state(seed, index)
    image = _background(random, width, height)  # [height, width, 3]
    short_side = min(width, height)
    wanted = random.randint(1, MAX_OBJECTS + 1)
    full_masks: list[np.ndarray] = []
    visible_masks: list[np.ndarray] = []
    categories: list[int] = []
    for _ in range(wanted):
        category = random.randint(len(CLASSES))
        radius = random.uniform(0.07, 0.2) * short_side
        angle = random.uniform(0, 2 * math.pi)
        for _ in range(PLACEMENT_TRIES):
            centre = (random.uniform(radius, width - radius), random.uniform(radius, height - radius))
            mask = _shape_mask(CLASSES[category], centre, radius, angle, width, height)
            # Accept the placement only if every object below keeps enough of itself visible.
            if all((visible & ~mask).sum() >= MIN_VISIBLE_FRACTION * full.sum()
                   for full, visible in zip(full_masks, visible_masks)):
                break
        else:
            continue
        visible_masks = [visible & ~mask for visible in visible_masks]
        full_masks.append(mask)
        visible_masks.append(mask.copy())
        categories.append(category)
        colour = _object_colour(random, image[mask].mean(axis=0))
        shading = random.uniform(-0.15, 0.15) * (np.arange(width) - centre[0]) / radius  # [width]
        fill = colour * (1 + np.clip(shading, -0.3, 0.3))[None, :, None]  # [1, width, 3]
        image = np.where(mask[..., None], np.broadcast_to(fill, image.shape), image)
    image = image + random.normal(0, random.uniform(3, 12), size=image.shape)
    pixels = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    objects = [{"category_id": category, "bbox": visible_bbox(visible), "mask": visible}
               for category, visible in zip(categories, visible_masks)]
    return Image.fromarray(pixels, mode="RGB"), objects


def encode_rle(mask: np.ndarray) -> dict:
    """COCO's uncompressed RLE of a bool mask [height, width]: runs over the column-major (Fortran) flattening,
    alternating 0s and 1s and starting with 0s (a leading 0 count when the first pixel is set)."""
    flat = mask.flatten(order="F").astype(np.int8)
    boundaries = np.flatnonzero(np.diff(np.concatenate([[-1], flat, [-1]])))  # run starts, plus the end
    counts = np.diff(boundaries).tolist()
    if flat.size and flat[0] == 1:
        counts = [0] + counts
    return {"size": [int(mask.shape[0]), int(mask.shape[1])], "counts": [int(count) for count in counts]}


def decode_rle(rle: dict) -> np.ndarray:
    """The bool mask [height, width] of a COCO uncompressed RLE (inverse of encode_rle)."""
    height, width = rle["size"]
    if sum(rle["counts"]) != height * width:
        raise ValueError(f"RLE counts sum to {sum(rle['counts'])}, not height × width = {height * width}")
    values = np.arange(len(rle["counts"])) % 2 == 1  # runs alternate 0, 1, 0, …
    flat = np.repeat(values, rle["counts"])
    return flat.reshape((height, width), order="F")


def write_coco_split(folder: Path, seed: int, count: int, width: int, height: int) -> Path:
    """Write scenes 0..count-1 of stream `seed` as folder/images/NNNNNN.png (image ids 1..count) and
    folder/annotations.json (categories = CLASSES with ids 0..; visible masks as uncompressed RLE). Returns the JSON."""
    folder = Path(folder)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    images, annotations = [], []
    for index in range(count):
        image, objects = generate_scene(seed, index, width, height)
        image_id = index + 1
        file_name = f"images/{image_id:06d}.png"
        image.save(folder / file_name)
        images.append({"id": image_id, "file_name": file_name, "width": width, "height": height})
        for scene_object in objects:
            annotations.append({
                "id": len(annotations) + 1,
                "image_id": image_id,
                "category_id": scene_object["category_id"],
                "bbox": scene_object["bbox"],
                "area": int(scene_object["mask"].sum()),
                "iscrowd": 0,
                "segmentation": encode_rle(scene_object["mask"]),
            })
    document = {
        "info": {"description": f"attn synthetic shape scenes, seed {seed}, {count} images of {width} x {height}"},
        "images": images,
        "categories": [{"id": category_id, "name": name} for category_id, name in enumerate(CLASSES)],
        "annotations": annotations,
    }
    path = folder / "annotations.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def held_out_split(split: str, count: int, width: int, height: int, root: Path = SCENES_ROOT) -> Path:
    """root/<split>/annotations.json of `count` scenes of stream SPLIT_SEEDS[split], written if absent.

    Written into a temporary folder and renamed, so a recipe running beside another never reads half a split;
    an existing split of another count or size fails (DataError) rather than being mixed with this one.
    """
    folder = Path(root) / split
    path = folder / "annotations.json"
    if not path.exists():
        temporary = Path(root) / f".{split}-{os.getpid()}"
        shutil.rmtree(temporary, ignore_errors=True)
        write_coco_split(temporary, SPLIT_SEEDS[split], count, width, height)
        try:
            temporary.rename(folder)
        except OSError:  # another process wrote the same split first
            shutil.rmtree(temporary)
    images = json.loads(path.read_text(encoding="utf-8"))["images"]
    sizes = {(image["width"], image["height"]) for image in images}
    if len(images) != count or sizes != {(width, height)}:
        raise DataError(
            f"held-out {split} split: {path} holds {len(images)} scenes of sizes {sorted(sizes)}, expected {count} of "
            f"{width} x {height}; it was written with other settings: delete {folder} and the next run writes the "
            f"{split} split again"
        )
    return path
