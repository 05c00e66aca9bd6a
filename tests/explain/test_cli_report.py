"""End to end: `python -m tfgan_kit.explain` on a saved model and a Broden-style folder."""

import csv
import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgan_kit.explain import parse
from tfgan_kit.explain.cli import main
from tfgan_kit.explain.formula import And, Leaf, Not
from tfgan_kit.explain.report import overlay_tile

from .broden_folder import write_broden


def _np_mask(formula, masks):
    if isinstance(formula, Leaf):
        return masks[formula.name]
    if isinstance(formula, Not):
        return ~_np_mask(formula.operand, masks)
    op = np.logical_and if isinstance(formula, And) else np.logical_or
    return op(_np_mask(formula.left, masks), _np_mask(formula.right, masks))


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    root = tmp_path_factory.mktemp("probe")
    expected = write_broden(str(root / "broden"), n=6, size=8)
    keras.utils.set_random_seed(0)
    inputs = keras.Input((8, 8, 3))
    conv = keras.layers.Conv2D(4, 3, strides=2, padding="same", name="conv")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(conv)))
    model.save(str(root / "model.keras"))
    return root, expected, model


def test_cli_writes_report_with_correct_ious(probe):
    root, expected, model = probe
    out = root / "report"
    summary = main(["--keras_model", str(root / "model.keras"), "--layer", "conv",
                    "--concepts", str(root / "broden"), "--out", str(out), "--quantile", "0.05"])
    assert "of 4 units of layer 'conv'" in summary
    with open(out / "explanations.csv") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["unit"]) for r in rows] == [0, 1, 2, 3]
    records = json.load(open(out / "explanations.json"))["units"]
    assert [r["formula"] for r in records] == [r["formula"] for r in rows]
    assert open(out / "summary.txt").read().strip() == summary
    interpretable = sum(float(r["iou"]) > 0.04 for r in rows)
    assert summary.startswith(f"{interpretable} of 4 units")
    for unit, row in zip(range(4), rows):
        figure = Image.open(out / "units" / f"unit_{unit:04d}.png")
        # Top 5 of 6 images, 8x8 tiles scaled to 64 (a 328 px strip), enlarged x2, plus the title.
        assert figure.size[0] == 2 * (5 * 64 + 4 * 2) and figure.size[1] > 2 * 64
        title = figure.text["Title"]
        assert title.startswith(f"layer conv · unit {unit} · formula {row['formula']} · IoU ")
        assert f"IoU {float(row['iou']):.3f}" in title
        single = f"{row['best_single']} (IoU {float(row['best_single_iou']):.3f})"
        assert title.endswith(f" · best single {single}")

    # Independent recomputation: images as the loader reads them, conv activations, quantile
    # threshold, TF bilinear upsampling, then the IoU of each reported formula.
    images = np.stack([np.full((8, 8, 3), 40 * i / 127.5 - 1.0, np.float32) for i in range(6)])
    kernel, bias = model.get_layer("conv").get_weights()
    acts = tf.nn.conv2d(images, kernel, 2, "SAME").numpy() + bias
    for row in rows:
        u = int(row["unit"])
        threshold = np.quantile(acts[..., u], 0.95)
        unit = tf.image.resize(acts[..., u : u + 1], (8, 8)).numpy()[..., 0] > threshold
        if row["formula"] == "NONE":
            continue
        mask = _np_mask(parse(row["formula"]), expected)
        union = (mask | unit).sum()
        assert float(row["iou"]) == pytest.approx((mask & unit).sum() / union, abs=1e-5)
        assert int(row["length"]) == parse(row["formula"]).length


def test_cli_as_module_subprocess(probe):
    root, _, _ = probe
    out = root / "report_module"
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.explain", "--keras_model", str(root / "model.keras"),
         "--layer", "conv", "--concepts", str(root / "broden"), "--out", str(out),
         "--units", "1,2"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "of 2 units" in result.stdout
    assert sorted(os.listdir(out / "units")) == ["unit_0001.png", "unit_0002.png"]


def test_overlay_dims_outside_and_outlines_the_mask():
    image = np.ones((4, 4, 3), np.float32)  # white
    mask = np.zeros((4, 4), bool)
    mask[:, :2] = True
    tile = np.asarray(overlay_tile(image, mask))
    assert tile.shape == (64, 64, 3)  # upscaled x16 to at least 64 pixels
    np.testing.assert_array_equal(tile[:, 40:], np.full((64, 24, 3), int(255 * 0.35)))
    np.testing.assert_array_equal(tile[20:40, 8:24], np.full((20, 16, 3), 255))
    np.testing.assert_array_equal(tile[30, 31], (255, 40, 40))  # the mask's right edge is red
