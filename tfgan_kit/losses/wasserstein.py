"""Wasserstein GAN losses on critic outputs (Arjovsky et al. 2017; Gulrajani et al. 2017).

Pure functions of critic (discriminator) outputs of any rank, averaged over every element.

Reference:
    Arjovsky et al., "Wasserstein GAN", ICML 2017, Eq. 3 (https://arxiv.org/abs/1701.07875);
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, Eq. 3
    (https://arxiv.org/abs/1704.00028).
"""

import tensorflow as tf


def _outputs(x) -> tf.Tensor:
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def wasserstein_discriminator_loss(discriminator_real_outputs, discriminator_gen_outputs) -> tf.Tensor:
    """Critic loss ``E[D(G(z))] - E[D(x)]`` (Arjovsky et al. 2017, Eq. 3; WGAN-GP Eq. 3, first terms).

    The critic maximises the Kantorovich-Rubinstein estimate ``E[D(x)] - E[D(G(z))]``; this is its
    negative. It needs a Lipschitz constraint on D (weight clipping or
    :func:`tfgan_kit.losses.penalties.gradient_penalty`), and outputs are unbounded scores, not
    logits of a probability.

    Args:
        discriminator_real_outputs: critic scores on real data, any shape.
        discriminator_gen_outputs: critic scores on generated data, any shape.

    Returns:
        Scalar float32.
    """
    return tf.reduce_mean(_outputs(discriminator_gen_outputs)) - tf.reduce_mean(
        _outputs(discriminator_real_outputs)
    )


def wasserstein_generator_loss(discriminator_gen_outputs) -> tf.Tensor:
    """Generator loss ``-E[D(G(z))]`` (Arjovsky et al. 2017, Algorithm 1, generator update).

    Args:
        discriminator_gen_outputs: critic scores on generated data, any shape.

    Returns:
        Scalar float32.
    """
    return -tf.reduce_mean(_outputs(discriminator_gen_outputs))
