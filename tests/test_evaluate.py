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
from tfgan_kit.evaluate import evaluate, evaluate_images, format_table, split_real_images
from tfgan_kit.export import load_generator, export_model
from tfgan_kit.metrics import ms_ssim_diversity
from tfgan_kit.metrics.features import ClassifierFeatures, Features, train_digits_classifier
from tfgan_kit.metrics.suite import METRIC_KEYS, compute_metrics, metric_info
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


def _run_cli(*args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run([sys.executable, "-m", "tfgan_kit.evaluate", *args], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_cli_writes_every_requested_metric(exported, tmp_path):
    export_dir, classifier = exported
    out = tmp_path / "metrics.json"
    stdout = _run_cli(
        f"--saved_model={export_dir}", "--dataset=digits",
        "--metrics=fid,kid,is,prdc,swd,ms_ssim,parzen", "--num_samples=300", f"--out={out}",
        f"--classifier_path={classifier}", f"--interpolation_png={tmp_path / 'walk.png'}",
        "--interpolation_method=slerp")
    report = json.loads(out.read_text())
    assert set(report["metrics"]) == ALL_KEYS
    # Beside each metric: its held-out real floor (300 of the digits, disjoint from the 300
    # reference ones), and its unit and direction.
    assert set(report["floor"]) == ALL_KEYS and report["floor_count"] == 300
    assert "300 held-out images disjoint from the 300 reference" in report["floor_source"]
    assert set(report["metric_info"]) == ALL_KEYS
    assert report["metric_info"]["fid"]["better"] == "lower"
    assert "digits_classifier_8 features" in report["metric_info"]["fid"]["unit"]
    assert report["metric_info"]["ms_ssim"]["floor_kind"] == "real data"
    assert report["floor"]["fid"] < 0.2 * report["metrics"]["fid"]
    # One progress line per metric for the generated set and for the floor, then the table.
    for label in ("generated", "floor"):
        for name in ("features", *METRIC_KEYS):
            assert re.search(rf"^{label} +{name} +done in \d+\.\d s$", stdout, re.M), stdout
    header = next(line for line in stdout.splitlines() if line.startswith("metric "))
    assert header.split() == ["metric", "generated", "held-out", "real", "as", "better", "unit"]
    fid_row = next(line for line in stdout.splitlines() if line.startswith("fid "))
    assert fid_row.split()[1:5] == [f"{report['metrics']['fid']:.4g}",
                                    f"{report['floor']['fid']:.4g}", "floor", "lower"]
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

    # --floor=false skips the floor; the reference images, hence the scores, are unchanged.
    out_no_floor = tmp_path / "no_floor.json"
    stdout = _run_cli(f"--saved_model={export_dir}", "--metrics=swd,ms_ssim",
                      "--num_samples=300", "--floor=false", f"--out={out_no_floor}")
    no_floor = json.loads(out_no_floor.read_text())
    assert no_floor["floor"] is None and no_floor["floor_count"] is None
    assert not re.search(r"^floor ", stdout, re.M) and "held-out real" not in stdout
    for key in ("swd_x1e3_8", "swd_x1e3_avg", "ms_ssim"):
        assert no_floor["metrics"][key] == report["metrics"][key]


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


@pytest.fixture(scope="module")
def digits_extractor(exported):
    """ClassifierFeatures of the module's cached 8x8 digits classifier."""
    return ClassifierFeatures(train_digits_classifier(8, cache_path=exported[1]), "features")


def test_real_digits_as_the_generator_score_near_the_floor_and_noise_far_above(exported,
                                                                             digits_extractor):
    _, classifier = exported
    images = digits_arrays(8)
    order = np.random.default_rng(0).permutation(len(images))  # the evaluate split, seed 0
    reference, held_out = images[order[:300]], images[order[300:600]]
    real_generator = images[order[600:900]]  # real digits neither reference nor held out
    noise = np.random.default_rng(1).uniform(-1, 1, real_generator.shape).astype(np.float32)
    kwargs = dict(dataset="digits", metrics="fid,prdc,swd", classifier_path=classifier,
                  verbose=False)
    real_report = evaluate_images(real_generator, **kwargs)
    noise_report = evaluate_images(noise, floor=False, **kwargs)
    assert noise_report["metrics"]["fid"] != real_report["metrics"]["fid"]
    floor = real_report["floor"]
    # The floor is honestly held-out real against the reference, with the same extractor.
    expected = compute_metrics("fid,prdc", reference, held_out, extractor=digits_extractor)
    assert {key: floor[key] for key in expected} == pytest.approx(expected, rel=1e-9)
    assert real_report["metrics"]["fid"] == pytest.approx(floor["fid"], rel=0.5)
    assert noise_report["metrics"]["fid"] > 20 * floor["fid"]
    assert real_report["metrics"]["swd_x1e3_avg"] == pytest.approx(floor["swd_x1e3_avg"],
                                                                  rel=0.5)
    assert noise_report["metrics"]["swd_x1e3_avg"] > 5 * floor["swd_x1e3_avg"]
    assert abs(real_report["metrics"]["coverage"] - floor["coverage"]) < 0.1
    assert noise_report["metrics"]["coverage"] < 0.1


def test_fewer_held_out_than_generated_images_is_reported():
    fake = np.random.default_rng(0).uniform(-1, 1, (1000, 8, 8, 1)).astype(np.float32)
    report = evaluate_images(fake, metrics="ms_ssim", verbose=False)
    # digits: 898 held-out images (half of 1797) and the 899 others as the reference.
    assert (report["floor_count"], report["num_real"], report["num_generated"]) == (898, 899,
                                                                                   1000)
    assert 0 < report["floor"]["ms_ssim"] < 1
    assert "floor_count 898 < 1000 generated" in format_table(report)


def test_tfds_floor_is_a_disjoint_slice_or_the_floor_split(monkeypatch):
    def fake_loader(dataset, image_size, channels, num_images, split, data_dir, seed):
        offset = {"train": 0, "test": 10_000}[split]
        return np.arange(offset, offset + min(num_images, 500), dtype=np.float32)

    monkeypatch.setattr("tfgan_kit.evaluate.load_real_images", fake_loader)
    reference, held_out, source = split_real_images("mnist", 8, 1, 200, 100)
    assert list(reference) == list(range(200)) and list(held_out) == list(range(200, 300))
    reference, held_out, source = split_real_images("mnist", 8, 1, 200, 100,
                                                    floor_split="test")
    assert list(reference) == list(range(200)) and held_out[0] == 10_000
    assert len(held_out) == 100 and "split 'test'" in source
    reference, held_out, _ = split_real_images("mnist", 8, 1, 400, 300)  # the split runs short
    assert len(reference) == 400 and len(held_out) == 100
    reference, held_out, _ = split_real_images("mnist", 8, 1, 200, 100, load_held_out=False)
    assert len(reference) == 200 and held_out is None


class _FakeExtractor:
    """Random-projection features and softmax 'class probabilities' of the pixels."""

    def __call__(self, images):
        flat = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
        projection = np.random.default_rng(0).normal(size=(flat.shape[1], 12))
        features = flat @ projection
        logits = features[:, :10]
        probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
        return Features(features, probabilities / probabilities.sum(axis=1, keepdims=True))


@pytest.mark.parametrize("size", [8, 32])
def test_every_key_compute_metrics_returns_has_a_unit_and_a_direction(size):
    rng = np.random.default_rng(0)
    real, fake = (rng.uniform(-1, 1, (20, size, size, 1)).astype(np.float32) for _ in range(2))
    calls = []
    results = compute_metrics(list(METRIC_KEYS), real, fake, extractor=_FakeExtractor(),
                              on_metric=lambda name, values, seconds: calls.append(
                                  (name, values, seconds)))
    assert [name for name, _, _ in calls] == ["features", *METRIC_KEYS]
    assert all(seconds >= 0 for _, _, seconds in calls)
    assert {key: value for _, values, _ in calls for key, value in values.items()} == results
    assert results == compute_metrics(list(METRIC_KEYS), real, fake, extractor=_FakeExtractor())
    assert ("swd_x1e3_16" in results) == (size == 32)
    for key in results:
        info = metric_info(key, features="my_features")
        assert info["unit"] and "{" not in info["unit"], key
        assert info["better"] in {"lower", "higher", "~1", "closer to real", "-"}, key
        assert info["floor_kind"] in {"floor", "real data"} and info["paper"], key
    assert "my_features" in metric_info("fid", features="my_features")["unit"]
    assert f"{size}x{size}" in metric_info(f"swd_x1e3_{size}")["unit"]
    with pytest.raises(KeyError):
        metric_info("fid_x1e3")
