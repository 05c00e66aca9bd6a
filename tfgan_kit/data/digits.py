"""The embedded default data set: scikit-learn's bundled handwritten digits.

1,797 grey 8x8 images of the digits 0-9 with 17 intensity levels (0..16), from the UCI "Optical
Recognition of Handwritten Digits" set, shipped inside scikit-learn (no download).

Reference: Alpaydin & Kaynak, UCI Optical Recognition of Handwritten Digits (1998);
``sklearn.datasets.load_digits``.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgan_kit.data.pipeline import batch_examples
from tfgan_kit.data.spec import DataSpec
from tfgan_kit.errors import UserError
from tfgan_kit.registry import register_dataset

DIGITS_SIZES = (8, 16, 32)


def digits_arrays(image_size: int = 8, with_labels: bool = False):
    """Returns the digits as float32 images in [-1, 1], shape ``[1797, s, s, 1]`` (and labels).

    Intensities 0..16 map linearly to [-1, 1]; sizes 16 and 32 are bilinear resizes of the 8x8
    originals.

    Args:
        image_size: 8, 16 or 32. Defaults to `8`.
        with_labels: also return int32 labels ``[1797]``. Defaults to `False`.

    Raises:
        ValueError: for another ``image_size``.
    """
    if image_size not in DIGITS_SIZES:
        raise UserError(
            f"`image_size` must be one of {DIGITS_SIZES} for digits. Received: {image_size!r}"
        )
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = (bunch.images.astype(np.float32) / 16.0) * 2.0 - 1.0
    images = images[..., None]
    if image_size != 8:
        images = tf.image.resize(images, (image_size, image_size), method="bilinear").numpy()
        images = np.clip(images, -1.0, 1.0)
    if with_labels:
        return images, bunch.target.astype(np.int32)
    return images


def digits_train_test(image_size: int = 8, seed: int = 0):
    """The embedded digits split 80/20 by a seeded permutation (a classifier's train and held-out
    sets; ZAQ trains its full-precision model on the first and measures on the second).

    Args:
        image_size: 8, 16 or 32. Defaults to `8`.
        seed: seed of the permutation. Defaults to `0`.

    Returns:
        ``((train_images, train_labels), (test_images, test_labels))``, images in [-1, 1].
    """
    images, labels = digits_arrays(image_size, with_labels=True)
    order = np.random.default_rng(seed).permutation(len(images))
    cut = int(0.8 * len(images))
    return ((images[order[:cut]], labels[order[:cut]]),
            (images[order[cut:]], labels[order[cut:]]))


def digits(
    batch_size: int = 64,
    image_size: int = 8,
    with_labels: bool = False,
    seed: int = 0,
    epochs: int | None = None,
    start_epoch: int = 0,
    steps_per_epoch: int | None = None,
) -> tf.data.Dataset:
    """Batched, seeded-shuffle, prefetched digits: images ``[b, s, s, 1]`` in [-1, 1].

    Args:
        batch_size: batch size. Defaults to `64`.
        image_size: 8, 16 or 32. Defaults to `8`.
        with_labels: yield ``(images, labels)``. Defaults to `False`.
        seed: shuffle seed. Defaults to `0`.
        epochs, start_epoch, steps_per_epoch: the resumable epoch stream, see
            :func:`tfgan_kit.data.pipeline.batch_examples`.

    Returns:
        A ``tf.data.Dataset``.
    """
    arrays = digits_arrays(image_size, with_labels)
    examples = tf.data.Dataset.from_tensor_slices(arrays)
    return batch_examples(examples, batch_size, seed=seed, epochs=epochs,
                          start_epoch=start_epoch, steps_per_epoch=steps_per_epoch)


@register_dataset("digits")
def digits_spec(config, batch_size: int, **stream) -> DataSpec:
    """The embedded digits at ``config.data.image_size``; labelled when ``data.with_labels``;
    semi-supervised (:mod:`tfgan_kit.data.semi_supervised`) when ``data.labelled_per_class``
    is set."""
    d = config.data
    if d.get("labelled_per_class") is not None:
        from tfgan_kit.data.semi_supervised import digits_semi_supervised_spec

        return digits_semi_supervised_spec(config, batch_size, **stream)
    with_labels = bool(d.get("with_labels", False))
    arrays = digits_arrays(d.image_size, with_labels)
    examples = tf.data.Dataset.from_tensor_slices(arrays)
    return DataSpec(
        dataset=batch_examples(examples, batch_size, seed=config.seed, **stream),
        kind="labelled" if with_labels else "image",
        sample_shape=(d.image_size, d.image_size, 1),
        num_classes=10 if with_labels else None,
        num_examples=len(arrays[0] if with_labels else arrays),
        examples=examples,
    )
