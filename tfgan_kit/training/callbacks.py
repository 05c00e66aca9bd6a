"""Callbacks for adversarial training with ``model.fit``.

* :class:`SampleGrid`: the scheme's picture of its samples every N epochs, as a PNG in
  ``workdir/samples/`` and as a TensorBoard image summary;
* :class:`NaNGuard`: stops training when a logged loss is not finite, before any checkpoint of the
  bad state is written, so the last good checkpoint survives;
"""

from __future__ import annotations

import os

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.training.images import render


class NonFiniteLossError(RuntimeError):
    """Raised by :class:`NaNGuard` when a training log becomes NaN or infinite."""


class SampleGrid(keras.callbacks.Callback):
    """Draws the scheme's picture (:meth:`AdversarialModel.picture`) every ``every_epochs`` epochs.

    The scheme decides what to draw from a fixed seed: a grid of samples, a scatter plot of 2-D
    samples over the data's reference points, a row per class, input | output | target columns.
    Files are ``samples_dir/epoch_XXXX.png`` numbered by the (1-based) epoch just finished, so a
    resumed run continues the numbering. With ``tensorboard_dir`` pictures of images are also
    written as a ``tf.summary.image`` named ``samples``.

    Args:
        samples_dir: output folder.
        num_samples: samples per picture. Defaults to `64` (2,500 for 2-D data is typical).
        every_epochs: period in epochs. Defaults to `1`.
        seed: seed of the fixed draws. Defaults to `0`.
        spec: the training :class:`tfgan_kit.data.DataSpec` (reference points, preview batch);
            ``None`` when training without one.
        tensorboard_dir: optional TensorBoard log dir for image summaries.
    """

    def __init__(self, samples_dir: str, num_samples: int = 64, every_epochs: int = 1,
                 seed: int = 0, spec=None, tensorboard_dir: str | None = None):
        super().__init__()
        if every_epochs < 1:
            raise ValueError(f"`every_epochs` must be >= 1. Received: {every_epochs}")
        self.samples_dir = samples_dir
        self.num_samples = num_samples
        self.every_epochs = every_epochs
        self.seed = seed
        self.spec = spec
        self.tensorboard_dir = tensorboard_dir
        self._writer = None

    def on_epoch_end(self, epoch: int, logs=None):
        if (epoch + 1) % self.every_epochs:
            return
        picture = self.model.picture(self.spec, self.num_samples, self.seed)
        images = render(picture, os.path.join(self.samples_dir, f"epoch_{epoch + 1:04d}.png"))
        if images is not None:
            self._write_summary(images, epoch + 1)

    def _write_summary(self, images: np.ndarray, step: int) -> None:
        if self.tensorboard_dir is None or images.shape[-1] not in (1, 3):
            return
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(self.tensorboard_dir)
        with self._writer.as_default():
            tf.summary.image("samples", (images + 1.0) / 2.0, step=step,
                             max_outputs=min(16, len(images)))
        self._writer.flush()


class NaNGuard(keras.callbacks.Callback):
    """Stops training as soon as a logged value is NaN or infinite, keeping saved work intact.

    It raises :class:`NonFiniteLossError` from the batch (every ``check_every`` batches) or epoch
    end where the bad value appears. Because it raises before any later callback's
    ``on_epoch_end`` runs, no checkpoint, sample or final model of the diverged state is written:
    the checkpoint of the last good epoch is what a restart resumes from. (Logs are running means,
    so a NaN at any step of the epoch is still visible at the epoch's end.) Put it first in the
    callback list.

    Args:
        check_every: batches between checks (each check syncs with the device). Defaults to `50`.
    """

    def __init__(self, check_every: int = 50):
        super().__init__()
        self.check_every = check_every

    @staticmethod
    def _check(logs, where: str) -> None:
        for name, value in (logs or {}).items():
            array = np.asarray(value, dtype=np.float64)
            if array.size and not np.all(np.isfinite(array)):
                raise NonFiniteLossError(
                    f"Training stopped: `{name}` became {float(array.ravel()[0])} at {where}; "
                    "the last good checkpoint is kept. Lower the learning rate (or enable loss "
                    "scaling) and rerun with the same --workdir to resume from it."
                )

    def on_train_batch_end(self, batch: int, logs=None):
        if (batch + 1) % self.check_every == 0:
            self._check(logs, f"batch {batch + 1}")

    def on_epoch_end(self, epoch: int, logs=None):
        self._check(logs, f"the end of epoch {epoch + 1}")


__all__ = ["NaNGuard", "NonFiniteLossError", "SampleGrid"]
