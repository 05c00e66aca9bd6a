"""Pix2Pix and CycleGAN losses against numpy (Isola et al. 2017 Eq. 1-4; Zhu et al. 2017 Eq. 1-3)."""

import numpy as np
import pytest

from tfgan_kit.losses import (
    cycle_consistency_loss,
    cyclegan_discriminator_loss,
    cyclegan_generator_loss,
    identity_loss,
    l1_distance,
    pix2pix_discriminator_loss,
    pix2pix_generator_loss,
)

RNG = np.random.default_rng(7)
REAL_LOGITS = RNG.normal(size=(3, 4, 4, 1)).astype(np.float32)  # PatchGAN maps
FAKE_LOGITS = RNG.normal(size=(3, 4, 4, 1)).astype(np.float32)
IMAGES = [RNG.uniform(-1, 1, size=(3, 8, 8, 3)).astype(np.float32) for _ in range(4)]


def log_sigmoid(x):
    return -np.log1p(np.exp(-x.astype(np.float64)))


def test_l1_distance_is_the_mean_absolute_difference():
    a, b = IMAGES[:2]
    expected = sum(abs(float(x) - float(y)) for x, y in zip(a.ravel(), b.ravel())) / a.size
    np.testing.assert_allclose(float(l1_distance(a, b)), expected, rtol=1e-5)


def test_pix2pix_discriminator_loss_is_half_the_cgan_loss():
    d_real, d_fake = 1 / (1 + np.exp(-REAL_LOGITS)), 1 / (1 + np.exp(-FAKE_LOGITS))
    expected = 0.5 * (-np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake)))
    np.testing.assert_allclose(float(pix2pix_discriminator_loss(REAL_LOGITS, FAKE_LOGITS)),
                               expected, rtol=1e-5)


@pytest.mark.parametrize("weight", [100.0, 1.0])
def test_pix2pix_generator_loss_is_non_saturating_plus_lambda_l1(weight):
    target, output = IMAGES[:2]
    expected = -np.mean(log_sigmoid(FAKE_LOGITS)) + weight * np.mean(np.abs(target - output))
    np.testing.assert_allclose(float(pix2pix_generator_loss(FAKE_LOGITS, target, output, weight)),
                               expected, rtol=1e-5)


def test_cyclegan_adversarial_losses_are_least_squares():
    expected_d = 0.5 * (np.mean((REAL_LOGITS - 1.0) ** 2) + np.mean(FAKE_LOGITS**2))
    np.testing.assert_allclose(float(cyclegan_discriminator_loss(REAL_LOGITS, FAKE_LOGITS)),
                               expected_d, rtol=1e-5)
    np.testing.assert_allclose(float(cyclegan_generator_loss(FAKE_LOGITS)),
                               np.mean((FAKE_LOGITS - 1.0) ** 2), rtol=1e-5)


def test_cycle_and_identity_terms_sum_both_directions():
    x, x_back, y, y_back = IMAGES
    expected = np.abs(x_back - x).mean() + np.abs(y_back - y).mean()
    np.testing.assert_allclose(float(cycle_consistency_loss(x, x_back, y, y_back)), expected,
                               rtol=1e-5)
    np.testing.assert_allclose(float(identity_loss(x, x_back, y, y_back)), expected, rtol=1e-5)
    assert float(cycle_consistency_loss(x, x, y, y)) == 0.0
    # the terms are not symmetric in the pairing: x against G(F(y)) is another number
    assert not np.isclose(float(cycle_consistency_loss(x, y_back, y, x_back)), expected)
