"""Data specs: what each registered data set says it holds, and the batch accessors."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_kit.data import DataSpec, batch_size, labels, pair, samples
from tfgan_kit.registry import get_dataset


def config_of(module: str):
    import importlib

    return importlib.import_module(f"configs.{module}").get_config()


def test_registered_specs_say_what_their_batches_hold():
    ring = config_of("gan_ring")
    spec = get_dataset("gaussian_ring")(ring, 256)
    assert (spec.kind, spec.sample_shape, spec.num_examples) == ("image", (2,), 25_600)
    assert spec.steps_per_epoch(256) == 100 and spec.reference_points.shape == (8, 2)
    assert next(iter(spec.dataset)).shape == (256, 2)

    digits = config_of("dcgan_digits")
    spec = get_dataset("digits")(digits, 64)
    assert (spec.kind, spec.sample_shape, spec.num_classes) == ("image", (32, 32, 1), None)
    assert spec.steps_per_epoch(64) == 1797 // 64
    np.testing.assert_array_equal(spec.preview(5), spec.preview(5))  # fixed across calls
    digits.data.with_labels = True
    spec = get_dataset("digits")(digits, 64)
    assert (spec.kind, spec.num_classes) == ("labelled", 10)
    images, classes = next(iter(spec.dataset))
    assert images.shape == (64, 32, 32, 1) and classes.dtype == tf.int32

    none = get_dataset("none")(digits, 8)
    assert none.kind == "none" and none.num_examples is None and none.preview(3) is None
    assert int(batch_size(next(iter(none.dataset)))) == 8


def test_tfds_spec_reads_shape_and_classes_from_the_data_set_info():
    config = config_of("dcgan_mnist")
    with tfds.testing.mock_data(num_examples=20):
        spec = get_dataset("tfds")(config, 4)
        assert (spec.kind, spec.sample_shape, spec.num_classes) == ("image", (28, 28, 1), None)
        assert spec.preview(2).shape == (2, 28, 28, 1)
        config.data.with_labels = True
        spec = get_dataset("tfds")(config, 4)
        assert (spec.kind, spec.num_classes) == ("labelled", 10)


def test_accessors_read_tuples_dicts_and_name_what_is_missing():
    x, y = tf.zeros((3, 2)), tf.constant([1, 2, 3])
    assert samples(x) is x and samples((x, y)) is x and samples({"image": x}) is x
    assert labels((x, y)) is y and labels({"image": x, "label": y}) is y
    assert pair((x, y))[1] is y and pair({"source": x, "target": y})[1] is y
    assert pair({"a": x, "b": y})[0] is x
    with pytest.raises(ValueError, match="The batch has no labels: it is a single tensor"):
        labels(x)
    with pytest.raises(ValueError, match=r"lacks 'label'"):
        labels({"image": x})
    with pytest.raises(ValueError, match="`kind` must be one of"):
        DataSpec(tf.data.Dataset.range(1), "pairs", (2,))
