"""Adversarial losses of the original GAN (Goodfellow et al., 2014), on discriminator logits.

Every loss is a pure function of discriminator outputs of any rank (so PatchGAN maps work) and
returns the mean over all elements it is given. Sigmoid cross-entropies are written with
``softplus`` so they stay finite for logits of any magnitude:
``-log(sigmoid(l)) = softplus(-l)`` and ``-log(1 - sigmoid(l)) = softplus(l)``.

Reference:
    Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Eq. 1 and Algorithm 1
    (https://arxiv.org/abs/1406.2661).
"""

import tensorflow as tf


def _logits(x) -> tf.Tensor:
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def minimax_discriminator_loss(discriminator_real_outputs, discriminator_gen_outputs) -> tf.Tensor:
    """Discriminator loss of the minimax game, Goodfellow et al. 2014, Eq. 1.

    The discriminator ascends ``log D(x) + log(1 - D(G(z)))``; this returns its negative,
    ``softplus(-real) + softplus(fake)`` averaged over the batch, where ``D = sigmoid(logit)``.

    Args:
        discriminator_real_outputs: logits of D on real data, any shape.
        discriminator_gen_outputs: logits of D on generated data, any shape.

    Returns:
        Scalar float32: mean of ``-log D(x)`` plus mean of ``-log(1 - D(G(z)))``.
    """
    real = _logits(discriminator_real_outputs)
    fake = _logits(discriminator_gen_outputs)
    return tf.reduce_mean(tf.nn.softplus(-real)) + tf.reduce_mean(tf.nn.softplus(fake))


def minimax_generator_loss(discriminator_gen_outputs) -> tf.Tensor:
    """Generator loss of the minimax game, Goodfellow et al. 2014, Eq. 1 / Algorithm 1.

    The generator descends ``log(1 - D(G(z))) = -softplus(fake_logit)``. It saturates early in
    training when D rejects samples confidently (small gradients); prefer
    :func:`non_saturating_generator_loss` in practice, as the paper advises (Section 3).

    Args:
        discriminator_gen_outputs: logits of D on generated data, any shape.

    Returns:
        Scalar float32: mean of ``log(1 - D(G(z)))`` (non-positive).
    """
    return -tf.reduce_mean(tf.nn.softplus(_logits(discriminator_gen_outputs)))


def non_saturating_generator_loss(discriminator_gen_outputs) -> tf.Tensor:
    """Non-saturating generator loss, Goodfellow et al. 2014, Section 3.

    Instead of minimising ``log(1 - D(G(z)))`` the generator maximises ``log D(G(z))``: this has
    the same fixed point and strong gradients early in learning. Returns
    ``-log D(G(z)) = softplus(-fake_logit)`` averaged over the batch.

    Args:
        discriminator_gen_outputs: logits of D on generated data, any shape.

    Returns:
        Scalar float32: mean of ``-log D(G(z))`` (non-negative).
    """
    return tf.reduce_mean(tf.nn.softplus(-_logits(discriminator_gen_outputs)))
