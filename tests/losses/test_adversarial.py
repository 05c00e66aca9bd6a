"""GAN losses vs an independent numpy computation of Goodfellow et al. 2014, Eq. 1."""

import numpy as np
import pytest

from tfgan_kit.losses import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@pytest.fixture
def logits():
    rng = np.random.default_rng(42)
    return rng.normal(0.0, 3.0, size=(16, 1)), rng.normal(0.0, 3.0, size=(16, 1))


def test_minimax_discriminator_loss_matches_log_formula(logits):
    real, fake = logits
    expected = -np.mean(np.log(_sigmoid(real))) - np.mean(np.log(1.0 - _sigmoid(fake)))
    np.testing.assert_allclose(minimax_discriminator_loss(real, fake), expected, rtol=1e-5)


def test_minimax_generator_loss_matches_log_formula(logits):
    _, fake = logits
    expected = np.mean(np.log(1.0 - _sigmoid(fake)))
    np.testing.assert_allclose(minimax_generator_loss(fake), expected, rtol=1e-5)


def test_non_saturating_generator_loss_matches_log_formula(logits):
    _, fake = logits
    expected = -np.mean(np.log(_sigmoid(fake)))
    np.testing.assert_allclose(non_saturating_generator_loss(fake), expected, rtol=1e-5)


def test_losses_are_finite_and_exact_at_extreme_logits():
    big = np.array([[50.0], [-50.0]], np.float32)
    d = float(minimax_discriminator_loss(big, big))
    g_mm = float(minimax_generator_loss(big))
    g_ns = float(non_saturating_generator_loss(big))
    assert np.isfinite([d, g_mm, g_ns]).all()
    # softplus(50) = 50 (to float precision) and softplus(-50) = exp(-50): closed forms.
    np.testing.assert_allclose(d, (np.exp(-50) + 50) / 2 + (50 + np.exp(-50)) / 2, rtol=1e-6)
    np.testing.assert_allclose(g_mm, -(50 + np.exp(-50)) / 2, rtol=1e-6)
    np.testing.assert_allclose(g_ns, (np.exp(-50) + 50) / 2, rtol=1e-6)


def test_losses_accept_any_rank_patch_maps():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(4, 5, 5, 1)).astype(np.float32)
    fake = rng.normal(size=(4, 5, 5, 1)).astype(np.float32)
    expected = -np.mean(np.log(_sigmoid(real))) - np.mean(np.log(1.0 - _sigmoid(fake)))
    np.testing.assert_allclose(minimax_discriminator_loss(real, fake), expected, rtol=1e-5)


def test_non_saturating_and_minimax_gradients_differ_when_d_rejects_samples():
    """Section 3: when D confidently rejects G(z), log(1-D) saturates, -log D does not."""
    import tensorflow as tf

    fake = tf.constant([[-10.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(fake)
        minimax = minimax_generator_loss(fake)
        non_saturating = non_saturating_generator_loss(fake)
    assert abs(float(tape.gradient(minimax, fake)[0, 0])) < 1e-4
    assert abs(float(tape.gradient(non_saturating, fake)[0, 0])) > 0.99
