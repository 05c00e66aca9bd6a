"""What the image-to-image schemes (Pix2Pix, CycleGAN) share: image endpoints, pictures of
``input | output | target`` columns, and CycleGAN's linear learning-rate decay.

Reference:
    Isola et al., "Image-to-Image Translation with Conditional Adversarial Networks", CVPR 2017
    (https://arxiv.org/abs/1611.07004); Zhu et al., "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", ICCV 2017, Section 4 (learning-rate schedule)
    (https://arxiv.org/abs/1703.10593).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.models.outputs import Endpoint, Picture


def image_endpoint(net: keras.Model) -> Endpoint:
    """``images [None, H, W, C] -> {"images": net(images, training=False)}`` for ``net``'s input
    shape (export checks H, W and C; ``python -m tfgan_kit.sample --images_dir`` resizes to
    them)."""
    shape = tuple(net.inputs[0].shape[1:])
    return Endpoint(fn=lambda images: {"images": net(images, training=False)},
                    inputs={"images": tf.TensorSpec((None, *shape), tf.float32, name="images")})


def columns_picture(*columns) -> Picture:
    """One row per example, one column per array of ``columns`` (e.g. input | output | target).

    Args:
        *columns: arrays ``[n, H, W, C]`` of equal shape, in [-1, 1].
    """
    stacked = np.stack([np.asarray(c, np.float32) for c in columns], axis=1)
    return Picture(images=stacked.reshape((-1, *stacked.shape[2:])), columns=len(columns))


def linear_decay_factor(epoch: int, epochs: int, decay_epochs: int) -> float:
    """The learning-rate multiplier of 0-based ``epoch``: 1 for the first ``epochs -
    decay_epochs`` epochs, then decreasing linearly (``1 - k / (decay_epochs + 1)`` in the k-th
    decay epoch), as in CycleGAN's code (100 constant + 100 decaying epochs).

    Raises:
        ValueError: when ``decay_epochs`` is negative or exceeds ``epochs``.

    Reference: Zhu et al. 2017, Section 4 ("keep the same learning rate for the first 100 epochs
    and linearly decay the rate to zero over the next 100 epochs").
    """
    if not 0 <= decay_epochs <= epochs:
        raise ValueError(f"`linear_decay_epochs` must be in [0, epochs={epochs}]. Received: "
                         f"{decay_epochs}")
    return 1.0 - max(0, epoch + 1 - (epochs - decay_epochs)) / (decay_epochs + 1)


class LinearLearningRateDecay(keras.callbacks.Callback):
    """Sets every optimizer's learning rate to ``base * linear_decay_factor(epoch)`` at each
    epoch's start (also the first epoch of a resumed run).

    Args:
        base_rates: optimizer name -> its configured learning rate.
        epochs: total epochs of the run.
        decay_epochs: the last epochs over which the rate decays.

    Reference: Zhu et al. 2017, Section 4.
    """

    def __init__(self, base_rates: dict[str, float], epochs: int, decay_epochs: int):
        super().__init__()
        linear_decay_factor(0, epochs, decay_epochs)  # validates
        self.base_rates, self.epochs, self.decay_epochs = dict(base_rates), epochs, decay_epochs

    def on_epoch_begin(self, epoch, logs=None):
        factor = linear_decay_factor(epoch, self.epochs, self.decay_epochs)
        for name, optimizer in self.model.optimizers.items():
            inner = getattr(optimizer, "inner_optimizer", optimizer)
            inner.learning_rate = self.base_rates[name] * factor
