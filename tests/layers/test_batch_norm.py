"""FusedBatchNormalization: Algorithm 1 of Ioffe & Szegedy 2015 (numpy), and the same outputs,
gradients and moving statistics as keras.layers.BatchNormalization on every path."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.layers import FusedBatchNormalization
from tfgan_kit.training.precision import dtype_policy


def pair(seed=0, **kwargs):
    """A Keras layer and a fused layer with the same (non-trivial) weights."""
    kwargs = {"momentum": 0.9, "epsilon": 1e-5, **kwargs}
    keras_layer = keras.layers.BatchNormalization(**kwargs)
    fused = FusedBatchNormalization(**kwargs)
    rng = np.random.default_rng(seed)
    for layer in (keras_layer, fused):
        layer.build((None, 5, 5, 3))
    weights = [rng.normal(size=w.shape).astype("float32") for w in keras_layer.weights]
    weights[-1] = np.abs(weights[-1]) + 0.5  # moving variance > 0
    keras_layer.set_weights(weights)
    fused.set_weights(weights)
    return keras_layer, fused


def op_types(layer, shape, training):
    function = tf.function(lambda v: layer(v, training=training))
    graph = function.get_concrete_function(tf.TensorSpec(shape, tf.float32)).graph
    return {op.type for op in graph.get_operations()}


def test_the_training_step_runs_the_fused_kernel_and_inference_does_not():
    _, fused = pair()
    assert "FusedBatchNormV3" in op_types(fused, (4, 5, 5, 3), training=True)
    assert "FusedBatchNormV3" not in op_types(fused, (4, 5, 5, 3), training=False)
    assert "FusedBatchNormV3" not in op_types(keras.layers.BatchNormalization(), (4, 5, 5, 3),
                                              training=True)


def test_training_step_is_algorithm_1_in_numpy():
    _, fused = pair()
    x = np.random.default_rng(1).normal(2.0, 3.0, size=(4, 5, 5, 3)).astype("float32")
    gamma, beta, moving_mean, moving_variance = [w.numpy() for w in fused.weights]
    y = fused(x, training=True).numpy()
    mean, variance = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))  # biased, as Algorithm 1
    np.testing.assert_allclose(y, gamma * (x - mean) / np.sqrt(variance + 1e-5) + beta,
                               rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(fused.moving_mean.numpy(), 0.9 * moving_mean + 0.1 * mean,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fused.moving_variance.numpy(),
                               0.9 * moving_variance + 0.1 * variance, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{}, {"center": False, "scale": False}, {"synchronized": True}])
def test_outputs_gradients_and_statistics_equal_keras(kwargs):
    keras_layer, fused = pair(**kwargs)
    x = tf.constant(np.random.default_rng(2).normal(1.0, 2.0, size=(8, 5, 5, 3)), tf.float32)
    upstream = tf.constant(np.random.default_rng(3).normal(size=(8, 5, 5, 3)), tf.float32)
    results = []
    for layer in (keras_layer, fused):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x, training=True)
            loss = tf.reduce_sum(y * upstream)
        grads = tape.gradient(loss, [x] + layer.trainable_weights)
        results.append([y] + grads + [layer.moving_mean, layer.moving_variance])
    for expected, got in zip(*results):
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-4, atol=1e-5)
    # Inference uses the moving statistics (Keras' code, the same weights).
    np.testing.assert_allclose(fused(x, training=False).numpy(),
                               keras_layer(x, training=False).numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("policy, dtype, atol", [("mixed_bfloat16", tf.bfloat16, 0.05),
                                                ("mixed_float16", tf.float16, 2e-3)])
def test_mixed_policies_keep_the_16_bit_dtype_and_match_keras(policy, dtype, atol):
    with dtype_policy(policy):
        keras_layer, fused = pair()
    x = tf.cast(np.random.default_rng(4).normal(size=(8, 5, 5, 3)), dtype)
    expected, got = keras_layer(x, training=True), fused(x, training=True)
    assert got.dtype == dtype and fused.moving_mean.dtype == tf.float32
    np.testing.assert_allclose(tf.cast(got, tf.float32).numpy(),
                               tf.cast(expected, tf.float32).numpy(), atol=atol)
    np.testing.assert_allclose(fused.moving_variance.numpy(), keras_layer.moving_variance.numpy(),
                               rtol=1e-3)


def test_xla_and_tf_function_match_eager():
    _, eager = pair()
    _, compiled = pair()
    x = tf.constant(np.random.default_rng(5).normal(size=(4, 5, 5, 3)), tf.float32)
    step = tf.function(lambda v: compiled(v, training=True), jit_compile=True)
    np.testing.assert_allclose(step(x).numpy(), eager(x, training=True).numpy(), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(compiled.moving_variance.numpy(), eager.moving_variance.numpy(),
                               rtol=1e-5)


def test_two_replicas_use_the_global_batch_statistics_as_keras(mirrored_strategy):
    """Synchronised BN over 2 replicas takes Keras' all-reduced path: the update equals one
    replica's on the whole batch."""
    x = np.random.default_rng(6).normal(size=(8, 5, 5, 3)).astype("float32")
    x[:4] += 3.0  # the replicas' halves differ: their mean local variance is not the global one
    _, single = pair(synchronized=True)
    single(x, training=True)
    strategy = mirrored_strategy
    with strategy.scope():
        _, mirrored = pair(synchronized=True)
    data = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices(x).batch(8))
    strategy.run(tf.function(lambda v: mirrored(v, training=True)), args=(next(iter(data)),))
    np.testing.assert_allclose(mirrored.moving_mean.numpy(), single.moving_mean.numpy(),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(mirrored.moving_variance.numpy(), single.moving_variance.numpy(),
                               rtol=1e-5, atol=1e-6)


def test_other_ranks_and_masks_use_keras_and_config_round_trips():
    keras_layer = keras.layers.BatchNormalization()
    fused = FusedBatchNormalization()
    x = np.random.default_rng(7).normal(size=(6, 4)).astype("float32")
    np.testing.assert_allclose(fused(x, training=True).numpy(),
                               keras_layer(x, training=True).numpy(), rtol=1e-5, atol=1e-5)
    clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(
        FusedBatchNormalization(momentum=0.8, epsilon=1e-4, name="bn")))
    assert isinstance(clone, FusedBatchNormalization)
    assert (clone.momentum, clone.epsilon, clone.name) == (0.8, 1e-4, "bn")
