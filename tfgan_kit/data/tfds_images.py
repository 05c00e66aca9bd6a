"""Image data sets from tensorflow-datasets (mnist, cifar10, celeb_a, celeb_a_hq, ...).

The loader never downloads: the data set must be prepared beforehand (``tfds build NAME``, or a
``--data_dir`` that holds it), and when it is not, it fails with a one-line message saying so.

Reference: TensorFlow Datasets (https://www.tensorflow.org/datasets).
"""

from __future__ import annotations

import re

import tensorflow as tf

from tfgan_kit.data.pipeline import batch_examples
from tfgan_kit.data.spec import DataSpec
from tfgan_kit.errors import UserError
from tfgan_kit.registry import register_dataset

DEFAULT_SHUFFLE_BUFFER = 10_000


def _unknown_name(name: str) -> ValueError:
    return ValueError(
        f"Unknown tensorflow-datasets name {name!r}: see `tfds.list_builders()` for the valid "
        "names (e.g. mnist, cifar10, celeb_a)."
    )


def split_names(split: str) -> list[str]:
    """The split names a tfds split string reads: ``"train[:80%]+test"`` -> ``["train",
    "test"]``."""
    return [re.sub(r"\[.*\]$", "", part.strip()) for part in str(split).split("+")]


def check_split(name: str, split: str, known_splits) -> None:
    """Refuses a ``split`` naming a split that data set ``name`` does not have.

    Args:
        name: the tfds name, for the message.
        split: a tfds split string (``"train"``, ``"train[:80%]"``, ``"train+test"``, ``"all"``).
        known_splits: the data set's split names (``info.splits``); empty when unknown (a set
            not prepared yet), and then nothing is checked.

    Raises:
        ValueError: naming the missing split and listing the valid ones.
    """
    valid = list(known_splits)
    if not valid:
        return
    missing = [part for part in split_names(split) if part not in valid and part != "all"]
    if missing:
        raise UserError(
            f"Data set {name!r} has no split {missing[0]!r}: its splits are {valid} (slices such "
            f"as '{valid[0]}[:80%]' and sums such as '{'+'.join(valid[:2])}' work too). "
            f"Received: split={split!r}"
        )


def check_tfds_split(name: str, split: str, data_dir: str | None = None) -> None:
    """Checks ``name`` and ``split`` against the prepared data set's info, without reading data.

    Nothing is checked for a set that is not prepared (its split names are not known yet);
    loading it then says how to prepare it.

    Raises:
        ValueError: for an unknown data set name or a split it does not have.
    """
    import tensorflow_datasets as tfds

    try:
        builder = tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError:
        raise _unknown_name(name) from None
    check_split(name, split, builder.info.splits.keys())


def load_tfds_split(name: str, split: str, data_dir: str | None) -> tuple[tf.data.Dataset, object]:
    import tensorflow_datasets as tfds

    check_tfds_split(name, split, data_dir)
    try:
        dataset, info = tfds.load(name, split=split, data_dir=data_dir, download=False,
                                  with_info=True)
    except tfds.core.registered.DatasetNotFoundError:
        raise _unknown_name(name) from None
    except AssertionError:
        where = data_dir or "the default data dir (~/tensorflow_datasets)"
        raise FileNotFoundError(
            f"Data set {name!r} is not prepared in {where}: run `tfds build {name}"
            + (f" --data_dir={data_dir}" if data_dir else "")
            + "` on a machine with network access (or pass --config.data.data_dir=DIR where it "
            "is prepared)."
        ) from None
    check_split(name, split, info.splits.keys())
    return dataset, info


def _to_model_range(image: tf.Tensor, image_size: int | None) -> tf.Tensor:
    """uint8 [0, 255] -> float32 [-1, 1]; centre-cropped to a square and resized if asked."""
    image = tf.cast(image, tf.float32) / 127.5 - 1.0
    if image_size is not None:
        shape = tf.shape(image)
        side = tf.minimum(shape[0], shape[1])
        image = tf.image.resize_with_crop_or_pad(image, side, side)
        image = tf.image.resize(image, (image_size, image_size), method="area")
        image = tf.clip_by_value(image, -1.0, 1.0)
    return image


def tfds_images(
    name: str,
    split: str = "train",
    image_size: int | None = None,
    batch_size: int = 64,
    data_dir: str | None = None,
    with_labels: bool = False,
    seed: int = 0,
    shuffle_buffer: int = DEFAULT_SHUFFLE_BUFFER,
    epochs: int | None = None,
    start_epoch: int = 0,
    steps_per_epoch: int | None = None,
) -> tf.data.Dataset:
    """Batched images ``[b, s, s, c]`` in [-1, 1] from a prepared tensorflow-datasets set.

    Args:
        name: tfds name, e.g. ``"mnist"``, ``"cifar10"``, ``"celeb_a"``.
        split: split name. Defaults to `"train"`.
        image_size: centre-crop to a square and resize to this side; ``None`` keeps the size.
        batch_size: batch size. Defaults to `64`.
        data_dir: where the prepared data set lives; ``None`` is tfds' default.
        with_labels: yield ``(images, labels)`` using the ``"label"`` feature.
        seed: shuffle seed. Defaults to `0`.
        shuffle_buffer: shuffle buffer size. Defaults to `10000`.
        epochs, start_epoch, steps_per_epoch: see :func:`tfgan_kit.data.pipeline.batch_examples`.

    Raises:
        FileNotFoundError: when the data set is not prepared (names the ``tfds build`` command).
        ValueError: for an unknown data set name, a split it does not have (listing its splits),
            or ``with_labels`` on a set without labels.
    """
    examples, _ = tfds_examples(name, split, image_size, data_dir, with_labels)
    return batch_examples(examples, batch_size, seed=seed, shuffle_buffer=shuffle_buffer,
                          epochs=epochs, start_epoch=start_epoch, steps_per_epoch=steps_per_epoch)


def tfds_examples(name: str, split: str = "train", image_size: int | None = None,
                  data_dir: str | None = None, with_labels: bool = False):
    """Unbatched, unshuffled examples of a prepared tfds set in [-1, 1], and its ``DatasetInfo``.

    Each example is an image ``[s, s, c]`` or ``(image, label)``. Raises as :func:`tfds_images`.
    """
    dataset, info = load_tfds_split(name, split, data_dir)
    if with_labels and "label" not in info.features:
        raise UserError(
            f"Data set {name!r} has no 'label' feature: set with_labels=False."
        )

    def convert(example):
        image = _to_model_range(example["image"], image_size)
        return (image, tf.cast(example["label"], tf.int32)) if with_labels else image

    return dataset.map(convert, num_parallel_calls=tf.data.AUTOTUNE), info


def split_size(info, split: str, examples: tf.data.Dataset) -> int | None:
    """Examples in ``split`` from the data set info (or the dataset's cardinality, if known)."""
    try:
        return int(info.splits[split].num_examples)
    except (KeyError, ValueError):
        count = int(examples.cardinality())
        return count if count >= 0 else None


@register_dataset("tfds")
def tfds_spec(config, batch_size: int, **stream) -> DataSpec:
    """A prepared tensorflow-datasets set (``data.tfds_name``, ``split``, ``image_size``,
    ``data_dir``, optional ``with_labels``); semi-supervised
    (:mod:`tfgan_kit.data.semi_supervised`) when ``data.labelled_per_class`` is set."""
    d = config.data
    if d.get("labelled_per_class") is not None:
        from tfgan_kit.data.semi_supervised import tfds_semi_supervised_spec

        return tfds_semi_supervised_spec(config, batch_size, **stream)
    with_labels = bool(d.get("with_labels", False))
    examples, info = tfds_examples(d.tfds_name, d.split, d.image_size, d.data_dir, with_labels)
    image_shape = info.features["image"].shape
    size = d.image_size
    return DataSpec(
        dataset=batch_examples(examples, batch_size, seed=config.seed,
                               shuffle_buffer=DEFAULT_SHUFFLE_BUFFER, **stream),
        kind="labelled" if with_labels else "image",
        sample_shape=(size, size, image_shape[-1]) if size else tuple(image_shape),
        num_classes=info.features["label"].num_classes if with_labels else None,
        num_examples=split_size(info, d.split, examples),
        examples=examples,
    )
