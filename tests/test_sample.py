"""`tfgan_kit.sample` on small SavedModels of every input kind, written here with ExportArchive."""

import os
import re
import subprocess
import sys
import types

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgan_kit.sample import draw, sample, summarize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _export(folder, model, endpoints):
    """Writes ``model`` with ``endpoints`` ``{name: (fn, [TensorSpec, ...])}``; returns the path."""
    archive = keras.export.ExportArchive()
    archive.track(model)
    for name, (fn, specs) in endpoints.items():
        archive.add_endpoint(name=name, fn=fn, input_signature=specs)
    archive.write_out(str(folder), verbose=False)
    return str(folder)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One SavedModel per input kind, and the Keras models they serve."""
    keras.utils.set_random_seed(0)
    root = tmp_path_factory.mktemp("sample")
    generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="tanh"),
                                  keras.layers.Reshape((4, 4, 1))])
    translator = keras.Sequential([keras.Input((None, None, 3)),
                                   keras.layers.Conv2D(3, 1, activation="tanh")])
    mover = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    classifier = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                                   keras.layers.Dense(3, activation="softmax")])
    z = tf.TensorSpec((None, 4), tf.float32, name="z")
    label = tf.TensorSpec((None,), tf.int32, name="label")
    categorical = tf.TensorSpec((None, 2), tf.int32, name="categorical")
    continuous = tf.TensorSpec((None, 2), tf.float32, name="continuous")

    def coded(z, categorical, continuous):  # InfoGAN's serving inputs (Chen et al. 2016)
        codes = tf.concat([tf.cast(categorical, tf.float32), continuous], -1)
        return {"images": generator(z) + tf.reduce_sum(codes, -1)[:, None, None, None]}
    points = tf.TensorSpec((None, 2), tf.float32, name="points")

    def conditional(z, label):
        shift = 0.1 * tf.cast(label, tf.float32)[:, None, None, None]
        return {"images": generator(z) + shift}

    return types.SimpleNamespace(
        generator=generator, translator=translator, mover=mover, root=root,
        gan=_export(root / "gan", generator, {
            "serving_default": (lambda z: {"images": generator(z)}, [z])}),
        cgan=_export(root / "cgan", generator, {"serving_default": (conditional, [z, label])}),
        infogan=_export(root / "infogan", generator, {
            "serving_default": (coded, [z, categorical, continuous])}),
        translation=_export(root / "translation", translator, {
            "serving_default": (lambda images: {"images": translator(images)},
                                [tf.TensorSpec((None, 8, 8, 3), tf.float32, name="images")]),
            "rgba": (lambda images: {"images": translator(images[..., :3])},
                     [tf.TensorSpec((None, 8, 8, 4), tf.float32, name="images")])}),
        points=_export(root / "points", mover, {
            "a_to_b": (lambda points: {"points": mover(points)}, [points]),
            "b_to_a": (lambda points: {"points": -points}, [points])}),
        classifier=_export(root / "classifier", classifier, {
            "serving_default": (lambda images: {"probabilities": classifier(images)},
                                [tf.TensorSpec((None, 8, 8, 1), tf.float32, name="images")])}),
    )


def _write_pngs(folder, pixels):
    folder.mkdir()
    for i, image in enumerate(pixels):
        Image.fromarray(image.squeeze()).save(folder / f"{i:03d}.png")
    return str(folder)


def test_same_seed_gives_the_model_applied_to_the_documented_z_draw(exported):
    first = sample(exported.gan, num=6, seed=3)
    again = sample(exported.gan, num=6, seed=3)
    z = tf.random.stateless_normal([6, 4], seed=[3, 0])
    np.testing.assert_array_equal(first["inputs"]["z"], z.numpy())
    np.testing.assert_array_equal(first["outputs"]["images"], again["outputs"]["images"])
    np.testing.assert_allclose(first["outputs"]["images"], exported.generator(z), atol=1e-6)
    other = sample(exported.gan, num=6, seed=4)["outputs"]["images"]
    assert not np.allclose(other, first["outputs"]["images"])


def test_label_reaches_the_model_and_is_required(exported):
    zero = sample(exported.cgan, num=4, seed=0, label=0)
    two = sample(exported.cgan, num=4, seed=0, label=2)
    np.testing.assert_array_equal(two["inputs"]["label"], [2, 2, 2, 2])
    np.testing.assert_allclose(two["outputs"]["images"] - zero["outputs"]["images"], 0.2,
                               atol=1e-6)
    cycled = sample(exported.cgan, num=5, seed=0, labels_cycle=3)
    np.testing.assert_array_equal(cycled["inputs"]["label"], [0, 1, 2, 0, 1])
    with pytest.raises(ValueError, match="pass --label=K for one class, or --labels_cycle=K"):
        sample(exported.cgan, num=4, seed=0)
    with pytest.raises(ValueError, match="--label/--labels_cycle is not used by signature"):
        sample(exported.gan, num=4, seed=0, label=1)


def test_images_dir_round_trips_and_draws_input_output_pairs(exported, tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, (5, 8, 8, 3), dtype=np.uint8)
    folder = _write_pngs(tmp_path / "pngs", pixels)
    result = sample(exported.translation, num=4, seed=0, images_dir=folder)
    expected_inputs = pixels[:4].astype(np.float32) / 127.5 - 1.0
    np.testing.assert_allclose(result["inputs"]["images"], expected_inputs, atol=1e-6)
    np.testing.assert_allclose(result["outputs"]["images"],
                               exported.translator(expected_inputs), atol=1e-6)
    path = draw(result, str(tmp_path / "pairs.png"))
    grid = np.asarray(Image.open(path))
    assert grid.shape == (4 * 9 + 1, 2 * 9 + 1, 3)  # 4 rows of input | output, 1-pixel padding
    np.testing.assert_array_equal(grid[1:9, 1:9], pixels[0])
    np.testing.assert_array_equal(grid[10:18, 1:9], pixels[1])


def test_grey_images_are_resized_and_converted_to_rgb(exported, tmp_path):
    folder = _write_pngs(tmp_path / "grey", np.full((2, 16, 16), 200, np.uint8))
    images = sample(exported.translation, num=8, seed=0, images_dir=folder)["inputs"]["images"]
    assert images.shape == (2, 8, 8, 3)
    np.testing.assert_allclose(images, 200 / 127.5 - 1.0, atol=1e-6)


def test_two_signatures_are_selectable_and_drawn_over_their_inputs(exported, tmp_path):
    points = np.random.default_rng(1).normal(size=(7, 2)).astype(np.float32)
    np.save(tmp_path / "a.npy", points)
    kwargs = dict(num=5, seed=0, input_npy=str(tmp_path / "a.npy"))
    a_to_b = sample(exported.points, signature="a_to_b", **kwargs)["outputs"]["points"]
    b_to_a = sample(exported.points, signature="b_to_a", **kwargs)
    np.testing.assert_allclose(a_to_b, exported.mover(points[:5]), atol=1e-6)
    np.testing.assert_array_equal(b_to_a["outputs"]["points"], -points[:5])
    assert Image.open(draw(b_to_a, str(tmp_path / "scatter.png"))).size == (512, 512)


def test_probabilities_are_summarized_but_not_drawn(exported, tmp_path):
    pixels = np.random.default_rng(2).integers(0, 256, (6, 8, 8), dtype=np.uint8)
    result = sample(exported.classifier, num=64, seed=0,
                    images_dir=_write_pngs(tmp_path / "digits", pixels))
    probabilities = result["outputs"]["probabilities"]
    assert probabilities.shape == (6, 3)
    classes, counts = np.unique(probabilities.argmax(1), return_counts=True)
    listed = ", ".join(f"{c}: {k}" for c, k in zip(classes, counts))
    assert summarize("probabilities", probabilities) == \
        f"probabilities [6, 3]: argmax class counts {{{listed}}}"
    with pytest.raises(ValueError, match="cannot be drawn .* pass --npy=FILE.npy"):
        draw(result, str(tmp_path / "probabilities.png"))


@pytest.mark.parametrize("case, kwargs, error, match", [
    ("empty", {}, FileNotFoundError, "No SavedModel in .* pass --saved_model="),
    ("points", {"signature": "c_to_d"}, ValueError,  # ExportArchive adds serving_default
     r"no signature `c_to_d`: pass --signature=<one of: a_to_b, b_to_a, serving_default>"),
    ("translation", {}, ValueError, "takes images: pass --images_dir="),
    ("translation", {"images_dir": "missing"}, FileNotFoundError, "is not a folder"),
    ("translation", {"images_dir": "empty"}, FileNotFoundError, "No .png/.jpg/.jpeg files in"),
    ("translation", {"images_dir": "pngs", "signature": "rgba"}, ValueError, "takes 4 channels"),
    ("translation", {"images_dir": "corrupt"}, ValueError,
     r"Cannot read .*corrupt/x\.png in --images_dir \(cannot identify .*\): replace or remove"),
    ("translation", {"input_npy": "missing.npy"}, FileNotFoundError,
     "--input_npy=.*missing.npy is not a file"),
    ("points", {"signature": "a_to_b"}, ValueError,
     r"takes an array: pass --input_npy=.*\[None, 2\]"),
    ("points", {"signature": "a_to_b", "input_npy": "wide.npy"}, ValueError,
     r"has shape \[3, 5\], but input `points` takes float32 \[None, 2\]"),
    ("gan", {"input_npy": "wide.npy"}, ValueError, "--input_npy is not used"),
])
def test_every_mistake_is_one_line_naming_the_flag(exported, tmp_path, case, kwargs, error, match):
    (tmp_path / "empty").mkdir()
    _write_pngs(tmp_path / "pngs", np.zeros((1, 8, 8), np.uint8))
    np.save(tmp_path / "wide.npy", np.zeros((3, 5), np.float32))
    (tmp_path / "corrupt").mkdir()
    (tmp_path / "corrupt" / "x.png").write_bytes(np.random.default_rng(0).bytes(200))
    saved_model = str(tmp_path / "empty") if case == "empty" else getattr(exported, case)
    kwargs = {key: str(tmp_path / value) if key in ("images_dir", "input_npy") else value
              for key, value in kwargs.items()}
    with pytest.raises(error, match=match) as raised:
        sample(saved_model, num=4, seed=0, **kwargs)
    assert "\n" not in str(raised.value)


def test_named_arrays_feed_integer_and_float_code_inputs(exported, tmp_path):
    categorical = np.array([[0, 1], [2, 3], [4, 5]], np.int64)
    continuous = np.random.default_rng(3).uniform(-1, 1, (3, 2)).astype(np.float32)
    np.save(tmp_path / "c.npy", categorical)
    np.save(tmp_path / "u.npy", continuous)
    result = sample(exported.infogan, num=8, seed=1,
                    input_npy=[f"categorical={tmp_path / 'c.npy'}",
                               f"continuous={tmp_path / 'u.npy'}"])
    assert result["inputs"]["categorical"].dtype == np.int32
    z = tf.random.stateless_normal([3, 4], seed=[1, 0]).numpy()  # the arrays' length: 3
    shift = categorical.sum(1) + continuous.sum(1)
    np.testing.assert_allclose(result["outputs"]["images"],
                               exported.generator(z).numpy() + shift[:, None, None, None],
                               atol=1e-5)


def test_an_array_feeds_an_image_input_like_the_same_pngs(exported, tmp_path):
    pixels = np.random.default_rng(4).integers(0, 256, (5, 8, 8), dtype=np.uint8)
    from_pngs = sample(exported.classifier, num=8, seed=0,
                       images_dir=_write_pngs(tmp_path / "pngs", pixels))
    np.save(tmp_path / "images.npy", pixels[..., None] / 127.5 - 1.0)
    from_npy = sample(exported.classifier, num=8, seed=0, input_npy=str(tmp_path / "images.npy"))
    np.testing.assert_allclose(from_npy["outputs"]["probabilities"],
                               from_pngs["outputs"]["probabilities"], atol=1e-6)


@pytest.mark.parametrize("input_npy, match", [
    (["c.npy"], r"has 2 data inputs left for an unnamed --input_npy .*: name each, --input_npy "
                r"NAME=PATH"),
    (["categorical=c.npy"], r"Input `continuous` \(float32 \[None, 2\]\) takes an array: pass "
                            r"--input_npy=continuous=<.npy file of shape \[None, 2\]>"),
    (["categorical=c.npy", "codes=u.npy"], r"--input_npy names \['codes'\], not data inputs"),
    (["categorical=u.npy", "continuous=u.npy"], r"holds fractions, but input `categorical` takes "
                                                r"int32 \[None, 2\]: pass whole numbers"),
    (["categorical=c.npy", "continuous=short.npy"], r"differ in length .* or a smaller --num"),
    (["categorical=c.npy", "categorical=u.npy"], r"given twice for `categorical`"),
])
def test_named_array_mistakes_are_one_line(exported, tmp_path, input_npy, match):
    np.save(tmp_path / "c.npy", np.ones((3, 2), np.int32))
    np.save(tmp_path / "u.npy", np.full((3, 2), 0.5, np.float32))
    np.save(tmp_path / "short.npy", np.zeros((2, 2), np.float32))
    entries = [f"{e.split('=')[0]}={tmp_path / e.split('=')[1]}" if "=" in e else
               str(tmp_path / e) for e in input_npy]
    with pytest.raises(ValueError, match=match) as raised:
        sample(exported.infogan, num=4, seed=0, input_npy=entries)
    assert "\n" not in str(raised.value)


def test_cli_takes_repeated_named_arrays(exported, tmp_path):
    np.save(tmp_path / "c.npy", np.ones((4, 2), np.int32))
    np.save(tmp_path / "u.npy", np.zeros((4, 2), np.float32))
    result = _run(f"--saved_model={exported.infogan}", f"--input_npy=categorical={tmp_path}/c.npy",
                  f"--input_npy=continuous={tmp_path}/u.npy", f"--npy={tmp_path / 'out.npy'}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "fed categorical [4, 2], continuous [4, 2], z [4, 4]" in result.stdout
    assert np.load(tmp_path / "out.npy").shape == (4, 4, 4, 1)


def _run(*args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([sys.executable, "-m", "tfgan_kit.sample", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_writes_the_png_grid_and_the_samples(exported, tmp_path):
    result = _run(f"--saved_model={exported.gan}", "--num=6", "--seed=3",
                  f"--out={tmp_path / 'grid.png'}", f"--npy={tmp_path / 'samples.npy'}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "images [6, 4, 4, 1] float32" in result.stdout
    assert Image.open(tmp_path / "grid.png").size == (3 * 5 + 1, 2 * 5 + 1)  # 3 columns, 2 rows
    np.testing.assert_array_equal(np.load(tmp_path / "samples.npy"),
                                  sample(exported.gan, num=6, seed=3)["outputs"]["images"])


def _cli_mistake(case, exported, tmp_path):
    """The command-line arguments of one mistake."""
    if case == "out_is_a_folder":
        return [f"--saved_model={exported.gan}", f"--out={tmp_path}"]
    if case == "probabilities_to_png":
        folder = _write_pngs(tmp_path / "digits", np.zeros((1, 8, 8), np.uint8))
        return [f"--saved_model={exported.classifier}", f"--images_dir={folder}",
                f"--out={tmp_path / 'p.png'}"]
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "saved_model.pb").write_bytes(b"not a protocol buffer \x00\x01")
    return [f"--saved_model={tmp_path / 'garbage'}", f"--out={tmp_path / 'g.png'}"]


@pytest.mark.parametrize("case, match", [
    ("out_is_a_folder", "error: --out=.* is a folder: pass a file path"),
    ("probabilities_to_png", "error: Output `probabilities` .* cannot be drawn .* pass --npy="),
    ("garbage_saved_model", "error: Cannot read the SavedModel in .* pass --saved_model="),
])
def test_cli_mistakes_end_in_one_error_line(exported, tmp_path, case, match):
    result = _run(*_cli_mistake(case, exported, tmp_path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0] == result.stderr.strip().splitlines()[-1]
    assert re.match(match, errors[0]), errors[0]
