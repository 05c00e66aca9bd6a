"""1 replica vs 2 replicas (MirroredStrategy on 2 logical CPUs): the same update."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.models import GAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator


def build(strategy, initial=None, d_steps=1):
    with strategy.scope():
        keras.utils.set_random_seed(7)
        model = GAN(mlp_generator(8, 2, hidden=(32, 32), output_activation="linear"),
                    mlp_discriminator(2, hidden=(32, 32)), latent_dim=8, d_steps=d_steps, seed=3)
        if initial is not None:
            model.generator.set_weights(initial[0])
            model.discriminator.set_weights(initial[1])
        # SGD: an update that is 2x too large (gradients summed over replicas) would show.
        model.compile(g_optimizer=keras.optimizers.SGD(0.5), d_optimizer=keras.optimizers.SGD(0.5))
    return model


@pytest.mark.parametrize("d_steps", [1, 2])
def test_mirrored_step_equals_single_replica_step(d_steps, mirrored_strategy):
    batch = np.random.default_rng(0).normal(size=(16, 2)).astype(np.float32)
    data = tf.data.Dataset.from_tensor_slices(batch).batch(16)

    single = build(tf.distribute.get_strategy(), d_steps=d_steps)
    initial = ([w.numpy() for w in single.generator.weights],
               [w.numpy() for w in single.discriminator.weights])
    mirrored = build(mirrored_strategy, initial, d_steps=d_steps)
    assert mirrored.distribute_strategy.num_replicas_in_sync == 2

    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "discriminator"):
        moved = False
        for a, b, w0 in zip(getattr(single, net).weights, getattr(mirrored, net).weights,
                            initial[0 if net == "generator" else 1]):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)
            moved |= not np.allclose(a.numpy(), w0)
        assert moved, f"{net} did not train"
    np.testing.assert_allclose(single_logs["d_loss"], mirrored_logs["d_loss"], rtol=1e-5)
    np.testing.assert_allclose(single_logs["g_loss"], mirrored_logs["g_loss"], rtol=1e-5)
