"""Regularisers of the discriminator: gradient penalties (WGAN-GP, DRAGAN) and PGGAN's drift.

Every penalty is unweighted: the scheme multiplies it by its lambda. Randomness (interpolation
weights, perturbations) is drawn by the caller and passed in, so these stay pure functions.

Reference:
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, Eq. 3 and
    Algorithm 1 (https://arxiv.org/abs/1704.00028); Petzka et al., "On the regularization of
    Wasserstein GANs", ICLR 2018 (one-sided penalty) (https://arxiv.org/abs/1709.08894);
    Kodali et al., "On Convergence and Stability of GANs", 2017, Sec. 4 (DRAGAN)
    (https://arxiv.org/abs/1705.07215); Karras et al., "Progressive Growing of GANs",
    ICLR 2018, appendix A.1 (epsilon_drift term) (https://arxiv.org/abs/1710.10196).
"""

from typing import Callable

import tensorflow as tf

from tfgan_kit.errors import UserError


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


def _input_gradient_norms(discriminator_fn, points, epsilon: float) -> tf.Tensor:
    """Per-example ``sqrt(sum(grad_x D(x)^2) + epsilon)`` over every non-batch axis, ``[batch]``."""
    with tf.GradientTape() as tape:
        tape.watch(points)
        scores = tf.reduce_sum(tf.cast(discriminator_fn(points), tf.float32))
    gradients = tf.cast(tape.gradient(scores, points), tf.float32)
    axes = list(range(1, gradients.shape.rank))
    return tf.sqrt(tf.reduce_sum(tf.square(gradients), axis=axes) + epsilon)


def gradient_penalty(
    discriminator_fn: Callable[[tf.Tensor], tf.Tensor],
    real,
    fake,
    weights,
    target: float = 1.0,
    epsilon: float = 1e-10,
    one_sided: bool = False,
) -> tf.Tensor:
    """Gradient penalty ``E[(||grad D(x_hat)||_2 - target)^2] / target^2`` (WGAN-GP, Eq. 3).

    ``x_hat`` interpolates real and generated samples (Gulrajani et al. 2017, Algorithm 1,
    line 6); the norm is over every non-batch axis of each example's gradient. Multiply by the
    penalty weight (lambda = 10 in the paper). ``target`` is PGGAN's gamma (appendix A.1 of
    Karras et al. 2018 allows target != 1, dividing by target^2 as the official code does).
    The norm is computed as ``sqrt(sum(g^2) + epsilon)``: the derivative of ``sqrt`` at 0 is
    infinite, so an example whose input gradient is exactly zero (a dead ReLU, zero weights)
    would otherwise make the discriminator's weight gradients NaN (TF-GAN does the same).

    With ``one_sided=True`` only norms above the target are penalised:
    ``E[max(0, ||grad D(x_hat)||_2 - target)^2] / target^2``, the one-sided variant mentioned in
    Gulrajani et al. 2017 (Sec. 4) and advocated by Petzka et al. 2018 (their Lipschitz
    penalty, WGAN-LP).

    Args:
        discriminator_fn: maps a batch of samples to scores; any output rank (summed per
            example, so PatchGAN maps work).
        real: real samples ``[batch, ...]``.
        fake: generated samples, same shape (gradients do not flow into it).
        weights: ``[batch]`` interpolation weights in [0, 1] (WGAN-GP's epsilon ~ U[0, 1], one
            per example; see :func:`interpolate`).
        target: target gradient norm. Defaults to `1.0`.
        epsilon: added to the squared norm inside the square root. Defaults to `1e-10`.
        one_sided: penalise only norms above ``target``. Defaults to `False` (two-sided).

    Returns:
        Scalar float32.

    Raises:
        ValueError: if ``target`` is not positive or ``epsilon`` is negative.
    """
    if target <= 0:
        raise UserError(f"`target` must be positive. Received: target={target}")
    if epsilon < 0:
        raise UserError(f"`epsilon` must be non-negative. Received: epsilon={epsilon}")
    mixed = interpolate(real, tf.stop_gradient(fake), weights)
    excess = _input_gradient_norms(discriminator_fn, mixed, epsilon) - target
    if one_sided:
        excess = tf.nn.relu(excess)
    return tf.reduce_mean(tf.square(excess)) / (target**2)


def dragan_perturbation_uniform(real, uniform, alpha, c: float = 0.5) -> tf.Tensor:
    """DRAGAN perturbation ``alpha * c * std(x) * u`` of the authors' code (Kodali et al. 2017).

    The authors' public code perturbs a real batch as ``x_p = x + 0.5 * x.std() * U[0, 1)``
    (numpy's ``std``: population standard deviation over every element of the whole batch,
    not per example or per feature) and penalises the gradient at a random point between the
    two, ``x_hat = x + alpha * (x_p - x)`` with ``alpha ~ U[0, 1]`` per example. This returns
    ``delta = x_hat - x = alpha * c * std(x) * u`` to add to ``x`` in :func:`dragan_penalty`.
    Pass ``alpha = 1`` for the perturbed point ``x_p`` itself (no interpolation). The paper's
    text instead draws Gaussian noise: see :func:`dragan_perturbation_normal`.

    Args:
        real: real samples ``[batch, ...]``.
        uniform: ``U[0, 1)`` draws shaped like ``real``.
        alpha: ``[batch]`` ``U[0, 1]`` draws, broadcast over each example's other axes.
        c: scale of the perturbation in units of the batch standard deviation. Defaults to
            `0.5`, the authors' code.

    Returns:
        Tensor shaped like ``real``, constant for differentiation (``stop_gradient``).
    """
    real = tf.convert_to_tensor(real)
    uniform = tf.cast(tf.convert_to_tensor(uniform), real.dtype)
    alpha = tf.cast(tf.convert_to_tensor(alpha), real.dtype)
    alpha = tf.reshape(alpha, [-1] + [1] * (real.shape.rank - 1))
    return tf.stop_gradient(alpha * c * tf.math.reduce_std(real) * uniform)


def dragan_perturbation_normal(normal, c) -> tf.Tensor:
    """DRAGAN perturbation ``delta ~ N_d(0, c I)`` of the paper's text (Kodali et al. 2017, Sec. 4).

    ``c`` is the covariance (variance of every coordinate), so the standard deviation is
    ``sqrt(c)`` and this returns ``sqrt(c) * n`` for standard normal draws ``n``. The authors'
    code uses a different, uniform perturbation: see :func:`dragan_perturbation_uniform`.

    Args:
        normal: ``N(0, 1)`` draws shaped like the real batch.
        c: variance of each coordinate of ``delta`` (non-negative).

    Returns:
        Tensor shaped like ``normal``, constant for differentiation (``stop_gradient``).

    Raises:
        ValueError: if ``c`` is a negative number.
    """
    if isinstance(c, (int, float)) and c < 0:
        raise UserError(f"`c` must be non-negative. Received: c={c}")
    normal = tf.convert_to_tensor(normal)
    return tf.stop_gradient(tf.sqrt(tf.cast(c, normal.dtype)) * normal)


def dragan_penalty(
    discriminator_fn: Callable[[tf.Tensor], tf.Tensor],
    real,
    perturbation,
    target: float = 1.0,
    epsilon: float = 1e-10,
) -> tf.Tensor:
    """DRAGAN penalty ``E[(||grad D(x + delta)||_2 - target)^2]`` (Kodali et al. 2017, Sec. 4).

    The gradient is taken at perturbed real points only (no generated samples); its norm is per
    example over every non-batch axis, ``sqrt(sum(g^2) + epsilon)`` as in
    :func:`gradient_penalty`. ``target`` is the paper's k (1 in the paper and the authors' code);
    unlike :func:`gradient_penalty` the result is not divided by ``target^2``. Build ``delta``
    with :func:`dragan_perturbation_uniform` (authors' code) or :func:`dragan_perturbation_normal`
    (paper's text). Multiply by lambda (10 in the authors' code).

    Args:
        discriminator_fn: maps a batch of samples to scores; any output rank (summed per
            example).
        real: real samples ``[batch, ...]``.
        perturbation: ``delta``, shaped like ``real``.
        target: target gradient norm k. Defaults to `1.0`.
        epsilon: added to the squared norm inside the square root. Defaults to `1e-10`.

    Returns:
        Scalar float32.

    Raises:
        ValueError: if ``target`` or ``epsilon`` is negative.
    """
    if target < 0:
        raise UserError(f"`target` must be non-negative. Received: target={target}")
    if epsilon < 0:
        raise UserError(f"`epsilon` must be non-negative. Received: epsilon={epsilon}")
    real = tf.convert_to_tensor(real)
    points = tf.stop_gradient(real + tf.cast(perturbation, real.dtype))
    norms = _input_gradient_norms(discriminator_fn, points, epsilon)
    return tf.reduce_mean(tf.square(norms - target))


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
