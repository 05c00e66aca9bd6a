"""Readable figures: titled grids and scatter plots, mode coverage per epoch, progress figures."""

import json
import os
import types

import keras
import numpy as np
import pytest
import tensorflow as tf
from matplotlib.patches import Circle
from PIL import Image

from tfgan_kit.data import DataSpec
from tfgan_kit.data.synthetic import gaussian_grid_spec, gaussian_ring_spec, mixture_samples
from tfgan_kit.data.synthetic import ring_centers
from tfgan_kit.metrics.mode_coverage import mode_coverage
from tfgan_kit.models import GAN
from tfgan_kit.types import Picture
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.training.callbacks import (
    COVERAGE_KEYS,
    ModeCoverageLog,
    ProgressFigures,
    SampleGrid,
)
from tfgan_kit.figures import circles_of, coverage_text, picture_figure, render, title_of
from tfgan_kit.files import write_atomically
from tfgan_kit.images import image_grid

STD = 0.05
CENTERS = ring_centers(8, 1.0)


def ring_spec(**extra):
    data = mixture_samples(CENTERS, STD, 256, seed=1)
    return DataSpec(tf.data.Dataset.from_tensor_slices(data).batch(64), "image", (2,),
                    reference_points=CENTERS, **extra)


def tiny_gan():
    keras.utils.set_random_seed(0)
    model = GAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                mlp_discriminator(2, hidden=(16,)), latent_dim=4)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-3),
                  d_optimizer=keras.optimizers.Adam(2e-3))
    return model


def png(path):
    image = Image.open(path)
    assert image.format == "PNG"
    return image


# ----------------------------------------------------------------------------- render


def test_small_grey_images_become_a_crisp_titled_grid(tmp_path):
    images = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype(np.float32)
    picture = Picture(images=images, columns=4)
    path = str(tmp_path / "grid.png")
    drawn = render(picture, path, title="dcgan · epoch 3 · step 300")
    np.testing.assert_array_equal(drawn, images)  # what TensorBoard receives
    image = png(path)
    assert max(image.size) >= 512
    assert image.text["Title"] == "dcgan · epoch 3 · step 300"
    # The 37 px grid is enlarged x14 by repetition: each sample pixel is a flat 14x14 square.
    grid = image_grid(images, columns=4)[..., 0]
    pixels = np.asarray(image.convert("L")).astype(int)
    body = pixels[pixels.shape[0] - 37 * 14 :, (pixels.shape[1] - 37 * 14) // 2 :][:, : 37 * 14]
    expected = np.repeat(np.repeat(grid, 14, axis=0), 14, axis=1).astype(int)
    assert np.abs(body - expected).max() <= 1  # the grey colormap rounds by at most 1 level

    figure = picture_figure(picture, title="dcgan · epoch 3 · step 300")
    assert title_of(figure) == "dcgan · epoch 3 · step 300"
    assert [ax.axison for ax in figure.axes] == [False]  # no ticks nor frame
    assert figure.axes[0].images[0].get_cmap().name == "gray"


def test_scatter_marks_centres_with_3_std_circles_and_coverage_title(tmp_path):
    points = mixture_samples(CENTERS[:6], STD, 500, seed=3)
    picture = Picture(points=points, reference=CENTERS)
    figure = picture_figure(picture, title="gan · epoch 10 · step 1000", reference_std=STD)
    circles = circles_of(figure)
    assert len(circles) == 8
    assert all(isinstance(c, Circle) and c.get_linestyle() == "--" for c in circles)
    np.testing.assert_allclose([c.get_radius() for c in circles], 3 * STD)
    np.testing.assert_allclose([c.center for c in circles], CENTERS, atol=1e-6)
    expected = coverage_text(mode_coverage(points, CENTERS, STD), 8)
    assert expected.startswith("6/8 modes, ")
    assert title_of(figure) == f"gan · epoch 10 · step 1000 · {expected}"
    axes = figure.axes[0]
    assert axes.get_aspect() == 1.0 and axes.axison and axes.get_legend() is not None
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert labels == ["generated (500)", "mixture centres (8)", "3σ (high quality)"]

    path = str(tmp_path / "scatter.png")
    assert render(picture, path, title="gan · epoch 10 · step 1000", reference_std=STD) is None
    assert png(path).size == (512, 512)
    assert png(path).text["Title"] == title_of(figure)
    # Without a std the reference points are plain markers: no circles, no coverage.
    plain = picture_figure(picture, title="t")
    assert circles_of(plain) == [] and title_of(plain) == "t"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = str(tmp_path / "f.png")
    write_atomically(path, lambda temporary: open(temporary, "w").write("old"))

    def broken(temporary):
        open(temporary, "w").write("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, broken)
    assert open(path).read() == "old" and os.listdir(tmp_path) == ["f.png"]


def test_mixture_specs_carry_the_component_std():
    config = types.SimpleNamespace(seed=0, data=types.SimpleNamespace(
        n_modes=8, radius=1.0, side=3, spacing=2.0, std=0.02, num_examples=64))
    assert gaussian_ring_spec(config, 16).reference_std == 0.02
    assert gaussian_grid_spec(config, 16).reference_std == 0.02
    with pytest.raises(ValueError, match="reference_std"):
        DataSpec(tf.data.Dataset.range(1), "image", (2,), reference_std=0.1)  # no centres


# ----------------------------------------------------------------------------- callbacks


class Recorder(keras.callbacks.Callback):
    """Sees the epoch logs after ModeCoverageLog and recomputes the coverage independently."""

    def __init__(self, spec, num_samples, seed):
        super().__init__()
        self.spec, self.num_samples, self.seed = spec, num_samples, seed
        self.seen, self.expected = [], []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(dict(logs))
        points = self.model.picture(self.spec, self.num_samples, self.seed).points
        self.expected.append(mode_coverage(points, CENTERS, STD))


def fit(model, spec, samples_dir, epochs, initial_epoch=0):
    recorder = Recorder(spec, 300, 7)
    callbacks = [
        SampleGrid(samples_dir, num_samples=300, spec=spec, title="gan"),
        ModeCoverageLog(spec, num_samples=300, seed=7),
        ProgressFigures(samples_dir, title="gan"),
        recorder,
    ]
    history = model.fit(spec.dataset, epochs=epochs, initial_epoch=initial_epoch, verbose=0,
                        callbacks=callbacks)
    return history, recorder


def test_coverage_logs_titles_progress_figures_and_resume(tmp_path):
    spec = ring_spec(reference_std=STD)
    samples = str(tmp_path / "samples")
    model = tiny_gan()
    history, recorder = fit(model, spec, samples, epochs=3)

    # ModeCoverageLog: the three keys, equal to mode_coverage of the same fixed-seed points,
    # in Keras' history too (it appends History after the given callbacks).
    for logs, expected in zip(recorder.seen, recorder.expected):
        assert logs["modes"] == expected.modes
        assert logs["high_quality"] == expected.high_quality_fraction
        np.testing.assert_equal(logs["reverse_kl"], expected.reverse_kl)  # NaN == NaN here
    assert set(COVERAGE_KEYS) <= set(history.history)

    # history.json: one record per epoch with the step counter and the logs.
    records = json.load(open(os.path.join(samples, "history.json")))["epochs"]
    assert [r["epoch"] for r in records] == [1, 2, 3]
    assert [r["step"] for r in records] == [4, 8, 12]  # 256 examples / batch 64 per epoch
    assert records[2]["modes"] == recorder.seen[2]["modes"]
    assert records[2]["d_loss"] == pytest.approx(history.history["d_loss"][2])

    # Epoch pictures: titled with scheme, epoch, step and the coverage of the drawn points.
    title = png(os.path.join(samples, "epoch_0002.png")).text["Title"]
    assert title.startswith("gan · epoch 2 · step 8 · ") and " modes, " in title
    progress = png(os.path.join(samples, "progress.png"))
    assert max(progress.size) >= 512
    assert progress.text["Title"] == "gan · training progress · epoch 3 · step 12"
    gif = Image.open(os.path.join(samples, "progress.gif"))
    assert gif.format == "GIF" and gif.n_frames == 3 and max(gif.size) >= 512
    first_run = {r["epoch"]: r for r in records}

    # Resume from the checkpoint of epoch 2 (the run had gone on to finish epoch 3): epochs 1-2
    # are kept, 3 is retrained and replaced, 4 is new; the GIF keeps the earlier frames.
    fit(model, spec, samples, epochs=4, initial_epoch=2)
    records = json.load(open(os.path.join(samples, "history.json")))["epochs"]
    assert [r["epoch"] for r in records] == [1, 2, 3, 4]
    assert records[:2] == [first_run[1], first_run[2]]
    assert [r["step"] for r in records[2:]] == [16, 20]  # the model went on: new records
    gif = Image.open(os.path.join(samples, "progress.gif"))
    pngs = sorted(f for f in os.listdir(samples) if f.startswith("epoch_"))
    assert gif.n_frames == len(pngs) == 4
    assert png(os.path.join(samples, "progress.png")).text["Title"].endswith("epoch 4 · step 20")
    assert not [f for f in os.listdir(samples) if f.startswith(".partial.")]


def test_mode_coverage_log_is_a_no_op_without_a_mixture():
    model = tiny_gan()
    for spec in (None, ring_spec(), DataSpec(tf.data.Dataset.range(1), "image", (8, 8, 1))):
        callback = ModeCoverageLog(spec)
        callback.set_model(model)
        logs = {"d_loss": 1.0}
        callback.on_epoch_end(0, logs)
        assert logs == {"d_loss": 1.0}


def test_progress_figure_panels_and_gif_frames_of_one_size(tmp_path):
    samples = tmp_path / "s"
    callback = ProgressFigures(str(samples), title="wgan")
    callback.records = [{"epoch": e, "step": 10 * e, "d_loss": -e / 2, "g_loss": e / 3.0}
                        for e in (1, 2)]
    figure = callback.figure()
    assert len(figure.axes) == 1  # no coverage logged: the loss panel only
    assert sorted(line.get_label() for line in figure.axes[0].lines) == ["d_loss", "g_loss"]
    callback.records[1].update(modes=3, high_quality=0.5, reverse_kl=None)
    assert len(callback.figure().axes) == 3  # losses, modes + the high-quality % twin axis

    # Frames of different sizes (e.g. a growing PGGAN) are resized to the newest one's size;
    # frames of epochs after the current one (left by a killed run) are not shown.
    samples.mkdir()
    for epoch, size in ((1, (300, 200)), (2, (600, 400)), (3, (600, 400))):
        shade = 60 * epoch
        Image.new("RGB", size, (shade, 0, 0)).save(samples / f"epoch_{epoch:04d}.png")
    callback.write_animation(2)
    gif = Image.open(samples / "progress.gif")
    assert gif.size == (600, 400) and gif.n_frames == 2
    callback.max_frames = 2
    callback.write_animation(3)
    assert Image.open(samples / "progress.gif").n_frames == 2  # first and last of three
