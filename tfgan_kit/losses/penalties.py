"""Regularisers of the discriminator: WGAN-GP gradient penalty and PGGAN's drift penalty.

Reference:
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, Eq. 3 and
    Algorithm 1 (https://arxiv.org/abs/1704.00028); Karras et al., "Progressive Growing of GANs",
    ICLR 2018, appendix A.1 (epsilon_drift term) (https://arxiv.org/abs/1710.10196).
"""

from typing import Callable

import tensorflow as tf


def interpolate(real, fake, weights) -> tf.Tensor:
    """``x_hat = real + weights * (fake - real)``, with ``weights`` broadcast per example.

    Args:
        real: real samples ``[batch, ...]``.
        fake: generated samples, same shape.
        weights: ``[batch]`` interpolation weights, usually ``U(0, 1)`` draws (WGAN-GP's epsilon).

    Returns:
        Tensor shaped like ``real``.
    """
    real = tf.convert_to_tensor(real)
    fake = tf.cast(tf.convert_to_tensor(fake), real.dtype)
    weights = tf.cast(tf.convert_to_tensor(weights), real.dtype)
    weights = tf.reshape(weights, [-1] + [1] * (real.shape.rank - 1))
    return real + weights * (fake - real)


def gradient_penalty(
    discriminator_fn: Callable[[tf.Tensor], tf.Tensor],
    real,
    fake,
    weights,
    target: float = 1.0,
    epsilon: float = 1e-10,
) -> tf.Tensor:
    """Two-sided gradient penalty ``E[(||grad D(x_hat)||_2 - target)^2] / target^2``.

    ``x_hat`` interpolates real and generated samples (Gulrajani et al. 2017, Algorithm 1,
    line 6); the norm is over every non-batch axis of each example's gradient. Multiply by the
    penalty weight (lambda = 10 in the paper). ``target`` is PGGAN's gamma (appendix A.1 of
    Karras et al. 2018 allows target != 1, dividing by target^2 as the official code does).
    The norm is computed as ``sqrt(sum(g^2) + epsilon)``: the derivative of ``sqrt`` at 0 is
    infinite, so an example whose input gradient is exactly zero (a dead ReLU, zero weights)
    would otherwise make the discriminator's weight gradients NaN (TF-GAN does the same).

    Args:
        discriminator_fn: maps a batch of samples to scores; any output rank (summed per
            example, so PatchGAN maps work).
        real: real samples ``[batch, ...]``.
        fake: generated samples, same shape (gradients do not flow into it).
        weights: ``[batch]`` interpolation weights in [0, 1].
        target: target gradient norm. Defaults to `1.0`.
        epsilon: added to the squared norm inside the square root. Defaults to `1e-10`.

    Returns:
        Scalar float32.

    Raises:
        ValueError: if ``target`` is not positive or ``epsilon`` is negative.
    """
    if target <= 0:
        raise ValueError(f"`target` must be positive. Received: target={target}")
    if epsilon < 0:
        raise ValueError(f"`epsilon` must be non-negative. Received: epsilon={epsilon}")
    mixed = interpolate(real, tf.stop_gradient(fake), weights)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = tf.reduce_sum(tf.cast(discriminator_fn(mixed), tf.float32))
    gradients = tf.cast(tape.gradient(scores, mixed), tf.float32)
    axes = list(range(1, gradients.shape.rank))
    norms = tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=axes) + epsilon)
    return tf.reduce_mean(tf.square(norms - target)) / (target**2)


def drift_penalty(discriminator_real_outputs) -> tf.Tensor:
    """PGGAN's drift term ``E[D(x)^2]`` on real scores, keeping critic outputs near zero.

    Multiply by epsilon_drift (0.001 in the paper) and add to the critic loss.

    Args:
        discriminator_real_outputs: critic scores on real data, any shape.

    Returns:
        Scalar float32.

    Reference:
        Karras et al. 2018, appendix A.1 ("epsilon_drift E[D(x)^2]").
    """
    return tf.reduce_mean(tf.square(tf.cast(discriminator_real_outputs, tf.float32)))
