"""ACGAN, InfoGAN and CatGAN losses (tfgan_kit.losses.conditional) against plain numpy."""

import math

import numpy as np
import pytest

from tfgan_kit import losses
from tfgan_kit.losses import (
    acgan_discriminator_loss,
    acgan_generator_loss,
    catgan_discriminator_loss,
    catgan_generator_loss,
    conditional_entropy,
    infogan_mutual_information,
    marginal_entropy,
)

RNG = np.random.default_rng(0)


def np_log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def np_bce(logits, target):  # -[t log s(l) + (1 - t) log(1 - s(l))], elementwise
    s = 1.0 / (1.0 + np.exp(-logits))
    return -(target * np.log(s) + (1 - target) * np.log(1 - s))


def np_ce(logits, labels):
    return -np_log_softmax(logits)[np.arange(len(labels)), labels].mean()


def np_entropy(p):
    return -(p * np.log(p)).sum(axis=-1)


def probabilities(logits):
    return np.exp(np_log_softmax(logits))


@pytest.mark.parametrize("source_shape", [(6,), (6, 1)])
def test_acgan_losses_are_the_sum_of_the_four_means(source_shape):
    real_s, fake_s = RNG.normal(size=source_shape) * 2, RNG.normal(size=source_shape) * 2
    real_c, fake_c = RNG.normal(size=(6, 4)) * 3, RNG.normal(size=(6, 4)) * 3
    labels, fake_labels = RNG.integers(0, 4, 6), RNG.integers(0, 4, 6)
    expected_d = (np_bce(real_s, 1).mean() + np_bce(fake_s, 0).mean()
                  + np_ce(real_c, labels) + np_ce(fake_c, fake_labels))
    got = acgan_discriminator_loss(real_s, fake_s, real_c, fake_c, labels.astype(np.int32),
                                   fake_labels)
    np.testing.assert_allclose(float(got), expected_d, rtol=1e-5)
    # L_C - L_S with the non-saturating source term: -log D(G) + CE.
    expected_g = np_bce(fake_s, 1).mean() + np_ce(fake_c, fake_labels)
    np.testing.assert_allclose(float(acgan_generator_loss(fake_s, fake_c, fake_labels)),
                               expected_g, rtol=1e-5)


def test_acgan_losses_stay_finite_for_huge_logits():
    big = np.array([[300.0], [-300.0]])
    classes = np.array([[500.0, -500.0], [-500.0, 500.0]])
    value = acgan_discriminator_loss(big, -big, classes, classes, [0, 1], [1, 0])
    np.testing.assert_allclose(float(value), 150 + 150 + 0 + 1000, rtol=1e-6)


def test_infogan_categorical_part_is_minus_ce_plus_log_k():
    logits, codes = RNG.normal(size=(8, 10)), RNG.integers(0, 10, 8)
    info = infogan_mutual_information(categorical_logits=logits, categorical_codes=codes)
    expected = -np_ce(logits, codes) + math.log(10)
    np.testing.assert_allclose(float(info.categorical), expected, rtol=1e-5)
    np.testing.assert_allclose(float(info.total), expected, rtol=1e-5)
    assert float(info.continuous) == 0.0
    # A perfect Q reaches H(c) = log K; without the entropy the part is E[log Q(c|x)] only.
    perfect = infogan_mutual_information(categorical_logits=100.0 * np.eye(10),
                                         categorical_codes=np.arange(10))
    np.testing.assert_allclose(float(perfect.categorical), math.log(10), rtol=1e-6)
    bare = infogan_mutual_information(categorical_logits=logits, categorical_codes=codes,
                                      include_entropy=False)
    np.testing.assert_allclose(float(bare.total), -np_ce(logits, codes), rtol=1e-5)


def test_infogan_several_categorical_codes_add_up():
    a, b = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 7))
    ca, cb = RNG.integers(0, 3, 5), RNG.integers(0, 7, 5)
    info = infogan_mutual_information(categorical_logits=[a, b], categorical_codes=[ca, cb])
    expected = -np_ce(a, ca) + math.log(3) - np_ce(b, cb) + math.log(7)
    np.testing.assert_allclose(float(info.categorical), expected, rtol=1e-5)


@pytest.mark.parametrize("with_std", [True, False])
def test_infogan_continuous_part_is_the_factored_gaussian_log_likelihood(with_std):
    mean, codes = RNG.normal(size=(9, 2)), RNG.uniform(-1, 1, (9, 2))
    log_std = RNG.normal(size=(9, 2)) * 0.5 if with_std else np.zeros((9, 2))
    std = np.exp(log_std)
    log_q = (-0.5 * ((codes - mean) / std) ** 2 - np.log(std) - 0.5 * np.log(2 * np.pi)).sum(1)
    info = infogan_mutual_information(continuous_mean=mean, continuous_codes=codes,
                                      continuous_log_std=log_std if with_std else None)
    np.testing.assert_allclose(float(info.continuous), log_q.mean() + 2 * np.log(2.0), rtol=1e-5)
    bare = infogan_mutual_information(continuous_mean=mean, continuous_codes=codes,
                                      continuous_log_std=log_std if with_std else None,
                                      include_entropy=False)
    np.testing.assert_allclose(float(bare.continuous), log_q.mean(), rtol=1e-5)
    logits, cat = RNG.normal(size=(9, 4)), RNG.integers(0, 4, 9)
    both = infogan_mutual_information(logits, cat, mean, log_std if with_std else None, codes)
    np.testing.assert_allclose(float(both.total),
                               -np_ce(logits, cat) + np.log(4) + log_q.mean() + 2 * np.log(2),
                               rtol=1e-5)


def test_infogan_bad_arguments_name_the_fix():
    with pytest.raises(ValueError, match="must be given together"):
        infogan_mutual_information(categorical_logits=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="`continuous_mean` and `continuous_codes`"):
        infogan_mutual_information(continuous_mean=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="Give categorical logits"):
        infogan_mutual_information()
    with pytest.raises(ValueError, match="a list of the same length"):
        infogan_mutual_information(categorical_logits=[np.zeros((2, 3))] * 2,
                                   categorical_codes=[[0, 1]])
    with pytest.raises(ValueError, match=r"shape \[batch, K\]"):
        infogan_mutual_information(categorical_logits=np.zeros(3), categorical_codes=[0, 1, 2])


def test_entropies_and_catgan_losses_match_numpy():
    real, fake = RNG.normal(size=(12, 5)) * 2, RNG.normal(size=(12, 5)) * 2
    p_real, p_fake = probabilities(real), probabilities(fake)
    np.testing.assert_allclose(float(conditional_entropy(real)), np_entropy(p_real).mean(),
                               rtol=1e-5)
    np.testing.assert_allclose(float(marginal_entropy(real)), np_entropy(p_real.mean(0)),
                               rtol=1e-5)
    expected_d = (-np_entropy(p_real.mean(0)) + np_entropy(p_real).mean()
                  - np_entropy(p_fake).mean())
    np.testing.assert_allclose(float(catgan_discriminator_loss(real, fake)), expected_d, rtol=1e-5)
    expected_g = -np_entropy(p_fake.mean(0)) + np_entropy(p_fake).mean()
    np.testing.assert_allclose(float(catgan_generator_loss(fake)), expected_g, rtol=1e-5)


def test_entropies_at_their_extremes_and_for_saturated_logits():
    # Confident and balanced: conditional 0, marginal log K -> the generator loss is -log K.
    confident = 1000.0 * np.eye(4)
    np.testing.assert_allclose(float(conditional_entropy(confident)), 0.0, atol=1e-6)
    np.testing.assert_allclose(float(marginal_entropy(confident)), np.log(4), rtol=1e-6)
    np.testing.assert_allclose(float(catgan_generator_loss(confident)), -np.log(4), rtol=1e-6)
    uniform = np.zeros((3, 4))
    np.testing.assert_allclose(float(conditional_entropy(uniform)), np.log(4), rtol=1e-6)
    collapsed = np.tile([[1000.0, 0, 0, 0]], (5, 1))
    np.testing.assert_allclose(float(marginal_entropy(collapsed)), 0.0, atol=1e-6)


def test_names_are_public():
    for name in ("acgan_discriminator_loss", "acgan_generator_loss", "infogan_mutual_information",
                 "catgan_discriminator_loss", "catgan_generator_loss", "MutualInformation",
                 "conditional_entropy", "marginal_entropy", "class_cross_entropy"):
        assert name in losses.__all__ and hasattr(losses, name)


def test_marginal_over_a_larger_batch_through_batch_mean():
    """With ``batch_mean`` the marginal is the mean p over whatever that function averages:
    here the local rows and 5 other rows (another replica's), as under all-reduce."""
    import tensorflow as tf

    local, other = RNG.normal(size=(5, 4)) * 2, RNG.normal(size=(5, 4)) * 2
    other_p = tf.constant(probabilities(other), tf.float32)
    both = lambda p: (tf.reduce_mean(p, 0) + tf.reduce_mean(other_p, 0)) / 2  # noqa: E731
    expected = np_entropy(np.concatenate([probabilities(local), probabilities(other)]).mean(0))
    np.testing.assert_allclose(float(marginal_entropy(local, both)), expected, rtol=1e-5)
    fake = RNG.normal(size=(5, 4))
    np.testing.assert_allclose(
        float(catgan_generator_loss(local, both)),
        -expected + np_entropy(probabilities(local)).mean(), rtol=1e-5)
    np.testing.assert_allclose(
        float(catgan_discriminator_loss(local, fake, both)),
        -expected + np_entropy(probabilities(local)).mean()
        - np_entropy(probabilities(fake)).mean(), rtol=1e-5)
    same = lambda p: tf.reduce_mean(p, 0)  # noqa: E731
    np.testing.assert_allclose(float(marginal_entropy(local, same)),
                               float(marginal_entropy(local)), rtol=1e-5)
    collapsed = np.tile([[1000.0, 0, 0, 0]], (3, 1))
    np.testing.assert_allclose(float(marginal_entropy(collapsed, same)), 0.0, atol=1e-6)
