"""Least-squares GAN losses (Mao et al. 2017), on discriminator outputs of any rank.

With target codes a (fake) = 0, b (real) = 1 and c (generator's target) = 1, the losses are
``0.5 E[(D(x) - 1)^2] + 0.5 E[D(G(z))^2]`` for D and ``0.5 E[(D(G(z)) - 1)^2]`` for G. The paper's
other choice (Sec. 3.2.2, Eq. 9), a = -1, b = 1, c = 0, is ``real_label=1.0, fake_label=-1.0``
and ``target=0.0``.

Reference:
    Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017, Eq. 2
    (https://arxiv.org/abs/1611.04076).
"""

import tensorflow as tf


def _outputs(x) -> tf.Tensor:
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def least_squares_discriminator_loss(
    discriminator_real_outputs, discriminator_gen_outputs, real_label: float = 1.0,
    fake_label: float = 0.0,
) -> tf.Tensor:
    """``0.5 E[(D(x) - b)^2] + 0.5 E[(D(G(z)) - a)^2]`` (Mao et al. 2017, Eq. 2).

    Args:
        discriminator_real_outputs: D's raw outputs on real data, any shape.
        discriminator_gen_outputs: D's raw outputs on generated data, any shape.
        real_label: b. Defaults to `1.0`.
        fake_label: a. Defaults to `0.0`.

    Returns:
        Scalar float32.
    """
    real = _outputs(discriminator_real_outputs)
    fake = _outputs(discriminator_gen_outputs)
    return 0.5 * tf.reduce_mean(tf.square(real - real_label)) + 0.5 * tf.reduce_mean(
        tf.square(fake - fake_label)
    )


def least_squares_generator_loss(discriminator_gen_outputs, target: float = 1.0) -> tf.Tensor:
    """``0.5 E[(D(G(z)) - c)^2]`` (Mao et al. 2017, Eq. 2).

    Args:
        discriminator_gen_outputs: D's raw outputs on generated data, any shape.
        target: c, the value G wants D to output on its samples. Defaults to `1.0`.

    Returns:
        Scalar float32.
    """
    return 0.5 * tf.reduce_mean(tf.square(_outputs(discriminator_gen_outputs) - target))
