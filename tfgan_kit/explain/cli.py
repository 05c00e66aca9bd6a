"""Command line: explain the units of a saved Keras model's layer on a Broden-style folder.

    python -m tfgan_kit.explain --keras_model model.keras --layer conv2 --concepts broden/ \
        --out report/

Writes the report of :func:`tfgan_kit.explain.report.write_report` and prints its summary line.
"""

from __future__ import annotations

import argparse
import os
from typing import Sequence

import keras
import numpy as np

from tfgan_kit.explain.activations import DEFAULT_QUANTILE
from tfgan_kit.explain.broden import load_broden
from tfgan_kit.explain.dissect import dissect
from tfgan_kit.explain.report import write_report


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m tfgan_kit.explain``."""
    parser = argparse.ArgumentParser(
        prog="python -m tfgan_kit.explain",
        description="Compositional explanations of neurons (Mu & Andreas, NeurIPS 2020).",
    )
    parser.add_argument("--keras_model", required=True, help="a .keras model file")
    parser.add_argument("--layer", required=True, help="name of a convolutional layer")
    parser.add_argument(
        "--concepts", required=True, help="Broden-style folder (index.csv, label.csv, images/)"
    )
    parser.add_argument("--out", required=True, help="report folder")
    parser.add_argument("--beam_size", type=int, default=5)
    parser.add_argument("--max_length", type=int, default=3)
    parser.add_argument("--complexity_penalty", type=float, default=1.0)
    parser.add_argument("--quantile", type=float, default=DEFAULT_QUANTILE)
    parser.add_argument("--units", default="", help="comma-separated unit indices (default: all)")
    parser.add_argument("--max_images", type=int, default=None)
    parser.add_argument("--batch_size", type=int, default=64)
    return parser


def _parse_units(text: str) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(u) for u in text.split(",")]
    except ValueError:
        raise ValueError(
            f"--units must be comma-separated integers, e.g. 0,3,7. Received: {text!r}"
        ) from None


def main(argv: Sequence[str] | None = None) -> str:
    """Runs the command line; returns the summary line."""
    args = build_parser().parse_args(argv)
    if not os.path.isfile(args.keras_model):
        raise FileNotFoundError(
            f"--keras_model {args.keras_model!r} does not exist; pass a .keras file."
        )
    units = _parse_units(args.units)
    model = keras.saving.load_model(args.keras_model)
    if not model.inputs:
        raise ValueError(
            f"{args.keras_model} has no symbolic inputs; save a functional or Sequential model."
        )
    input_shape = model.inputs[0].shape
    image_size = tuple(input_shape[1:3])
    if None in image_size:  # a fully convolutional model takes the files' size
        image_size = None
    probe = load_broden(args.concepts, image_size, max_images=args.max_images)
    images = probe.images
    if input_shape[-1] == 1:
        images = images.mean(axis=-1, keepdims=True)
    result = dissect(
        model, args.layer, images, probe.concepts, units, args.beam_size, args.max_length,
        args.complexity_penalty, args.quantile, args.batch_size,
    )
    summary = write_report(result, args.out, images, probe.concepts)
    print(summary)
    return summary
