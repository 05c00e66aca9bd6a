"""Label- and code-aware losses: ACGAN, InfoGAN's mutual-information bound, CatGAN's entropies.

Pure functions of logits (no nets, no draws). Every result is a mean over the batch. Class
cross-entropies take integer labels ``[batch]`` and logits ``[batch, K]``; source (real/fake)
logits may be ``[batch]`` or ``[batch, 1]`` and use ``-log sigmoid(l) = softplus(-l)``.

Reference:
    Odena, Olah, Shlens, "Conditional Image Synthesis with Auxiliary Classifier GANs", ICML 2017
    (https://arxiv.org/abs/1610.09585), Section 3 (L_S, L_C).
    Chen et al., "InfoGAN: Interpretable Representation Learning by Information Maximizing
    Generative Adversarial Nets", NeurIPS 2016 (https://arxiv.org/abs/1606.03657), Eq. 4-5.
    Springenberg, "Unsupervised and Semi-supervised Learning with Categorical Generative
    Adversarial Networks", ICLR 2016 (https://arxiv.org/abs/1511.06390), Eq. 7-8.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import tensorflow as tf

from tfgan_kit.errors import UserError

__all__ = [
    "MutualInformation",
    "acgan_discriminator_loss",
    "acgan_generator_loss",
    "catgan_discriminator_loss",
    "catgan_generator_loss",
    "class_cross_entropy",
    "conditional_entropy",
    "infogan_mutual_information",
    "marginal_entropy",
]


def _float(x) -> tf.Tensor:
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def check_class_logits(logits, what: str) -> tf.Tensor:
    logits = _float(logits)
    if logits.shape.rank != 2:
        raise UserError(f"`{what}` must be class logits of shape [batch, K]. Received shape "
                        f"{logits.shape}")
    return logits


def class_cross_entropy(class_logits, labels) -> tf.Tensor:
    """Mean softmax cross-entropy ``-E[log p(C = label | x)]`` of integer labels.

    The class term of ACGAN's L_C (Odena et al. 2017, Section 3) and the categorical term of
    InfoGAN's L_I (Chen et al. 2016, Eq. 5).

    Args:
        class_logits: ``[batch, K]`` logits.
        labels: integer labels ``[batch]`` (``[batch, 1]`` is flattened) in ``[0, K)``.

    Returns:
        Scalar float32.
    """
    logits = check_class_logits(class_logits, "class_logits")
    labels = tf.reshape(tf.cast(labels, tf.int32), [-1])
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


# ----------------------------------------------------------------------------------- ACGAN
def acgan_discriminator_loss(real_source_logits, fake_source_logits, real_class_logits,
                             fake_class_logits, labels, fake_labels) -> tf.Tensor:
    """ACGAN discriminator loss, ``-(L_S + L_C)`` (Odena et al. 2017, Section 3).

    The discriminator maximises ``L_S + L_C`` with
    ``L_S = E[log P(S=real | x_real)] + E[log P(S=fake | x_fake)]`` and
    ``L_C = E[log P(C=c | x_real)] + E[log P(C=c | x_fake)]``; this returns the negative: the sum
    of four batch means, the source binary cross-entropies on real (target 1) and generated
    (target 0) samples, and the class cross-entropies on real samples (their labels) and
    generated samples (the labels they were generated with).

    Args:
        real_source_logits: source logits of real samples, ``[batch]`` or ``[batch, 1]``.
        fake_source_logits: source logits of generated samples.
        real_class_logits: ``[batch, K]`` class logits of real samples.
        fake_class_logits: ``[batch, K]`` class logits of generated samples.
        labels: int labels ``[batch]`` of the real samples.
        fake_labels: int labels ``[batch]`` the generated samples were conditioned on.

    Returns:
        Scalar float32.
    """
    source = (tf.reduce_mean(tf.nn.softplus(-_float(real_source_logits)))
              + tf.reduce_mean(tf.nn.softplus(_float(fake_source_logits))))
    return (source + class_cross_entropy(real_class_logits, labels)
            + class_cross_entropy(fake_class_logits, fake_labels))


def acgan_generator_loss(fake_source_logits, fake_class_logits, fake_labels) -> tf.Tensor:
    """ACGAN generator loss: the paper's ``L_C - L_S`` with the non-saturating source term.

    Odena et al. 2017 (Section 3) train G to maximise ``L_C - L_S``; as in the authors' code the
    source term is the non-saturating ``-E[log P(S=real | G(z, c))]`` (Goodfellow et al. 2014,
    Section 3) instead of ``E[log P(S=fake | G(z, c))]``. Returns the batch mean of
    ``softplus(-source)`` plus the class cross-entropy of the generated samples' labels.

    Args:
        fake_source_logits: source logits of generated samples, ``[batch]`` or ``[batch, 1]``.
        fake_class_logits: ``[batch, K]`` class logits of generated samples.
        fake_labels: int labels ``[batch]`` the samples were generated with.

    Returns:
        Scalar float32.
    """
    return (tf.reduce_mean(tf.nn.softplus(-_float(fake_source_logits)))
            + class_cross_entropy(fake_class_logits, fake_labels))


# --------------------------------------------------------------------------------- InfoGAN
class MutualInformation(NamedTuple):
    """InfoGAN's bound L_I and its parts (each a scalar float32; a part is 0 when absent).

    Attributes:
        total: ``categorical + continuous``, the L_I of Chen et al. 2016, Eq. 5.
        categorical: sum over categorical codes of ``E[log Q(c|x)] + log K``.
        continuous: ``E[log Q(c|x)]`` of the factored Gaussian, plus ``ln(width)`` per
            dimension when the uniform prior's entropy is included.
    """

    total: tf.Tensor
    categorical: tf.Tensor
    continuous: tf.Tensor


def _codes_pairs(logits, codes) -> list:
    """``[(logits, codes), ...]``: one pair, or one per code when ``logits`` is a list."""
    if logits is None and codes is None:
        return []
    if logits is None or codes is None:
        raise UserError("`categorical_logits` and `categorical_codes` must be given together.")
    if not isinstance(logits, (list, tuple)):
        return [(logits, codes)]
    if not isinstance(codes, (list, tuple)) or len(codes) != len(logits):
        raise UserError(
            "With a list of `categorical_logits` (one per code), `categorical_codes` must be a "
            f"list of the same length. Received {len(logits)} logits tensors and "
            f"{len(codes) if isinstance(codes, (list, tuple)) else 'one'} codes."
        )
    return list(zip(logits, codes))


def infogan_mutual_information(
    categorical_logits=None,
    categorical_codes=None,
    continuous_mean=None,
    continuous_log_std=None,
    continuous_codes=None,
    include_entropy: bool = True,
    continuous_width: float = 2.0,
) -> MutualInformation:
    """The variational lower bound ``L_I = E[log Q(c | G(z, c))] + H(c)`` (Chen et al. 2016, Eq. 5).

    Categorical codes (uniform over K classes): ``E[log Q(c|x)] = -CE(logits, c)`` and
    ``H(c) = log K``, so each code's part lies in ``(-inf, log K]`` and reaches ``log K`` when Q
    recovers the code exactly. Continuous codes (uniform on an interval of width
    ``continuous_width``, U[-1, 1] by default, factored): Q is a factored Gaussian with
    ``continuous_mean`` and ``continuous_log_std`` (std 1 when ``None``),
    ``log Q(c|x) = sum_d [-(c_d - mu_d)^2 / (2 sigma_d^2) - log sigma_d - log(2 pi) / 2]``, and
    ``H(c) = ln(width) = ln 2`` per dimension. A density can exceed 1, so the continuous part is
    not bounded by ``ln 2`` per dimension as the categorical part is by ``log K``.

    The scheme (InfoGAN) weights the parts itself (lambda 1 categorical, 0.1 continuous) and
    minimises ``V - lambda L_I`` for G and Q.

    Args:
        categorical_logits: ``[batch, K]`` logits of Q for one categorical code, or a list of
            them (one per code).
        categorical_codes: int codes ``[batch]``, or a list matching ``categorical_logits``.
        continuous_mean: ``[batch, D]`` means of Q for the continuous codes.
        continuous_log_std: ``[batch, D]`` log standard deviations, or ``None`` for std 1 (a
            fixed-variance Q, as in the paper's experiments).
        continuous_codes: ``[batch, D]`` the continuous codes the samples were generated with.
        include_entropy: add the constant ``H(c)`` (``log K`` per categorical code,
            ``ln(continuous_width)`` per continuous dimension). With ``False`` each part is just
            ``E[log Q(c|x)]``. Defaults to `True`.
        continuous_width: width of the uniform prior of each continuous dimension. Defaults to
            `2.0` (U[-1, 1]).

    Returns:
        :class:`MutualInformation` ``(total, categorical, continuous)``.

    Raises:
        ValueError: for logits without codes (or the reverse), mismatched lists, or no code at all.
    """
    pairs = _codes_pairs(categorical_logits, categorical_codes)
    if (continuous_mean is None) != (continuous_codes is None):
        raise UserError("`continuous_mean` and `continuous_codes` must be given together.")
    if continuous_log_std is not None and continuous_mean is None:
        raise UserError("`continuous_log_std` needs `continuous_mean` and `continuous_codes`.")
    if not pairs and continuous_mean is None:
        raise UserError("Give categorical logits and codes, continuous means and codes, or both.")
    if not continuous_width > 0:
        raise UserError(f"`continuous_width` must be positive. Received: {continuous_width!r}")

    categorical = tf.constant(0.0)
    for logits, codes in pairs:
        logits = check_class_logits(logits, "categorical_logits")
        categorical += -class_cross_entropy(logits, codes)
        if include_entropy:
            categorical += math.log(int(logits.shape[-1]))

    continuous = tf.constant(0.0)
    if continuous_mean is not None:
        mean, codes = _float(continuous_mean), _float(continuous_codes)
        log_std = tf.zeros_like(mean) if continuous_log_std is None else _float(continuous_log_std)
        log_density = (-0.5 * tf.square((codes - mean) * tf.exp(-log_std)) - log_std
                       - 0.5 * math.log(2.0 * math.pi))
        dims = tf.cast(tf.reduce_prod(tf.shape(mean)[1:]), tf.float32)
        continuous = tf.reduce_mean(tf.reduce_sum(
            tf.reshape(log_density, [tf.shape(mean)[0], -1]), axis=1))
        if include_entropy:
            continuous += dims * math.log(continuous_width)
    return MutualInformation(categorical + continuous, categorical, continuous)


# ---------------------------------------------------------------------------------- CatGAN
def conditional_entropy(logits) -> tf.Tensor:
    """``E_x H[p(y | x)]``: the mean over the batch of each example's class entropy (nats).

    CatGAN's certainty term (Springenberg 2016, Eq. 7-8), from ``p = softmax(logits)``.

    Args:
        logits: ``[batch, K]`` class logits.
    """
    logits = check_class_logits(logits, "logits")
    log_p = tf.nn.log_softmax(logits, axis=-1)
    return tf.reduce_mean(-tf.reduce_sum(tf.exp(log_p) * log_p, axis=-1))


def marginal_entropy(logits, batch_mean=None) -> tf.Tensor:
    """``H[E_x p(y | x)]``: the entropy of the class distribution averaged over the batch (nats).

    CatGAN's class-balance term (Springenberg 2016, Eq. 7-8), with the marginal estimated on
    the minibatch as the paper does. Computed in log space:
    ``log mean_x p(y|x) = logsumexp_x log p(y|x) - log N``.

    Args:
        logits: ``[batch, K]`` class logits.
        batch_mean: optional ``fn(tensor [batch, K]) -> [K]`` averaging over the batch, for a
            marginal over more than this batch (e.g. the global batch of all replicas, see
            :func:`tfgan_kit.distribute.global_batch_mean`); then ``mean p`` is averaged in
            probability space. Defaults to `None` (this batch, log space).
    """
    logits = check_class_logits(logits, "logits")
    log_p = tf.nn.log_softmax(logits, axis=-1)
    if batch_mean is not None:
        marginal = batch_mean(tf.exp(log_p))
        return -tf.reduce_sum(marginal * tf.math.log(tf.maximum(marginal, 1e-37)))
    count = tf.cast(tf.shape(log_p)[0], tf.float32)
    log_marginal = tf.reduce_logsumexp(log_p, axis=0) - tf.math.log(count)
    return -tf.reduce_sum(tf.exp(log_marginal) * log_marginal)


def catgan_discriminator_loss(real_logits, fake_logits, batch_mean=None) -> tf.Tensor:
    """CatGAN discriminator loss (Springenberg 2016, Eq. 7), minimised by D.

    ``L_D = -H[mean_x p(y|x)] + mean_x H[p(y|x)] - mean_z H[p(y|G(z))]``: D is certain about
    real data, uses all classes equally on it and is uncertain about generated samples.
    Marginals are over the minibatch.

    Args:
        real_logits: ``[batch, K]`` class logits of real samples.
        fake_logits: ``[batch, K]`` class logits of generated samples.
        batch_mean: the marginal's average over the batch, see :func:`marginal_entropy`.
            Defaults to `None` (this batch).

    Returns:
        Scalar float32.
    """
    return (-marginal_entropy(real_logits, batch_mean) + conditional_entropy(real_logits)
            - conditional_entropy(fake_logits))


def catgan_generator_loss(fake_logits, batch_mean=None) -> tf.Tensor:
    """CatGAN generator loss (Springenberg 2016, Eq. 8), minimised by G.

    ``L_G = -H[mean_z p(y|G(z))] + mean_z H[p(y|G(z))]``: samples D is certain about, spread
    evenly over the classes. The marginal is over the minibatch.

    Args:
        fake_logits: ``[batch, K]`` class logits of generated samples.
        batch_mean: the marginal's average over the batch, see :func:`marginal_entropy`.
            Defaults to `None` (this batch).

    Returns:
        Scalar float32.
    """
    return -marginal_entropy(fake_logits, batch_mean) + conditional_entropy(fake_logits)
