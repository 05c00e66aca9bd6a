"""NaN guard keeps the last good checkpoint; sample grids; corrupt checkpoints."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgan_kit.data import DataSpec
from tfgan_kit.models import GAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.training import (
    CorruptCheckpointError,
    NaNGuard,
    NonFiniteLossError,
    RunCheckpoint,
    SampleGrid,
    latest_readable,
)
from tfgan_kit.images import image_grid


def ring_gan():
    keras.utils.set_random_seed(0)
    model = GAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                mlp_discriminator(2, hidden=(16,)), latent_dim=4)
    model.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
    return model


def test_nan_guard_stops_and_keeps_the_last_good_checkpoint(tmp_path):
    good = np.random.default_rng(0).normal(size=(16, 2)).astype(np.float32)
    bad = good.copy()
    bad[3] = np.nan
    # Epoch 1: finite data; epoch 2: a NaN example poisons the losses.
    stream = tf.data.Dataset.from_tensor_slices(np.concatenate([good, bad])).batch(8)
    model = ring_gan()
    directory = str(tmp_path / "checkpoints")
    snapshot = {}

    class Snapshot(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshot[epoch] = [w.numpy().copy() for w in self.model.weights]

    with pytest.raises(NonFiniteLossError, match="last good checkpoint is kept"):
        model.fit(stream, epochs=2, steps_per_epoch=2, verbose=0,
                  callbacks=[NaNGuard(check_every=1), RunCheckpoint(directory), Snapshot()])
    path, epoch = latest_readable(directory)
    assert epoch == 1 and path.endswith("ckpt-1")
    restored = ring_gan()
    assert RunCheckpoint(directory).restore(restored, path) == 1
    assert list(snapshot) == [0]
    for w, expected in zip(restored.weights, snapshot[0]):
        assert np.all(np.isfinite(w.numpy()))
        np.testing.assert_allclose(w.numpy(), expected, atol=0)


def test_unreadable_newest_checkpoint_falls_back_to_the_previous_one(tmp_path, caplog):
    directory = str(tmp_path / "checkpoints")
    model = ring_gan()
    model.fit(tf.zeros((8, 2)), epochs=3, batch_size=8, verbose=0,
              callbacks=[RunCheckpoint(directory)])
    assert sorted(os.listdir(directory)).count("ckpt-3.index") == 1
    assert not os.path.exists(os.path.join(directory, "ckpt-1.index"))  # keeps the last two
    data = [f for f in os.listdir(directory) if f.startswith("ckpt-3.data")][0]
    with open(os.path.join(directory, data), "r+b") as f:  # flip bytes in the middle
        f.seek(os.path.getsize(os.path.join(directory, data)) // 2)
        f.write(b"\xff" * 16)
    assert latest_readable(directory)[1] == 2
    assert "ckpt-3 is unreadable" in caplog.text
    for name in os.listdir(directory):
        if name.startswith("ckpt-2"):
            with open(os.path.join(directory, name), "wb") as f:
                f.write(b"")
    with pytest.raises(CorruptCheckpointError, match="move that folder away"):
        latest_readable(directory)


def test_checkpoint_of_another_model_is_refused(tmp_path):
    directory = str(tmp_path / "checkpoints")
    ring_gan().fit(tf.zeros((8, 2)), epochs=1, batch_size=8, verbose=0,
                   callbacks=[RunCheckpoint(directory)])
    other = GAN(mlp_generator(4, 2, hidden=(8,)), mlp_discriminator(2, hidden=(16,)), latent_dim=4)
    other.compile(g_optimizer=keras.optimizers.Adam(), d_optimizer=keras.optimizers.Adam())
    with pytest.raises(ValueError, match="written by another scheme or other shapes"):
        RunCheckpoint(directory).restore(other, latest_readable(directory)[0])


def test_sample_grid_writes_numbered_pngs_and_scatter(tmp_path):
    model = ring_gan()
    spec = DataSpec(tf.data.Dataset.from_tensors(tf.zeros((8, 2))), "image", (2,),
                    reference_points=np.zeros((1, 2), np.float32))
    callback = SampleGrid(str(tmp_path / "s"), num_samples=50, every_epochs=2, spec=spec)
    model.fit(tf.zeros((8, 2)), epochs=4, batch_size=8, verbose=0, callbacks=[callback])
    assert sorted(os.listdir(tmp_path / "s")) == ["epoch_0002.png", "epoch_0004.png"]
    assert Image.open(tmp_path / "s" / "epoch_0002.png").size == (512, 512)


def test_image_grid_layout_and_value_mapping():
    images = np.stack([np.full((2, 3, 1), v, np.float32) for v in (-1.0, 0.0, 1.0)])
    grid = image_grid(images, columns=2, padding=1)
    assert grid.shape == (2 * 3 + 1, 2 * 4 + 1, 1)
    assert grid[1, 1, 0] == 0 and grid[1, 5, 0] == 128 and grid[4, 1, 0] == 255
    assert grid[0, 0, 0] == 0 and grid[4, 5, 0] == 0  # padding and the empty cell
    with pytest.raises(ValueError, match="must have shape"):
        image_grid(np.zeros((2, 4, 4, 2)))
