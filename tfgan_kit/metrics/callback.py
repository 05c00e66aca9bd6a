"""A Keras callback that evaluates generated samples every N epochs during ``fit``."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.metrics.features import FeatureExtractor
from tfgan_kit.metrics.suite import FEATURE_METRICS, compute_metrics, parse_metric_names


class MetricsCallback(keras.callbacks.Callback):
    """Computes chosen metrics of the generator every `every_epochs` epochs during ``fit``.

    At the end of every `every_epochs`-th epoch it generates `num_samples` images from a fixed,
    seeded z (``model.generate(z, training=False)`` of a `tfgan_kit.models.AdversarialModel`),
    computes the metrics with `tfgan_kit.metrics.suite.compute_metrics` against `real_images`
    (whose features are computed once), and adds them to the epoch's ``logs``: they appear in
    the ``History`` (``history.history["fid"]`` then has one entry per evaluated epoch; the
    evaluated epochs are in ``callback.evaluated_epochs``), in the progress bar and in a
    ``keras.callbacks.TensorBoard`` placed after this callback. With `tensorboard_dir` they
    are also written as scalars ``metrics/<key>`` at step = epoch number (1-based).

    Args:
        real_images: ``[n, H, W, C]`` real images in [-1, 1].
        metrics: names as in `compute_metrics` (``"fid,kid"`` or a sequence). Defaults to
            ``("fid",)``.
        extractor: a `FeatureExtractor`, required for fid/kid/is/prdc.
        every_epochs: period in epochs. Defaults to `1`.
        num_samples: generated images per evaluation. Defaults to `1000`.
        seed: seed of the fixed z and of the metrics' randomness. Defaults to `0`.
        tensorboard_dir: optional log dir for scalar summaries.

    Raises:
        ValueError: on unknown metrics, a feature metric without `extractor`, or
            ``every_epochs < 1``.
    """

    def __init__(
        self,
        real_images,
        metrics=("fid",),
        extractor: FeatureExtractor | None = None,
        every_epochs: int = 1,
        num_samples: int = 1000,
        seed: int = 0,
        tensorboard_dir: str | None = None,
    ):
        super().__init__()
        self.metric_names = parse_metric_names(metrics)
        if FEATURE_METRICS.intersection(self.metric_names) and extractor is None:
            raise UserError(
                f"Metrics {sorted(FEATURE_METRICS.intersection(self.metric_names))} need "
                "`extractor` (e.g. ClassifierFeatures(train_digits_classifier(), 'features'))."
            )
        if every_epochs < 1:
            raise UserError(f"`every_epochs` must be >= 1. Received: every_epochs={every_epochs}")
        self.real_images = np.asarray(real_images, dtype=np.float32)
        self.extractor = extractor
        self.every_epochs = every_epochs
        self.num_samples = num_samples
        self.seed = seed
        self.tensorboard_dir = tensorboard_dir
        self.evaluated_epochs: list[int] = []
        self._real_features = None
        self._writer = None

    def generate(self) -> np.ndarray:
        """The generator's images for the fixed z, as a numpy array."""
        z = tf.random.stateless_normal(
            [self.num_samples, self.model.latent_dim], seed=[self.seed, 1]
        )
        images = []
        for start in range(0, self.num_samples, 256):
            images.append(np.asarray(self.model.generate(z[start : start + 256], training=False)))
        return np.concatenate(images).astype(np.float32)

    def on_epoch_end(self, epoch: int, logs=None):
        if (epoch + 1) % self.every_epochs:
            return
        if self.extractor is not None and self._real_features is None:
            self._real_features = self.extractor(self.real_images)
        results = compute_metrics(
            self.metric_names,
            self.real_images,
            self.generate(),
            extractor=self.extractor,
            seed=self.seed,
            real_features=self._real_features,
        )
        if logs is not None:
            logs.update(results)
        self.evaluated_epochs.append(epoch + 1)
        if self.tensorboard_dir is not None:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(self.tensorboard_dir)
            with self._writer.as_default():
                for key, value in results.items():
                    tf.summary.scalar(f"metrics/{key}", value, step=epoch + 1)
            self._writer.flush()
