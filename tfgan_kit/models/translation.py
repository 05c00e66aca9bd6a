"""What the image-to-image schemes (Pix2Pix, CycleGAN) share: image endpoints, pictures of
``input | output | target`` columns. (CycleGAN's linear learning-rate decay is the trainer's
``config.train.decay_start_epoch``, :mod:`tfgan_kit.training.schedules`.)

Reference:
    Isola et al., "Image-to-Image Translation with Conditional Adversarial Networks", CVPR 2017
    (https://arxiv.org/abs/1611.07004); Zhu et al., "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", ICCV 2017 (https://arxiv.org/abs/1703.10593).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.types import Endpoint, Picture


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
