"""Semi-supervised data: the split, the zipped labelled stream, its resumability, the builder."""

import ml_collections
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.data.semi_supervised import (
    digits_split,
    labelled_batch,
    semi_supervised_batches,
    split_labelled,
)
from tfgan_kit.registry import get_dataset


def test_split_has_k_labelled_per_class_and_a_disjoint_held_out_set():
    split = digits_split(8, labelled_per_class=10, held_out_fraction=0.2, seed=0)
    assert np.bincount(split.labelled_labels).tolist() == [10] * 10
    assert len(split.held_out_labels) == 359 and len(split.unlabelled_images) == 1797 - 359
    flat = lambda a: {row.tobytes() for row in a.reshape(len(a), -1)}  # noqa: E731
    assert flat(split.labelled_images) <= flat(split.unlabelled_images)
    # The digits hold a few duplicate images; nearly all held-out ones are unseen.
    assert len(flat(split.held_out_images) & flat(split.unlabelled_images)) < 10
    again = digits_split(8, 10, 0.2, seed=0)
    np.testing.assert_array_equal(again.labelled_images, split.labelled_images)


def test_split_refuses_bad_arguments_with_the_fix():
    images, labels = np.zeros((20, 2)), np.repeat([0, 1], 10)
    with pytest.raises(ValueError, match="Class 0 has .* fewer than labelled_per_class=9"):
        split_labelled(images, labels, 9, held_out_fraction=0.5)
    with pytest.raises(ValueError, match="`labelled_per_class` must be a positive integer"):
        split_labelled(images, labels, 0)
    with pytest.raises(ValueError, match=r"`held_out_fraction` must be in \(0, 1\)"):
        split_labelled(images, labels, 1, held_out_fraction=1.0)


def small_split():
    images = np.arange(40, dtype=np.float32).reshape(40, 1)
    return split_labelled(images, np.arange(40) % 2, labelled_per_class=3,
                          held_out_fraction=0.25, seed=0)


def test_stream_zips_unlabelled_batches_with_cycling_labelled_ones():
    split = small_split()
    batches = list(semi_supervised_batches(split, batch_size=10, labelled_batch_size=4,
                                           epochs=2))
    assert len(batches) == 2 * 3  # 30 unlabelled examples: 3 batches of 10 per epoch
    labelled_values = {float(v) for v in split.labelled_images[:, 0]}
    for batch in batches:
        x, y = labelled_batch(batch)
        assert batch["image"].shape == (10, 1) and x.shape == (4, 1) and y.dtype == tf.int32
        assert {float(v) for v in x.numpy()[:, 0]} <= labelled_values
        np.testing.assert_array_equal(y.numpy(), x.numpy()[:, 0].astype(int) % 2)
    resumed = list(semi_supervised_batches(split, 10, 4, epochs=2, start_epoch=1))
    for a, b in zip(batches[3:], resumed, strict=True):
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
    with pytest.raises(ValueError, match=r"`labelled_batch_size` must be in \[1, 6\]"):
        semi_supervised_batches(split, 10, labelled_batch_size=7)
    with pytest.raises(ValueError, match="The batch has no labelled part"):
        labelled_batch(tf.zeros([2, 1]))


def test_digits_builder_gives_a_semi_supervised_spec():
    config = ml_collections.ConfigDict(
        {"seed": 0, "data": {"name": "digits", "image_size": 8, "labelled_per_class": 10,
                             "labelled_batch_size": 100}})
    spec = get_dataset("digits")(config, 50, epochs=1)
    assert (spec.kind, spec.num_classes, spec.num_examples) == ("semi_supervised", 10, 1438)
    batch = next(iter(spec.dataset))
    assert batch["image"].shape == (50, 8, 8, 1) and batch["labelled_image"].shape[0] == 100
    assert sorted(np.bincount(batch["labelled_label"].numpy())) == [10] * 10


def test_tfds_builder_gives_a_semi_supervised_spec_under_mock_data():
    import tensorflow_datasets as tfds

    config = ml_collections.ConfigDict(
        {"seed": 0, "data": {"name": "tfds", "tfds_name": "mnist", "split": "train",
                             "image_size": 28, "data_dir": None, "labelled_per_class": 2,
                             "held_out_fraction": 0.2, "labelled_batch_size": 4}})
    with tfds.testing.mock_data(num_examples=200):
        spec = get_dataset("tfds")(config, 16, epochs=1)
        batch = next(iter(spec.dataset))
    assert (spec.kind, spec.num_classes, spec.sample_shape) == ("semi_supervised", 10,
                                                                (28, 28, 1))
    assert batch["image"].shape == (16, 28, 28, 1) and batch["labelled_label"].shape == (4,)
    assert float(np.max(np.abs(batch["image"]))) <= 1.0
