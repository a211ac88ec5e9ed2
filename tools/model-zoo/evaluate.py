#!/usr/bin/python3
"""Recompute every metric in a recipe's MODEL_CARD.md from the exported weights and check them against the card.

Usage: /usr/bin/python3 tools/model-zoo/evaluate.py <recipe> [--smoke] [--out DIR]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recipes import RECIPES, load_recipe  # noqa: E402
from zoo.data import DataError  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recipe", choices=sorted(RECIPES))
    parser.add_argument("--smoke", action="store_true", help="evaluate the smoke run's model")
    parser.add_argument("--data", help="shared data directory (unused when the work dir holds prepared data)")
    parser.add_argument("--out", help="model folder whose MODEL_CARD.md is checked (default: models/<recipe>)")
    args = parser.parse_args()
    try:
        load_recipe(args.recipe).run_evaluation(args)
    except DataError as error:
        raise SystemExit(f"error: {error}") from None


if __name__ == "__main__":
    main()
