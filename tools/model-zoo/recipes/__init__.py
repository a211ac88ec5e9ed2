"""Model zoo recipes: each name maps to a module exposing `run_training(args)` and `run_evaluation(args)`, or to a
module with `run_training_for(name)` / `run_evaluation_for(name)` when one module holds several recipes."""
from __future__ import annotations

import importlib
from types import SimpleNamespace

RECIPES = {
    "mt-en-de": "recipes.mt_en_de",
    "gru-attention": "recipes.gru_ablation",
    "gru-plain": "recipes.gru_ablation",
    "sum-captions": "recipes.sum_captions",
    "qa-captions": "recipes.qa_captions",
    "chat-dailydialog": "recipes.chat_dailydialog",
    "vit-shapes": "recipes.vit_shapes",
    "detr-shapes": "recipes.detr_shapes",
    "whisper-espeak": "recipes.whisper_espeak",
}


def load_recipe(name: str):
    if name not in RECIPES:
        raise SystemExit(f"unknown recipe {name!r}; expected one of: {', '.join(sorted(RECIPES))}")
    module = importlib.import_module(RECIPES[name])
    if hasattr(module, "run_training_for"):
        return SimpleNamespace(run_training=module.run_training_for(name), run_evaluation=module.run_evaluation_for(name))
    return module
