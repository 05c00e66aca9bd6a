"""Semi-supervised GAN losses (Salimans et al. 2016, Section 5; Odena 2016) and feature matching.

The discriminator is a K-class classifier with logits ``l_1..l_K``; the "generated" class K+1
has its logit fixed at 0. Salimans et al. note that a softmax over K+1 logits is unchanged by
subtracting any ``f(x)`` from all of them, so fixing ``l_{K+1} = 0`` loses nothing; then with
``Z(x) = sum_k exp(l_k(x))``

* ``p(y = k | x, real) = softmax(l)_k`` (the classifier),
* ``D(x) = p(real | x) = Z(x) / (Z(x) + 1) = sigmoid(logsumexp(l(x)))``.

Losses (all batch means):

* supervised: ``L_sup = -E_{(x,y) labelled}[log p(y | x, y < K+1)]``, the K-way cross-entropy;
* unsupervised: ``L_unsup = -E_x[log D(x)] - E_z[log(1 - D(G(z)))]``, the GAN loss with
  ``logsumexp(l)`` as D's logit, i.e. ``E softplus(-lse(l_real)) + E softplus(lse(l_fake))``;
* generator, feature matching (Section 3.1): ``|| E_x f(x) - E_z f(G(z)) ||_2^2`` on an
  intermediate layer ``f`` of D; or the non-saturating ``-E_z[log D(G(z))]``.

Reference:
    Salimans, Goodfellow, Zaremba, Cheung, Radford, Chen, "Improved Techniques for Training
    GANs", NeurIPS 2016, Sections 3.1 and 5 (https://arxiv.org/abs/1606.03498);
    Odena, "Semi-Supervised Learning with Generative Adversarial Networks", 2016
    (https://arxiv.org/abs/1606.01583).
"""

from __future__ import annotations

import tensorflow as tf

from tfgan_kit.losses.conditional import check_class_logits, class_cross_entropy

__all__ = [
    "feature_matching_loss",
    "real_logit",
    "ssgan_generator_loss",
    "ssgan_supervised_loss",
    "ssgan_unsupervised_loss",
]


def real_logit(class_logits) -> tf.Tensor:
    """``logsumexp_k l_k``: the logit of ``D(x) = Z / (Z + 1)`` (fake logit fixed at 0).

    Args:
        class_logits: ``[batch, K]`` logits of the K real classes.

    Returns:
        ``[batch]`` float32.
    """
    return tf.reduce_logsumexp(check_class_logits(class_logits, "class_logits"), axis=-1)


def ssgan_supervised_loss(labelled_logits, labels) -> tf.Tensor:
    """``L_sup = -E[log p(y | x, y < K+1)]``: the K-way cross-entropy on labelled examples
    (Salimans et al. 2016, Section 5).

    Args:
        labelled_logits: ``[batch, K]`` logits of labelled examples.
        labels: int ``[batch]`` labels in ``[0, K)``.

    Returns:
        Scalar float32.
    """
    return class_cross_entropy(labelled_logits, labels)


def ssgan_unsupervised_loss(real_logits, fake_logits) -> tf.Tensor:
    """``L_unsup = -E_x[log D(x)] - E_z[log(1 - D(G(z)))]`` with ``D = sigmoid(lse(l))``
    (Salimans et al. 2016, Section 5).

    Args:
        real_logits: ``[batch, K]`` logits of unlabelled real examples.
        fake_logits: ``[batch, K]`` logits of generated examples.

    Returns:
        Scalar float32.
    """
    return (tf.reduce_mean(tf.nn.softplus(-real_logit(real_logits)))
            + tf.reduce_mean(tf.nn.softplus(real_logit(fake_logits))))


def ssgan_generator_loss(fake_logits) -> tf.Tensor:
    """The non-saturating generator loss ``-E_z[log D(G(z))] = E softplus(-lse(l_fake))``.

    Args:
        fake_logits: ``[batch, K]`` logits of generated examples.

    Returns:
        Scalar float32.
    """
    return tf.reduce_mean(tf.nn.softplus(-real_logit(fake_logits)))


def feature_matching_loss(real_features, fake_features, batch_mean=None) -> tf.Tensor:
    """Feature matching (Salimans et al. 2016, Section 3.1): ``|| E f(x) - E f(G(z)) ||_2^2``.

    Args:
        real_features: ``[batch, ...]`` features of D's intermediate layer on real data.
        fake_features: ``[batch, ...]`` the same layer on generated data.
        batch_mean: optional ``fn(tensor [batch, F]) -> [F]`` averaging over the batch, for
            means over more than this batch (e.g. the global batch of all replicas, see
            :func:`tfgan_kit.distribute.global_batch_mean`). Defaults to `None` (this batch).

    Returns:
        Scalar float32: the squared L2 distance of the two batch means.
    """
    batch_mean = batch_mean or (lambda x: tf.reduce_mean(x, axis=0))
    real = tf.reshape(tf.cast(real_features, tf.float32), [tf.shape(real_features)[0], -1])
    fake = tf.reshape(tf.cast(fake_features, tf.float32), [tf.shape(fake_features)[0], -1])
    return tf.reduce_sum(tf.square(batch_mean(real) - batch_mean(fake)))
