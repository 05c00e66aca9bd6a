"""Energy-based GAN losses: EBGAN (Zhao et al. 2017) and BEGAN (Berthelot et al. 2017).

In both, the discriminator is an auto-encoder and its output on a sample is an energy, a
per-example reconstruction error (:func:`autoencoder_energy` for EBGAN, the mean squared error;
:func:`began_autoencoder_loss` for BEGAN, the mean absolute error). The losses below are pure
functions of those per-example energies; each returns a scalar averaged over the batch given.

BEGAN convention: :func:`began_discriminator_loss`, :func:`began_generator_loss`,
:func:`began_k_update` and :func:`began_convergence` take the per-example losses ``L(v)`` (any
shape) and average them themselves; an already averaged scalar works too (its mean is itself).

Reference:
    Zhao et al., "Energy-based Generative Adversarial Network", ICLR 2017, Eq. 1-2 and
    Sec. 2.3-2.4 (https://arxiv.org/abs/1609.03126); Berthelot et al., "BEGAN: Boundary
    Equilibrium Generative Adversarial Networks", 2017, Eq. 4 and Sec. 3.4
    (https://arxiv.org/abs/1703.10717).
"""

import tensorflow as tf

from tfgan_kit.errors import UserError


def _float(x) -> tf.Tensor:
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def _per_example_mean(values: tf.Tensor) -> tf.Tensor:
    return tf.reduce_mean(values, axis=list(range(1, values.shape.rank)))


# --------------------------------------------------------------------------------------- EBGAN


def autoencoder_energy(inputs, reconstructions) -> tf.Tensor:
    """EBGAN energy ``D(x)``, per-example mean squared error (Zhao et al. 2017, Sec. 2.3).

    The paper writes ``D(x) = ||Dec(Enc(x)) - x||``; this returns the mean over every non-batch
    axis of ``(Dec(Enc(x)) - x)^2``, the squared-error energy the EBGAN scheme trains with.

    Args:
        inputs: samples ``x``, ``[batch, ...]``.
        reconstructions: the auto-encoder's output ``Dec(Enc(x))``, same shape.

    Returns:
        ``[batch]`` float32 energies.
    """
    return _per_example_mean(tf.square(_float(reconstructions) - _float(inputs)))


def ebgan_discriminator_loss(
    discriminator_real_outputs, discriminator_gen_outputs, margin
) -> tf.Tensor:
    """``E[D(x)] + E[max(0, m - D(G(z)))]`` (Zhao et al. 2017, Eq. 1).

    Args:
        discriminator_real_outputs: energies ``D(x)`` of real samples, any shape.
        discriminator_gen_outputs: energies ``D(G(z))`` of generated samples, any shape.
        margin: the margin ``m`` (positive).

    Returns:
        Scalar float32.
    """
    real = _float(discriminator_real_outputs)
    fake = _float(discriminator_gen_outputs)
    return tf.reduce_mean(real) + tf.reduce_mean(tf.nn.relu(_float(margin) - fake))


def ebgan_generator_loss(discriminator_gen_outputs) -> tf.Tensor:
    """``E[D(G(z))]``, the generator's energy (Zhao et al. 2017, Eq. 2).

    Args:
        discriminator_gen_outputs: energies ``D(G(z))`` of generated samples, any shape.

    Returns:
        Scalar float32.
    """
    return tf.reduce_mean(_float(discriminator_gen_outputs))


def pulling_away_term(embeddings) -> tf.Tensor:
    """Pulling-away term (Zhao et al. 2017, Sec. 2.4, f_PT).

    ``f_PT(S) = 1/(N(N-1)) sum_i sum_{j != i} (S_i . S_j / (||S_i|| ||S_j||))^2``, where
    ``S_i`` is example i's encoder output (flattened over every non-batch axis) for a batch of N
    generated samples. It is 0 for mutually orthogonal embeddings and 1 for parallel ones; the
    scheme adds it, times its weight (0.1 in the paper), to the generator loss (EBGAN-PT). A zero
    embedding counts as orthogonal to every other one.

    Args:
        embeddings: ``[N, ...]`` encoder outputs of the generated batch, ``N >= 2``.

    Returns:
        Scalar float32.

    Raises:
        ValueError: if the batch size is statically known and smaller than 2.
    """
    embeddings = _float(embeddings)
    if embeddings.shape[0] is not None and embeddings.shape[0] < 2:
        raise UserError(
            f"`embeddings` needs at least 2 examples. Received shape: {embeddings.shape}"
        )
    flat = tf.reshape(embeddings, [tf.shape(embeddings)[0], -1])
    unit = tf.math.l2_normalize(flat, axis=1)
    cosines = tf.matmul(unit, unit, transpose_b=True)
    n = tf.cast(tf.shape(flat)[0], tf.float32)
    diagonal = tf.linalg.diag_part(cosines)
    off_diagonal = tf.reduce_sum(tf.square(cosines)) - tf.reduce_sum(tf.square(diagonal))
    return off_diagonal / (n * (n - 1.0))


# --------------------------------------------------------------------------------------- BEGAN


def began_autoencoder_loss(inputs, reconstructions) -> tf.Tensor:
    """BEGAN's ``L(v) = |v - D(v)|^eta``, ``eta = 1``, per example (Berthelot et al. 2017, Eq. 1).

    Averaged over every non-batch axis (pixel-wise mean absolute error), one value per example.

    Args:
        inputs: samples ``v``, ``[batch, ...]``.
        reconstructions: the auto-encoder's output ``D(v)``, same shape.

    Returns:
        ``[batch]`` float32 losses.
    """
    return _per_example_mean(tf.abs(_float(inputs) - _float(reconstructions)))


def began_discriminator_loss(real_loss, gen_loss, k) -> tf.Tensor:
    """``L_D = L(x) - k_t L(G(z_D))`` (Berthelot et al. 2017, Eq. 4).

    ``k`` is treated as a constant (``stop_gradient``): it is updated by :func:`began_k_update`.

    Args:
        real_loss: ``L(x)`` per example (or their mean).
        gen_loss: ``L(G(z_D))`` per example (or their mean) on the discriminator's batch.
        k: the current ``k_t`` in [0, 1].

    Returns:
        Scalar float32.
    """
    k = tf.stop_gradient(_float(k))
    return tf.reduce_mean(_float(real_loss)) - k * tf.reduce_mean(_float(gen_loss))


def began_generator_loss(gen_loss) -> tf.Tensor:
    """``L_G = L(G(z_G))`` (Berthelot et al. 2017, Eq. 4).

    Args:
        gen_loss: ``L(G(z_G))`` per example (or their mean) on the generator's batch.

    Returns:
        Scalar float32.
    """
    return tf.reduce_mean(_float(gen_loss))


def began_k_update(
    k, real_loss, gen_loss, gamma: float = 0.5, lambda_k: float = 0.001
) -> tf.Tensor:
    """BEGAN's proportional control of k (Berthelot et al. 2017, Eq. 4, third line).

    ``k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z_G))), 0, 1)``. The paper keeps
    ``k_t`` in [0, 1]; this clips to that interval. Losses are not differentiated through
    (``stop_gradient``). Returns the new value; the scheme assigns it.

    Args:
        k: the current ``k_t``.
        real_loss: ``L(x)`` per example (or their mean).
        gen_loss: ``L(G(z_G))`` per example (or their mean).
        gamma: diversity ratio ``gamma = E[L(G(z))] / E[L(x)]`` in [0, 1]. Defaults to `0.5`.
        lambda_k: proportional gain of ``k`` (0.001 in the paper). Defaults to `0.001`.

    Returns:
        Scalar float32 in [0, 1].
    """
    real = tf.stop_gradient(tf.reduce_mean(_float(real_loss)))
    fake = tf.stop_gradient(tf.reduce_mean(_float(gen_loss)))
    return tf.clip_by_value(_float(k) + lambda_k * (gamma * real - fake), 0.0, 1.0)


def began_convergence(real_loss, gen_loss, gamma: float = 0.5) -> tf.Tensor:
    """BEGAN's convergence measure (Berthelot et al. 2017, Sec. 3.4.1).

    ``M_global = L(x) + |gamma L(x) - L(G(z_G))|``.

    A monitoring value, not a loss (``stop_gradient``).

    Args:
        real_loss: ``L(x)`` per example (or their mean).
        gen_loss: ``L(G(z_G))`` per example (or their mean).
        gamma: the diversity ratio used for training. Defaults to `0.5`.

    Returns:
        Scalar float32.
    """
    real = tf.stop_gradient(tf.reduce_mean(_float(real_loss)))
    fake = tf.stop_gradient(tf.reduce_mean(_float(gen_loss)))
    return real + tf.abs(gamma * real - fake)
