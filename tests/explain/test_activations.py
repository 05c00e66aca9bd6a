"""Activations, top-quantile thresholds and bilinear upsampling against independent references."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgan_kit.explain import (
    collect_activations,
    quantile_thresholds,
    unit_masks,
    upsample_bilinear,
)


def test_quantile_threshold_matches_sorted_order_statistics():
    rng = np.random.default_rng(0)
    acts = rng.standard_normal((40, 5, 5, 3)).astype(np.float32)  # 1000 values per unit
    thresholds = quantile_thresholds(acts, 0.005)
    for u in range(3):
        values = np.sort(acts[..., u].ravel())
        # linear interpolation at rank (n - 1) * 0.995 = 994.005 between order statistics
        position = (values.size - 1) * 0.995
        low = int(np.floor(position))
        expected = values[low] + (position - low) * (values[low + 1] - values[low])
        assert thresholds[u] == pytest.approx(expected, rel=1e-6)
        assert np.mean(acts[..., u] > thresholds[u]) == pytest.approx(0.005, abs=1e-3)


@pytest.mark.parametrize("quantile", [0.0, 1.0, -0.1])
def test_quantile_rejects_out_of_range(quantile):
    with pytest.raises(ValueError, match="quantile"):
        quantile_thresholds(np.zeros((1, 2, 2, 1)), quantile)


@pytest.mark.parametrize("in_hw, out_hw", [((7, 7), (56, 56)), ((4, 6), (16, 9)), ((3, 5), (3, 5))])
def test_upsample_matches_tf_image_resize(in_hw, out_hw):
    rng = np.random.default_rng(1)
    maps = rng.standard_normal((2,) + in_hw).astype(np.float32)
    ours = upsample_bilinear(maps, out_hw)
    reference = tf.image.resize(maps[..., None], out_hw, method="bilinear").numpy()[..., 0]
    np.testing.assert_allclose(ours, reference, atol=1e-5)


def test_upsample_matches_pil_bilinear():
    rng = np.random.default_rng(2)
    small = rng.standard_normal((7, 7)).astype(np.float32)
    reference = np.asarray(Image.fromarray(small, mode="F").resize((28, 28), Image.BILINEAR))
    np.testing.assert_allclose(upsample_bilinear(small, (28, 28)), reference, atol=1e-4)


def test_unit_masks_is_upsample_then_threshold():
    rng = np.random.default_rng(3)
    acts = rng.standard_normal((6, 4, 4, 2)).astype(np.float32)
    acts[2] -= 10.0  # an image whose maximum is below the threshold: must give an empty mask
    thresholds = quantile_thresholds(acts, 0.05)
    masks = unit_masks(acts, thresholds, (12, 12), unit=1)
    reference = tf.image.resize(acts[..., 1:2], (12, 12)).numpy()[..., 0] > thresholds[1]
    np.testing.assert_array_equal(masks, reference)
    assert not masks[2].any() and masks.any()


def _tiny_model():
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(3, 3, padding="same", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(inputs, keras.layers.Dense(1)(x))


def test_collect_activations_from_dataset_and_numpy():
    model = _tiny_model()
    images = np.random.default_rng(4).uniform(-1, 1, (10, 8, 8, 1)).astype(np.float32)
    kernel, bias = model.get_layer("conv").get_weights()
    expected = tf.nn.conv2d(images, kernel, 1, "SAME").numpy() + bias
    dataset = tf.data.Dataset.from_tensor_slices((images, np.zeros(10))).batch(4)
    np.testing.assert_allclose(collect_activations(model, "conv", dataset), expected, atol=1e-5)
    from_numpy = collect_activations(model, "conv", images, batch_size=3)
    np.testing.assert_allclose(from_numpy, expected, atol=1e-5)


def test_collect_activations_errors():
    model = _tiny_model()
    images = np.zeros((2, 8, 8, 1), np.float32)
    with pytest.raises(ValueError, match="No layer named 'nope'"):
        collect_activations(model, "nope", images)
    with pytest.raises(ValueError, match="spatial maps"):
        collect_activations(model, "pool", images)
