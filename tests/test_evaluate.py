"""`python -m tfgan_kit.evaluate` end to end on a GAN trained for a few steps on digits."""

import json
import math
import os
import re
import subprocess
import sys

import keras
import numpy as np
import pytest
from PIL import Image

from tfgan_kit.data import digits, digits_arrays
from tfgan_kit.evaluate import evaluate
from tfgan_kit.export import load_generator, export_model
from tfgan_kit.metrics import ms_ssim_diversity
from tfgan_kit.models import GAN
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL_KEYS = {"fid", "kid", "kid_std", "is", "is_std", "precision", "recall", "density",
            "coverage", "swd_x1e3_8", "swd_x1e3_avg", "ms_ssim", "parzen_log_likelihood",
            "parzen_standard_error", "parzen_sigma"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A DCGAN trained for 6 steps on 8x8 digits, exported with export_model."""
    model = GAN(dcgan_generator(8, 8, 1, base_filters=16), dcgan_discriminator(8, 1, base_filters=16),
                latent_dim=8)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(digits(batch_size=32, image_size=8), epochs=2, steps_per_epoch=3, verbose=0)
    folder = tmp_path_factory.mktemp("evaluate")
    export_dir = str(folder / "generator")
    export_model(model, export_dir)
    return export_dir, str(folder / "classifier.keras")


def test_cli_writes_every_requested_metric(exported, tmp_path):
    export_dir, classifier = exported
    out = tmp_path / "metrics.json"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.evaluate", f"--saved_model={export_dir}",
         "--dataset=digits", "--metrics=fid,kid,is,prdc,swd,ms_ssim,parzen",
         "--num_samples=300", f"--out={out}", f"--classifier_path={classifier}",
         f"--interpolation_png={tmp_path / 'walk.png'}", "--interpolation_method=slerp"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert set(report["metrics"]) == ALL_KEYS
    assert all(math.isfinite(value) for value in report["metrics"].values())
    assert (report["num_generated"], report["num_real"]) == (300, 300)
    assert report["features"] == "digits_classifier_8" and os.path.exists(classifier)
    # 8 interpolations x 10 steps of 8x8 images with 1-pixel padding.
    assert Image.open(tmp_path / "walk.png").size == (10 * 9 + 1, 8 * 9 + 1)
    assert 0 <= report["metrics"]["precision"] <= 1 and 1 <= report["metrics"]["is"] <= 10
    # Independent: the same seeded z through the loaded generator gives the same MS-SSIM.
    generate, latent_dim = load_generator(export_dir)
    z = np.random.default_rng(0).standard_normal((300, latent_dim)).astype(np.float32)
    expected = ms_ssim_diversity(np.asarray(generate(z)))
    assert report["metrics"]["ms_ssim"] == pytest.approx(expected, rel=1e-6)


def test_images_dir_of_real_digits_scores_far_better_than_the_barely_trained_gan(exported, tmp_path):
    export_dir, classifier = exported
    folder = tmp_path / "pngs"
    folder.mkdir()
    real = digits_arrays(8)[-400:]
    for i, image in enumerate(real):
        pixels = np.round((image[..., 0] + 1) * 127.5).astype(np.uint8)
        Image.fromarray(pixels).save(folder / f"{i:04d}.png")
    kwargs = dict(dataset="digits", metrics="fid,prdc", num_samples=400,
                  classifier_path=classifier)
    from_pngs = evaluate(images_dir=str(folder), **kwargs)
    from_gan = evaluate(saved_model=export_dir, **kwargs)
    assert from_pngs["num_generated"] == 400
    assert from_pngs["metrics"]["fid"] < 0.2 * from_gan["metrics"]["fid"]
    assert from_pngs["metrics"]["coverage"] > from_gan["metrics"]["coverage"]


def test_bad_input_names_the_flag_to_fix(exported, tmp_path):
    export_dir, _ = exported
    with pytest.raises(ValueError, match="exactly one of --saved_model"):
        evaluate(saved_model=export_dir, images_dir=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="No .png files in --images_dir"):
        evaluate(images_dir=str(tmp_path))
    with pytest.raises(ValueError, match="Unknown or empty metric names"):
        evaluate(saved_model=export_dir, metrics="fid,inception")
    with pytest.raises(ValueError, match="pass --inception_weights=PATH"):
        evaluate(saved_model=export_dir, dataset="mnist", metrics="fid", num_samples=10)
    with pytest.raises(FileNotFoundError, match=r"run `tfds build mnist`.*--data_dir=DIR"):
        evaluate(saved_model=export_dir, dataset="mnist", metrics="swd", num_samples=10,
                 data_dir=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="No SavedModel"):
        evaluate(saved_model=str(tmp_path / "none"))


def _write_unreadable_pngs(folder):
    """``folder/random/x.png`` (random bytes) and ``folder/truncated/y.png`` (half a PNG)."""
    pixels = np.random.default_rng(0).integers(0, 256, (8, 8), dtype=np.uint8)
    for name in ("random", "truncated"):
        (folder / name).mkdir()
        Image.fromarray(pixels).save(folder / name / "a.png")  # a good file first
    (folder / "random" / "x.png").write_bytes(np.random.default_rng(1).bytes(300))
    whole = (folder / "random" / "a.png").read_bytes()
    (folder / "truncated" / "y.png").write_bytes(whole[: len(whole) // 2])


def test_unreadable_pngs_and_missing_inputs_are_named_before_any_work(tmp_path):
    _write_unreadable_pngs(tmp_path)
    with pytest.raises(ValueError, match=r"Cannot read .*random/x\.png in --images_dir .*remove"):
        evaluate(images_dir=str(tmp_path / "random"), metrics="swd")
    with pytest.raises(ValueError, match=r"Cannot read .*y\.png in --images_dir \(image file is "
                                         r"truncated\)"):
        evaluate(images_dir=str(tmp_path / "truncated"), metrics="swd")
    with pytest.raises(FileNotFoundError, match="--images_dir=.*missing is not a folder"):
        evaluate(images_dir=str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="--inception_weights=.*none.h5 is not a file"):
        evaluate(images_dir=str(tmp_path / "random"), metrics="fid",
                 inception_weights=str(tmp_path / "none.h5"))
    with pytest.raises(ValueError, match="--classifier_path=.* is a folder"):
        evaluate(images_dir=str(tmp_path / "random"), metrics="fid", classifier_path=str(tmp_path))
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "saved_model.pb").write_bytes(b"not a protocol buffer \x00\x01")
    with pytest.raises(ValueError, match="Cannot read the SavedModel in .*garbage .*pass --saved"):
        evaluate(saved_model=str(tmp_path / "garbage"), metrics="swd")


@pytest.mark.parametrize("args, match", [
    (["--images_dir={tmp}/random", "--out={tmp}/m.json"],
     r"error: Cannot read .*x\.png in --images_dir \(cannot identify image file"),
    (["--images_dir={tmp}/truncated", "--out={tmp}"], r"error: --out=.* is a folder"),
    (["--images_dir={tmp}/truncated", "--out={tmp}/m.json", "--num_samples=many"],
     r"error: flag --num_samples=many: .*\(see --helpshort\)"),
])
def test_cli_mistakes_end_in_one_error_line(tmp_path, args, match):
    _write_unreadable_pngs(tmp_path)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.evaluate", "--metrics=swd",
         *(arg.format(tmp=tmp_path) for arg in args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert re.match(match, last), result.stderr[-2000:]
    assert sum(line.startswith("error:") for line in result.stderr.splitlines()) == 1
