"""Fake quantization (ZAQ, Liu et al. 2021, Section 3.1) against an independent numpy quantizer."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.quantize import (
    ActivationQuantizer,
    calibrate_activation_ranges,
    QuantConv2D,
    QuantDense,
    QuantReLU,
    fake_quantize,
    quantize_model,
)


def numpy_quantize(x, lo, hi, bits):
    """Asymmetric uniform quantizer written out: 2^k - 1 steps over [lo, hi], clamped."""
    steps = 2**bits - 1
    scale = steps / np.maximum(hi - lo, 1e-8)
    zero = np.round(scale * lo)
    q = np.clip(np.round(scale * x) - zero, 0, steps)
    return (q + zero) / scale


def small_cnn(seed=0):
    keras.utils.set_random_seed(seed)
    x = keras.Input((6, 6, 2))
    h = keras.layers.Conv2D(5, 3, padding="same", activation="relu", name="conv_a")(x)
    h = keras.layers.BatchNormalization(name="bn")(h)
    h = keras.layers.Conv2D(4, 3, name="conv_b")(h)
    h = keras.layers.ReLU(name="relu_b")(h)
    h = keras.layers.GlobalAveragePooling2D()(h)
    h = keras.layers.Dense(6, name="dense_a")(h)
    h = keras.layers.Activation("relu", name="relu_c")(h)
    return keras.Model(x, keras.layers.Dense(3, name="logits")(h), name="cnn")


def images(n=8, seed=1):
    return np.random.default_rng(seed).normal(size=(n, 6, 6, 2)).astype(np.float32)


def test_fake_quantize_rounds_to_the_grid_and_clamps_outside_the_range():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 3, size=1000).astype(np.float32)
    for bits in (2, 4, 8):
        got = fake_quantize(tf.constant(x), -1.0, 2.0, bits).numpy()
        np.testing.assert_allclose(got, numpy_quantize(x, -1.0, 2.0, bits), atol=1e-5)
        inside = got[(x >= -1) & (x <= 2)]
        assert len(np.unique(np.round(inside, 5))) <= 2**bits
    got = fake_quantize(tf.constant([-5.0, 9.0]), -1.0, 2.0, 4).numpy()
    np.testing.assert_allclose(got, numpy_quantize(np.array([-1.0, 2.0]), -1.0, 2.0, 4),
                               atol=1e-6)  # clamped to the ends of the grid


def test_straight_through_gradient_is_one_inside_and_zero_outside():
    x = tf.constant([-3.0, -1.0, -0.3, 0.0, 0.77, 2.0, 2.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fake_quantize(x, -1.0, 2.0, 3)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0, 1, 1, 1, 1, 1, 0])


def test_conv_and_dense_kernels_are_quantized_per_output_channel():
    model = small_cnn()
    quantized = quantize_model(model, weight_bits=3, activation_bits=8)
    for name, cls in (("conv_a", QuantConv2D), ("conv_b", QuantConv2D),
                      ("dense_a", QuantDense), ("logits", QuantDense)):
        layer = quantized.get_layer(name)
        assert isinstance(layer, cls)
        kernel = model.get_layer(name).kernel.numpy()
        np.testing.assert_array_equal(layer.kernel.numpy(), kernel)  # weights copied
        flat = kernel.reshape(-1, kernel.shape[-1])
        lo, hi = flat.min(axis=0), flat.max(axis=0)  # one range per output channel
        np.testing.assert_allclose(layer.quantized_kernel().numpy(),
                                   numpy_quantize(kernel, lo, hi, 3), atol=1e-6)
        # at most 2^3 values per output channel, and the channel's extremes stay on the grid
        got = layer.quantized_kernel().numpy().reshape(-1, kernel.shape[-1])
        assert max(len(np.unique(got[:, c])) for c in range(got.shape[1])) <= 8
    assert type(quantized.get_layer("bn")) is keras.layers.BatchNormalization
    np.testing.assert_array_equal(quantized.get_layer("bn").get_weights()[0],
                                  model.get_layer("bn").get_weights()[0])


def test_activations_after_every_relu_use_the_running_range():
    model = small_cnn()
    quantized = quantize_model(model, weight_bits=8, activation_bits=4)
    quantizers = [quantized.get_layer("conv_a").activation_quantizer,
                  quantized.get_layer("relu_b").activation_quantizer,
                  quantized.get_layer("relu_c").activation_quantizer]
    assert all(isinstance(q, ActivationQuantizer) for q in quantizers)
    assert isinstance(quantized.get_layer("relu_b"), QuantReLU)
    assert quantized.get_layer("conv_b").activation_quantizer is None  # no fused ReLU
    probe = keras.Model(quantized.inputs[0], quantized.get_layer("relu_b").output)
    relu_in = keras.Model(quantized.inputs[0], quantized.get_layer("conv_b").output)
    seen_max = 0.0
    for seed in (1, 2, 3):
        x = images(seed=seed) * seed
        probe(x, training=True)
        seen_max = max(seen_max, float(np.maximum(relu_in(x, training=True), 0).max()))
        q = quantizers[1]
        assert float(q.range_min) == 0.0
        np.testing.assert_allclose(float(q.range_max), seen_max, rtol=1e-5)  # only grows
    # inference: the stored range, per tensor, 4 bits; values above the range are clamped
    x = images(seed=9) * 5
    pre = np.maximum(relu_in(x, training=False).numpy(), 0)
    np.testing.assert_allclose(probe(x, training=False).numpy(),
                               numpy_quantize(pre, 0.0, seen_max, 4), atol=1e-5)


def test_range_momentum_keeps_moving_averages_of_the_batch_ranges():
    quantizer = ActivationQuantizer(4, momentum=0.9)
    batches = [np.random.default_rng(s).normal(size=(4, 3)).astype(np.float32) * (s + 1)
               for s in range(3)]
    lo, hi = batches[0].min(), batches[0].max()  # the first batch sets the range
    quantizer(batches[0], training=True)
    for x in batches[1:]:
        lo, hi = 0.9 * lo + 0.1 * x.min(), 0.9 * hi + 0.1 * x.max()
        got = quantizer(x, training=True).numpy()
        np.testing.assert_allclose([float(quantizer.range_min), float(quantizer.range_max)],
                                   [lo, hi], rtol=1e-5)
        np.testing.assert_allclose(got, numpy_quantize(np.clip(x, lo, hi), lo, hi, 4),
                                   atol=1e-5)
    before = float(quantizer.range_max)
    quantizer(batches[2] * 10, training=False)  # inference leaves the range alone
    assert float(quantizer.range_max) == before
    quantized = quantize_model(small_cnn(), 4, 4, range_momentum=0.5)
    assert quantized.get_layer("relu_b").activation_quantizer.momentum == 0.5
    with pytest.raises(ValueError, match=r"`range_momentum` must be None or in \[0, 1\). "
                                         r"Received: range_momentum=1.5"):
        quantize_model(small_cnn(), 4, 4, range_momentum=1.5)


def test_straight_through_gradients_reach_every_trainable_weight():
    model = small_cnn()
    quantized = quantize_model(model, weight_bits=4, activation_bits=4)
    x = images()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(quantized(x, training=True) ** 2)
    grads = tape.gradient(loss, quantized.trainable_variables)
    assert len(grads) == len(model.trainable_variables) == 10
    for variable, grad in zip(quantized.trainable_variables, grads):
        assert grad is not None and np.any(grad.numpy() != 0), variable.path
    # kernel gradient = gradient with respect to the quantized kernel (STE: factor 1 everywhere,
    # every weight lies inside its channel's range)
    layer = quantized.get_layer("logits")
    features = keras.Model(quantized.inputs[0], quantized.get_layer("relu_c").output)(x)
    with tf.GradientTape() as tape:
        kernel = layer.quantized_kernel()
        tape.watch(kernel)
        loss = tf.reduce_sum((tf.matmul(features, kernel) + layer.bias) ** 2)
    expected = tape.gradient(loss, kernel)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(features) ** 2)
    np.testing.assert_allclose(tape.gradient(loss, layer.kernel), expected, rtol=1e-5, atol=1e-6)


def test_quantization_error_falls_as_bits_rise():
    model = small_cnn()
    x = images(64)
    reference = model(x, training=False).numpy()
    errors = []
    for bits in (2, 3, 4, 6, 8):
        quantized = quantize_model(model, weight_bits=bits, activation_bits=bits)
        for q in quantized.layers:  # calibrate ranges without moving BatchNorm statistics
            if isinstance(q, keras.layers.BatchNormalization):
                q.trainable = False
        quantized(x, training=True)
        errors.append(float(np.mean(np.abs(quantized(x, training=False).numpy() - reference))))
    assert all(a > b for a, b in zip(errors, errors[1:])), errors
    assert errors[-1] < 0.02 * np.mean(np.abs(reference))


def test_sequential_models_save_and_load(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(2)], name="mlp")
    quantized = quantize_model(model, 4, 6)
    assert quantized.name == "mlp_w4a6"
    assert [type(layer) for layer in quantized.layers] == [QuantDense, QuantDense]
    x = np.random.default_rng(0).normal(size=(8, 5)).astype(np.float32)
    quantized(x, training=True)
    path = str(tmp_path / "q.keras")
    quantized.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded(x), quantized(x), atol=1e-6)
    assert loaded.layers[0].weight_bits == 4 and loaded.layers[0].activation_bits == 6
    np.testing.assert_allclose(model(x), model(x))  # the original is untouched by the copy


def test_bad_arguments_are_refused_with_the_value():
    model = small_cnn()
    with pytest.raises(ValueError, match=r"`weight_bits` must be an integer in \[2, 16\]. "
                                         r"Received: weight_bits=1"):
        quantize_model(model, 1, 8)
    with pytest.raises(ValueError, match=r"`activation_bits` .* Received: activation_bits=4.5"):
        quantize_model(model, 4, 4.5)

    class Subclassed(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="must be a built keras.Sequential or functional .* "
                                         "Received: Subclassed"):
        quantize_model(Subclassed(), 4, 4)


def test_calibration_sets_the_ranges_and_leaves_batch_norm_alone():
    model = small_cnn()
    quantized = quantize_model(model, 4, 4)
    moving = [w.numpy() for w in quantized.get_layer("bn").weights]
    x = images(40)
    calibrate_activation_ranges(quantized, x, batch_size=64)  # one pass: the ranges of x
    for w, before in zip(quantized.get_layer("bn").weights, moving):
        np.testing.assert_array_equal(w.numpy(), before)
    assert quantized.get_layer("bn").trainable
    relu_in = keras.Model(quantized.inputs[0], quantized.get_layer("conv_b").output)
    np.testing.assert_allclose(
        float(quantized.get_layer("relu_b").activation_quantizer.range_max),
        np.maximum(relu_in(x, training=False).numpy(), 0).max(), rtol=1e-5)
    with pytest.raises(ValueError, match="cnn has no activation quantizer"):
        calibrate_activation_ranges(model, x)
