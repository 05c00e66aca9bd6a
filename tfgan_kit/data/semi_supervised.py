"""Semi-supervised data: a few labelled examples, the unlabelled stream, and a held-out test set.

The protocol of Salimans et al. 2016 (Section 5) and Springenberg 2016 (Section 5): of the
training images, ``labelled_per_class`` per class keep their labels (100 labelled digits = 10
per class), every training image is also used unlabelled, and a held-out set the model never
sees measures the classifier. One batch (kind ``"semi_supervised"``) is a dict::

    {"image": unlabelled images [B, ...],
     "labelled_image": labelled images [B_l, ...], "labelled_label": their labels [B_l]}

The labelled batches cycle through the labelled set, reshuffled on each pass, alongside the
unlabelled stream (with 100 labelled examples and ``B_l = 100`` every step sees all of them,
as in the authors' code). The stream is resumable like :func:`tfgan_kit.data.batch_examples`:
labelled batch ``s`` of the run is the same whether the run was resumed or not.

``digits`` and ``tfds`` with ``config.data.labelled_per_class`` set build this spec
(:func:`digits_semi_supervised_spec`, :func:`tfds_semi_supervised_spec`); :func:`digits_split`
gives the same digits arrays (with the held-out images and labels) to tests and benchmarks.

Reference:
    Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016, Section 5
    (https://arxiv.org/abs/1606.03498); Springenberg, "Unsupervised and Semi-supervised Learning
    with Categorical Generative Adversarial Networks", ICLR 2016, Section 5.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import tensorflow as tf

from tfgan_kit.data.pipeline import batch_examples
from tfgan_kit.data.spec import DataSpec
from tfgan_kit.errors import UserError

__all__ = ["SemiSupervisedSplit", "digits_semi_supervised_spec", "digits_split",
           "labelled_batch", "semi_supervised_batches", "semi_supervised_spec", "split_labelled",
           "tfds_semi_supervised_spec"]


class SemiSupervisedSplit(NamedTuple):
    """The arrays of a semi-supervised experiment.

    Attributes:
        labelled_images, labelled_labels: the labelled subset (``labelled_per_class`` per class).
        unlabelled_images: every training image (the labelled ones included).
        held_out_images, held_out_labels: the test set, never trained on.
    """

    labelled_images: np.ndarray
    labelled_labels: np.ndarray
    unlabelled_images: np.ndarray
    held_out_images: np.ndarray
    held_out_labels: np.ndarray


def split_labelled(images: np.ndarray, labels: np.ndarray, labelled_per_class: int,
                   held_out_fraction: float = 0.2, seed: int = 0) -> SemiSupervisedSplit:
    """Splits labelled data into a held-out set and a training set with a small labelled part.

    A seeded permutation puts ``round(held_out_fraction * N)`` examples in the held-out set; of
    the rest (in permuted order) the first ``labelled_per_class`` of each class are labelled.

    Args:
        images: ``[N, ...]`` examples.
        labels: int ``[N]`` labels in ``[0, K)``.
        labelled_per_class: labelled examples per class (10 for 100 labelled digits).
        held_out_fraction: share of the data held out, in ``(0, 1)``. Defaults to `0.2`.
        seed: seed of the permutation. Defaults to `0`.

    Raises:
        ValueError: for a bad ``labelled_per_class`` or ``held_out_fraction``, or a class with
            fewer training examples than ``labelled_per_class``.
    """
    if not isinstance(labelled_per_class, int) or isinstance(labelled_per_class, bool) \
            or labelled_per_class < 1:
        raise UserError(f"`labelled_per_class` must be a positive integer, e.g. 10. Received: "
                        f"labelled_per_class={labelled_per_class!r}")
    if not 0.0 < held_out_fraction < 1.0:
        raise UserError(f"`held_out_fraction` must be in (0, 1), e.g. 0.2. Received: "
                        f"held_out_fraction={held_out_fraction!r}")
    labels = np.asarray(labels).astype(np.int32)
    order = np.random.default_rng(seed).permutation(len(images))
    held_out = order[: int(round(held_out_fraction * len(images)))]
    train = order[len(held_out):]
    labelled = []
    for k in np.unique(labels):
        members = train[labels[train] == k]
        if len(members) < labelled_per_class:
            raise UserError(
                f"Class {k} has {len(members)} training examples, fewer than "
                f"labelled_per_class={labelled_per_class}: lower it."
            )
        labelled.extend(members[:labelled_per_class])
    labelled = np.sort(np.asarray(labelled))
    return SemiSupervisedSplit(images[labelled], labels[labelled], images[train],
                               images[held_out], labels[held_out])


def digits_split(image_size: int = 8, labelled_per_class: int = 10,
                 held_out_fraction: float = 0.2, seed: int = 0) -> SemiSupervisedSplit:
    """:func:`split_labelled` of the embedded digits (``tfgan_kit.data.digits_arrays``)."""
    from tfgan_kit.data.digits import digits_arrays

    images, labels = digits_arrays(image_size, with_labels=True)
    return split_labelled(images, labels, labelled_per_class, held_out_fraction, seed)


def semi_supervised_batches(split: SemiSupervisedSplit, batch_size: int,
                            labelled_batch_size: int | None = None, seed: int = 0,
                            epochs: int | None = None, start_epoch: int = 0,
                            steps_per_epoch: int | None = None) -> tf.data.Dataset:
    """The ``"semi_supervised"`` stream: unlabelled batches zipped with cycling labelled ones.

    Args:
        split: the arrays (:func:`split_labelled`).
        batch_size: unlabelled images per batch.
        labelled_batch_size: labelled examples per batch, at most the labelled set's size;
            ``None`` for ``min(batch_size, labelled set)``. Defaults to `None`.
        seed: shuffle seed. Defaults to `0`.
        epochs, start_epoch, steps_per_epoch: the resumable stream of
            :func:`tfgan_kit.data.batch_examples` (epochs of the unlabelled data).

    Returns:
        A ``tf.data.Dataset`` of dict batches (see the module docstring).

    Raises:
        ValueError: for a labelled batch larger than the labelled set.
    """
    count = len(split.labelled_labels)
    labelled_batch_size = min(batch_size, count) if labelled_batch_size is None \
        else labelled_batch_size
    if not isinstance(labelled_batch_size, int) or not 0 < labelled_batch_size <= count:
        raise UserError(
            f"`labelled_batch_size` must be in [1, {count}] (the labelled examples). Received: "
            f"labelled_batch_size={labelled_batch_size!r}"
        )
    unlabelled = batch_examples(tf.data.Dataset.from_tensor_slices(split.unlabelled_images),
                                batch_size, seed=seed, epochs=epochs, start_epoch=start_epoch,
                                steps_per_epoch=steps_per_epoch)
    labelled_examples = tf.data.Dataset.from_tensor_slices(
        (split.labelled_images, split.labelled_labels))
    per_pass = count // labelled_batch_size
    if epochs is None:
        labelled = batch_examples(labelled_examples, labelled_batch_size, seed=seed + 1).repeat()
    else:
        steps = steps_per_epoch or len(split.unlabelled_images) // batch_size
        first_step = start_epoch * steps
        first_pass = first_step // per_pass
        passes = math.ceil((epochs - start_epoch) * steps / per_pass) + 2
        labelled = batch_examples(labelled_examples, labelled_batch_size, seed=seed + 1,
                                  epochs=first_pass + passes,
                                  start_epoch=first_pass).skip(first_step % per_pass)
    return tf.data.Dataset.zip((unlabelled, labelled)).map(
        lambda x, pair: {"image": x, "labelled_image": pair[0], "labelled_label": pair[1]})


def labelled_batch(data) -> tuple[tf.Tensor, tf.Tensor]:
    """``(labelled images, labels)`` of a ``"semi_supervised"`` batch.

    Raises:
        ValueError: when the batch is not a semi-supervised dict.
    """
    if not isinstance(data, dict) or "labelled_image" not in data:
        raise UserError(
            "The batch has no labelled part: semi-supervised schemes train on "
            "'semi_supervised' batches (e.g. config.data.name='digits' with "
            "config.data.labelled_per_class=10)."
        )
    return data["labelled_image"], tf.cast(data["labelled_label"], tf.int32)


def semi_supervised_spec(config, images: np.ndarray, labels: np.ndarray, num_classes: int,
                         batch_size: int, **stream) -> DataSpec:
    """A ``"semi_supervised"`` spec of labelled arrays: :func:`split_labelled` with
    ``data.labelled_per_class`` and ``data.held_out_fraction`` (default 0.2), then
    :func:`semi_supervised_batches` with ``data.labelled_batch_size``."""
    d = config.data
    split = split_labelled(images, labels, d.labelled_per_class, d.get("held_out_fraction", 0.2),
                           seed=config.seed)
    return DataSpec(
        dataset=semi_supervised_batches(split, batch_size, d.get("labelled_batch_size"),
                                        seed=config.seed, **stream),
        kind="semi_supervised",
        sample_shape=tuple(images.shape[1:]),
        num_classes=int(num_classes),
        num_examples=len(split.unlabelled_images),
        examples=tf.data.Dataset.from_tensor_slices(split.unlabelled_images),
    )


def digits_semi_supervised_spec(config, batch_size: int, **stream) -> DataSpec:
    """The embedded digits as a ``"semi_supervised"`` spec (:func:`semi_supervised_spec`)."""
    from tfgan_kit.data.digits import digits_arrays

    images, labels = digits_arrays(config.data.image_size, with_labels=True)
    return semi_supervised_spec(config, images, labels, 10, batch_size, **stream)


def tfds_semi_supervised_spec(config, batch_size: int, **stream) -> DataSpec:
    """A prepared tfds split with labels (``data.tfds_name``, ``split``, ``image_size``,
    ``data_dir``), read into memory, as a ``"semi_supervised"`` spec (:func:`semi_supervised_spec`;
    the held-out part comes from the same split)."""
    from tfgan_kit.data.tfds_images import tfds_examples

    d = config.data
    examples, info = tfds_examples(d.tfds_name, d.split, d.image_size, d.data_dir,
                                   with_labels=True)
    images, labels = (np.concatenate(parts) for parts in zip(*(
        (x.numpy(), y.numpy()) for x, y in examples.batch(4096))))
    return semi_supervised_spec(config, images, labels, info.features["label"].num_classes,
                                batch_size, **stream)
