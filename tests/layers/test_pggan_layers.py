"""Progressive GAN layers against independent numpy computations (Karras et al. 2018)."""

import math

import keras
import numpy as np
import pytest

from tfgan_kit.layers import (
    Downsample2D,
    EqualizedConv2D,
    EqualizedDense,
    FadeIn,
    MinibatchStdDev,
    PixelNorm,
    Upsample2D,
)


def _rng(seed=0):
    return np.random.default_rng(seed)


def _minibatch_stddev_numpy(x, group_size, eps=1e-8):
    """Independent reference: for each sample n, its group is every sample n' with
    n' = n (mod M), M = N / G (the official code's reshape to [G, M, ...] groups that way)."""
    n = x.shape[0]
    g = min(group_size, n)
    m = n // g
    out = np.empty((n, x.shape[1], x.shape[2], 1), np.float64)
    for i in range(n):
        members = x[[j for j in range(n) if j % m == i % m]].astype(np.float64)
        std = np.sqrt(members.var(axis=0) + eps)  # population variance per feature and pixel
        out[i] = std.mean()
    return np.concatenate([x, out.astype(x.dtype)], axis=-1)


@pytest.mark.parametrize("group_size,batch", [(4, 8), (2, 6), (3, 9), (4, 4), (4, 3), (1, 5)])
def test_minibatch_stddev_matches_numpy(group_size, batch):
    # Scales differ per sample so that the groups' statistics differ.
    x = (_rng(batch).normal(size=(batch, 4, 4, 5)) * np.arange(1, batch + 1)[:, None, None, None])
    x = x.astype(np.float32)
    got = keras.ops.convert_to_numpy(MinibatchStdDev(group_size)(x))
    np.testing.assert_allclose(got, _minibatch_stddev_numpy(x, group_size), rtol=1e-5, atol=1e-6)


def test_minibatch_stddev_groups_are_strided_like_official_code():
    # Batch 4, group 2 -> M = 2 groups {0, 2} and {1, 3}; put a large spread in group {0, 2} only.
    x = np.zeros((4, 1, 1, 1), np.float32)
    x[0], x[2] = -3.0, 3.0
    got = keras.ops.convert_to_numpy(MinibatchStdDev(2)(x))[:, 0, 0, 1]
    np.testing.assert_allclose(got, [3.0, 1e-4, 3.0, 1e-4], rtol=1e-4)


def test_minibatch_stddev_indivisible_batch_raises():
    with pytest.raises(ValueError, match="divisible by group_size=4.*batch=6"):
        MinibatchStdDev(4)(np.zeros((6, 4, 4, 2), np.float32))


def test_minibatch_stddev_bad_arguments_raise():
    with pytest.raises(ValueError, match="`group_size` should be at least 1. Received: group_size=0"):
        MinibatchStdDev(0)
    with pytest.raises(ValueError, match="rank 4"):
        MinibatchStdDev(2)(np.zeros((4, 3), np.float32))


def test_pixel_norm_matches_numpy():
    x = _rng(1).normal(size=(3, 4, 4, 6)).astype(np.float32) * 5
    expected = x / np.sqrt(np.mean(x.astype(np.float64) ** 2, axis=-1, keepdims=True) + 1e-8)
    got = keras.ops.convert_to_numpy(PixelNorm()(x))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    # Hand-computed number: a constant 3 vector becomes ones.
    ones = keras.ops.convert_to_numpy(PixelNorm()(np.full((1, 1, 1, 4), 3.0, np.float32)))
    np.testing.assert_allclose(ones, 1.0, rtol=1e-6)


def _conv_same_numpy(x, k, b):
    """Direct 'same' cross-correlation, NHWC, stride 1."""
    kh, kw, _, cout = k.shape
    ph, pw = kh // 2, kw // 2
    xp = np.pad(x, ((0, 0), (ph, ph), (pw, pw), (0, 0)))
    n, h, w, _ = x.shape
    out = np.zeros((n, h, w, cout))
    for i in range(h):
        for j in range(w):
            patch = xp[:, i:i + kh, j:j + kw, :]
            out[:, i, j, :] = np.einsum("nabc,abcd->nd", patch, k)
    return out + b


@pytest.mark.parametrize("gain,lr_multiplier", [(math.sqrt(2), 1.0), (1.0, 1.0), (math.sqrt(2) / 4, 0.5)])
def test_equalized_dense_effective_kernel_and_output(gain, lr_multiplier):
    layer = EqualizedDense(7, gain=gain, lr_multiplier=lr_multiplier)
    x = _rng(2).normal(size=(5, 12)).astype(np.float32)
    layer.build(x.shape)
    layer.bias.assign(np.arange(7, dtype=np.float32))
    w = keras.ops.convert_to_numpy(layer.kernel)
    effective = w * gain * lr_multiplier / math.sqrt(12)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer.effective_kernel), effective, rtol=1e-6)
    expected = x @ effective + np.arange(7) * lr_multiplier
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kernel_size,gain", [(3, math.sqrt(2)), (1, 1.0)])
def test_equalized_conv_effective_kernel_and_output(kernel_size, gain):
    layer = EqualizedConv2D(4, kernel_size, gain=gain)
    x = _rng(3).normal(size=(2, 5, 5, 3)).astype(np.float32)
    layer.build(x.shape)
    layer.bias.assign(np.array([0.5, -1.0, 2.0, 0.0], np.float32))
    w = keras.ops.convert_to_numpy(layer.kernel)
    effective = w * gain / math.sqrt(kernel_size * kernel_size * 3)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer.effective_kernel), effective, rtol=1e-6)
    expected = _conv_same_numpy(x.astype(np.float64), effective, [0.5, -1.0, 2.0, 0.0])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), expected, rtol=1e-4, atol=1e-4)


def test_equalized_weights_are_standard_normal_and_bias_zero():
    layer = EqualizedConv2D(64, 3)
    layer.build((None, 8, 8, 64))
    w = keras.ops.convert_to_numpy(layer.kernel)
    assert abs(w.std() - 1.0) < 0.02 and abs(w.mean()) < 0.02
    assert np.all(keras.ops.convert_to_numpy(layer.bias) == 0)


@pytest.mark.parametrize("gain", [math.sqrt(2), 1.0, math.sqrt(2) / 4])
def test_equalized_unit_variance_input_gives_output_std_gain(gain):
    keras.utils.set_random_seed(4)
    x = _rng(4).normal(size=(4096, 256)).astype(np.float32)
    out = keras.ops.convert_to_numpy(EqualizedDense(256, gain=gain)(x))
    assert out.std() == pytest.approx(gain, rel=0.05)
    xc = _rng(5).normal(size=(16, 16, 16, 64)).astype(np.float32)
    # Interior pixels only: zero padding lowers the variance at the border.
    outc = keras.ops.convert_to_numpy(EqualizedConv2D(64, 3, gain=gain)(xc))[:, 1:-1, 1:-1]
    assert outc.std() == pytest.approx(gain, rel=0.05)


def test_equalized_bad_arguments_raise():
    with pytest.raises(ValueError, match="`gain` should be greater than zero. Received: gain=0"):
        EqualizedDense(4, gain=0)
    with pytest.raises(ValueError, match="`kernel_size` should be a positive odd integer. Received: kernel_size=2"):
        EqualizedConv2D(4, 2)
    with pytest.raises(ValueError, match="`lr_multiplier` should be greater than zero"):
        EqualizedConv2D(4, 3, lr_multiplier=-1)
    with pytest.raises(ValueError, match="`units` should be greater than zero. Received: units=0"):
        EqualizedDense(0)


def test_upsample_downsample_match_numpy():
    x = _rng(6).normal(size=(2, 4, 6, 3)).astype(np.float32)
    up = keras.ops.convert_to_numpy(Upsample2D()(x))
    assert up.shape == (2, 8, 12, 3)
    np.testing.assert_array_equal(up[:, 5, 7], x[:, 2, 3])
    np.testing.assert_array_equal(up, np.kron(x, np.ones((1, 2, 2, 1), np.float32)))
    down = keras.ops.convert_to_numpy(Downsample2D()(x))
    expected = x.reshape(2, 2, 2, 3, 2, 3).mean(axis=(2, 4))
    np.testing.assert_allclose(down, expected, rtol=1e-6)
    # Box filter inverts nearest upsampling exactly.
    np.testing.assert_allclose(keras.ops.convert_to_numpy(Downsample2D(4)(Upsample2D(4)(x))), x, rtol=1e-6)
    with pytest.raises(ValueError, match="divisible by factor=2"):
        Downsample2D()(np.zeros((1, 5, 4, 1), np.float32))
    with pytest.raises(ValueError, match="`factor` should be a positive integer. Received: factor=0"):
        Upsample2D(0)


def test_fade_in_weighted_sum_and_variable():
    layer = FadeIn()
    old, new = np.full((2, 3), 2.0, np.float32), np.full((2, 3), 6.0, np.float32)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer([old, new])), 2.0)
    layer.alpha.assign(0.25)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer([old, new])), 3.0)
    assert layer.non_trainable_weights == [layer.alpha] and not layer.trainable_weights
    with pytest.raises(ValueError, match=r"`alpha` should be in \[0, 1\]. Received: alpha=2"):
        FadeIn(alpha=2)
    with pytest.raises(ValueError, match="same shape"):
        FadeIn()([old, np.zeros((2, 4), np.float32)])


@pytest.mark.parametrize(
    "layer,shape",
    [
        (MinibatchStdDev(group_size=2, epsilon=1e-6), (4, 4, 4, 3)),
        (PixelNorm(epsilon=1e-6), (2, 4, 4, 3)),
        (EqualizedDense(5, gain=1.0, use_bias=False, lr_multiplier=0.1), (2, 3)),
        (EqualizedConv2D(5, 1, gain=1.0, lr_multiplier=2.0), (2, 4, 4, 3)),
        (Upsample2D(4), (1, 2, 2, 3)),
        (Downsample2D(2), (1, 4, 4, 3)),
    ],
)
def test_get_config_round_trip(layer, shape):
    x = _rng(7).normal(size=shape).astype(np.float32)
    y = layer(x)
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    clone.build(x.shape)
    if layer.weights:
        clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(keras.ops.convert_to_numpy(clone(x)), keras.ops.convert_to_numpy(y), rtol=1e-6)
    assert tuple(clone.compute_output_shape(x.shape)) == tuple(y.shape)


def test_fade_in_config_and_keras_file_round_trip(tmp_path):
    inputs = [keras.Input((3,)), keras.Input((3,))]
    model = keras.Model(inputs, FadeIn(alpha=0.5, name="fade")(inputs))
    model.get_layer("fade").alpha.assign(0.75)
    path = tmp_path / "fade.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert float(loaded.get_layer("fade").alpha.numpy()) == 0.75
    assert FadeIn.from_config(model.get_layer("fade").get_config()).get_config()["alpha"] == 0.5
