"""Data loaders: digits, Gaussian mixtures, the resumable epoch stream, tensorflow-datasets."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_kit.data import (
    batch_examples,
    digits,
    digits_arrays,
    gaussian_grid,
    gaussian_ring,
    grid_centers,
    ring_centers,
    tfds_images,
)


@pytest.mark.parametrize("size", [8, 16, 32])
def test_digits_range_shape_and_labels(size):
    images, labels = digits_arrays(size, with_labels=True)
    assert images.shape == (1797, size, size, 1) and images.dtype == np.float32
    assert images.min() == -1.0 and images.max() == 1.0
    assert set(np.unique(labels)) == set(range(10))
    batch_images, batch_labels = next(iter(digits(32, size, with_labels=True)))
    assert batch_images.shape == (32, size, size, 1) and batch_labels.shape == (32,)


def test_digits_8x8_is_the_scaled_sklearn_data():
    from sklearn.datasets import load_digits

    np.testing.assert_allclose(digits_arrays(8)[..., 0], load_digits().images / 8.0 - 1.0,
                               atol=1e-6)


def test_digits_rejects_other_sizes():
    with pytest.raises(ValueError, match="`image_size` must be one of"):
        digits_arrays(28)


def test_ring_centers_are_8_distinct_angles():
    centers = ring_centers(8, 1.0)
    angles = np.sort(np.mod(np.arctan2(centers[:, 1], centers[:, 0]), 2 * np.pi))
    np.testing.assert_allclose(angles, 2 * np.pi * np.arange(8) / 8, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 1.0, atol=1e-6)


def test_grid_centers_are_the_5x5_lattice():
    centers = grid_centers()
    assert sorted(set(centers[:, 0].tolist())) == [-4, -2, 0, 2, 4]
    assert len({tuple(c) for c in centers.tolist()}) == 25


def test_mixture_samples_sit_near_their_centres():
    points = np.concatenate([b.numpy() for b in gaussian_ring(256, num_examples=2560)])
    distances = np.linalg.norm(points[:, None] - ring_centers()[None], axis=-1).min(1)
    assert points.shape == (2560, 2)
    assert np.mean(distances < 0.03) > 0.98  # 3 sigma, sigma = 0.01
    grid = next(iter(gaussian_grid(128))).numpy()
    assert np.linalg.norm(grid[:, None] - grid_centers()[None], axis=-1).min(1).max() < 0.4


def test_finite_dataset_reshuffles_each_pass_with_a_seed():
    ds = batch_examples(tf.data.Dataset.range(100), 10, seed=3)
    first, second = [np.concatenate(list(ds.as_numpy_iterator())) for _ in range(2)]
    assert sorted(first) == list(range(100)) and not np.array_equal(first, second)
    again = batch_examples(tf.data.Dataset.range(100), 10, seed=3)
    np.testing.assert_array_equal(np.concatenate(list(again.as_numpy_iterator())), first)


def test_epoch_stream_order_does_not_depend_on_the_start_epoch():
    examples = tf.data.Dataset.range(50)
    full = list(batch_examples(examples, 10, seed=1, epochs=4).as_numpy_iterator())
    resumed = list(batch_examples(examples, 10, seed=1, epochs=4, start_epoch=2)
                   .as_numpy_iterator())
    assert len(full) == 20 and len(resumed) == 10
    for a, b in zip(full[10:], resumed):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(np.concatenate(full[:5]), np.concatenate(full[5:10]))


def test_epoch_stream_steps_per_epoch_truncates_and_checks():
    examples = tf.data.Dataset.range(50)
    stream = list(batch_examples(examples, 10, epochs=2, steps_per_epoch=3).as_numpy_iterator())
    assert len(stream) == 6
    with pytest.raises(ValueError, match="exceeds the 5 full batches"):
        batch_examples(examples, 10, epochs=2, steps_per_epoch=6)
    with pytest.raises(ValueError, match="fewer than batch_size"):
        batch_examples(examples, 64)


def test_tfds_images_with_mock_data():
    with tfds.testing.mock_data(num_examples=20):
        ds = tfds_images("mnist", "train", image_size=16, batch_size=8, with_labels=True)
        images, labels = next(iter(ds))
    assert images.shape == (8, 16, 16, 1) and labels.shape == (8,)
    assert images.dtype == tf.float32
    assert float(tf.reduce_min(images)) >= -1.0 and float(tf.reduce_max(images)) <= 1.0


def test_tfds_not_prepared_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="tfds build mnist"):
        tfds_images("mnist", data_dir=str(tmp_path))
    with pytest.raises(ValueError, match="Unknown tensorflow-datasets name"):
        tfds_images("no_such_dataset_xyz", data_dir=str(tmp_path))


@pytest.mark.parametrize("global_seed", [0, 5])
def test_epoch_stream_builds_and_ignores_the_global_seed(global_seed):
    """keras.utils.set_random_seed(0) before building the stream must neither fail nor matter."""
    tf.random.set_seed(None)
    reference = list(batch_examples(tf.data.Dataset.range(20), 5, seed=1, epochs=2)
                     .as_numpy_iterator())
    tf.random.set_seed(global_seed)
    try:
        stream = list(batch_examples(tf.data.Dataset.range(20), 5, seed=1, epochs=2)
                      .as_numpy_iterator())
    finally:
        tf.random.set_seed(None)
    for a, b in zip(reference, stream):
        np.testing.assert_array_equal(a, b)
