"""1 replica vs 2 replicas (MirroredStrategy on 2 logical CPUs): the same update.

DCGAN nets use BatchNormalization, whose batch statistics must be taken over the global batch
(synchronised across replicas) for the two runs to agree.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.models import GAN
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator, mlp_discriminator, mlp_generator

# Per family: the (generator, discriminator) builder, the shape of one real example, and the SGD
# learning rate (DCGAN's kernels start at std 0.02: 0.5 would blow them up and amplify round-off).
NETS = {
    "mlp": dict(nets=lambda: (mlp_generator(8, 2, hidden=(32, 32), output_activation="linear"),
                              mlp_discriminator(2, hidden=(32, 32))),
                example_shape=(2,), learning_rate=0.5),
    # 16x16: the smallest size with BatchNorm in both nets (8x8 has none in the discriminator).
    "dcgan": dict(nets=lambda: (dcgan_generator(8, image_size=16, channels=1, base_filters=4),
                                dcgan_discriminator(16, 1, base_filters=4)),
                  example_shape=(16, 16, 1), learning_rate=0.1),
}


def build(strategy, family, initial=None, d_steps=1):
    with strategy.scope():
        keras.utils.set_random_seed(7)
        generator, discriminator = NETS[family]["nets"]()
        model = GAN(generator, discriminator, latent_dim=8, d_steps=d_steps, seed=3)
        if initial is not None:
            model.generator.set_weights(initial[0])
            model.discriminator.set_weights(initial[1])
        # SGD: an update that is 2x too large (gradients summed over replicas) would show.
        learning_rate = NETS[family]["learning_rate"]
        model.compile(g_optimizer=keras.optimizers.SGD(learning_rate),
                      d_optimizer=keras.optimizers.SGD(learning_rate))
    return model


@pytest.mark.parametrize("family, d_steps", [("mlp", 1), ("mlp", 2), ("dcgan", 1)])
def test_mirrored_step_equals_single_replica_step(family, d_steps, mirrored_strategy):
    # Global batch 16, 3 steps of the same 16 examples (DCGAN: images in [-1, 1]).
    shape = NETS[family]["example_shape"]
    batch = np.random.default_rng(0).uniform(-1, 1, size=(16, *shape)).astype(np.float32)
    data = tf.data.Dataset.from_tensor_slices(batch).batch(16).repeat(3)

    single = build(tf.distribute.get_strategy(), family, d_steps=d_steps)
    initial = ([w.numpy() for w in single.generator.weights],
               [w.numpy() for w in single.discriminator.weights])
    mirrored = build(mirrored_strategy, family, initial, d_steps=d_steps)
    assert mirrored.distribute_strategy.num_replicas_in_sync == 2

    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    # All weights, including BatchNorm moving statistics (non-trainable weights).
    for net in ("generator", "discriminator"):
        moved = False
        for a, b, w0 in zip(getattr(single, net).weights, getattr(mirrored, net).weights,
                            initial[0 if net == "generator" else 1], strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5, err_msg=a.path)
            moved |= not np.allclose(a.numpy(), w0)
        assert moved, f"{net} did not train"
    np.testing.assert_allclose(single_logs["d_loss"], mirrored_logs["d_loss"], rtol=1e-5)
    np.testing.assert_allclose(single_logs["g_loss"], mirrored_logs["g_loss"], rtol=1e-5)
