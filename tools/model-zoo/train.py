#!/usr/bin/python3
"""Train a model-zoo recipe end to end: data preparation → training → selection → ONNX export → evaluation → card.

Usage: /usr/bin/python3 tools/model-zoo/train.py <recipe> [--smoke] [--data DIR] [--resume] [--out DIR] [--epochs N]
       [--deadline HH:MM] [--prepare-only]
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
    parser.add_argument("--smoke", action="store_true", help="a few steps on a few examples; output under work/")
    parser.add_argument("--data", help="shared data directory (default: $ATTN_DATA or ../shared/data)")
    parser.add_argument("--resume", action="store_true", help="continue from tools/model-zoo/work/<recipe>/")
    parser.add_argument("--out", help="model folder to write (default: models/<recipe>, smoke: work/<recipe>-smoke/model)")
    parser.add_argument("--epochs", type=int, help="override the recipe's number of epochs")
    parser.add_argument("--prepare-only", action="store_true", help="only prepare the data (and held-out sets) under work/")
    parser.add_argument("--deadline", help="HH:MM UTC: stop training after the last epoch that ends before it")
    parser.add_argument("--threads", type=int, choices=(1, 2),
                        help="intra-op threads while training (default: measured, 1 or 2); pin 1 when other jobs share the cores")
    args = parser.parse_args()
    try:
        load_recipe(args.recipe).run_training(args)
    except DataError as error:
        raise SystemExit(f"error: {error}") from None


if __name__ == "__main__":
    main()
