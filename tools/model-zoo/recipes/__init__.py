"""Model zoo recipes: one module per model, each exposing `run_training(args)` and `run_evaluation(args)`."""
from __future__ import annotations

import importlib

RECIPES = {"mt-en-de": "recipes.mt_en_de"}


def load_recipe(name: str):
    if name not in RECIPES:
        raise SystemExit(f"unknown recipe {name!r}; expected one of: {', '.join(sorted(RECIPES))}")
    return importlib.import_module(RECIPES[name])
