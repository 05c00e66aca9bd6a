"""Semi-supervised GAN losses (Salimans et al. 2016) against an explicit K+1-class softmax."""

import numpy as np

from tfgan_kit.losses import (
    feature_matching_loss,
    real_logit,
    ssgan_generator_loss,
    ssgan_supervised_loss,
    ssgan_unsupervised_loss,
)

RNG = np.random.default_rng(1)


def k_plus_one_log_probabilities(logits):
    """log softmax over [l_1..l_K, 0]: the fake class K+1 with its logit fixed at 0."""
    full = np.concatenate([logits, np.zeros((len(logits), 1))], axis=1)
    shifted = full - full.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def test_unsupervised_loss_is_the_k_plus_one_class_gan_loss():
    real, fake = RNG.normal(size=(7, 4)) * 3, RNG.normal(size=(7, 4)) * 3
    # D(x) = 1 - p(y = K+1 | x); L_unsup = -E log D(real) - E log p(K+1 | fake).
    log_p_real, log_p_fake = k_plus_one_log_probabilities(real), k_plus_one_log_probabilities(fake)
    expected = (-np.log(1.0 - np.exp(log_p_real[:, -1])).mean() - log_p_fake[:, -1].mean())
    np.testing.assert_allclose(float(ssgan_unsupervised_loss(real, fake)), expected, rtol=1e-5)
    np.testing.assert_allclose(float(ssgan_generator_loss(fake)),
                               -np.log(1.0 - np.exp(log_p_fake[:, -1])).mean(), rtol=1e-5)
    z = np.exp(real).sum(axis=1)  # D = Z / (Z + 1)
    np.testing.assert_allclose(real_logit(real).numpy(), np.log(z), rtol=1e-5)


def test_supervised_loss_is_the_cross_entropy_conditioned_on_real():
    logits, labels = RNG.normal(size=(6, 5)) * 2, RNG.integers(0, 5, 6)
    log_p = k_plus_one_log_probabilities(logits)
    # log p(y | x, y < K+1) = log p(y | x) - log(1 - p(K+1 | x)).
    conditioned = log_p[np.arange(6), labels] - np.log(1.0 - np.exp(log_p[:, -1]))
    np.testing.assert_allclose(float(ssgan_supervised_loss(logits, labels.astype(np.int32))),
                               -conditioned.mean(), rtol=1e-5)


def test_feature_matching_is_the_squared_distance_of_the_means():
    real, fake = RNG.normal(size=(8, 3, 2)), RNG.normal(size=(5, 3, 2)) + 1.0
    expected = np.sum((real.reshape(8, -1).mean(0) - fake.reshape(5, -1).mean(0)) ** 2)
    np.testing.assert_allclose(float(feature_matching_loss(real, fake)), expected, rtol=1e-5)
    assert float(feature_matching_loss(real, real[::-1])) < 1e-10


def test_losses_stay_finite_for_saturated_logits():
    big = np.array([[400.0, -400.0], [-400.0, -400.0]])
    value = float(ssgan_unsupervised_loss(big, big))
    # lse of the rows: 400 and -400 + ln 2. real: softplus(-400) ~ 0 and softplus(400 - ln 2)
    # ~ 400 - ln 2; fake: softplus(400) ~ 400 and softplus(-400 + ln 2) ~ 0.
    np.testing.assert_allclose(value, (400.0 - np.log(2)) / 2 + 400.0 / 2, rtol=1e-6)


def test_feature_matching_over_a_larger_batch_through_batch_mean():
    import tensorflow as tf

    real, fake, other = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    other_mean = tf.reduce_mean(tf.constant(other, tf.float32), 0)  # another replica's rows

    def with_other(x):
        return (tf.reduce_mean(x, 0) + other_mean) / 2

    expected = np.sum(((real.mean(0) + other.mean(0)) / 2 - (fake.mean(0) + other.mean(0)) / 2)
                      ** 2)
    np.testing.assert_allclose(float(feature_matching_loss(real, fake, with_other)), expected,
                               rtol=1e-5)
