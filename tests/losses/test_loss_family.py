"""DRAGAN, one-sided WGAN-GP, EBGAN and BEGAN losses against independent numpy formulas."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit import losses
from tfgan_kit.losses import (
    autoencoder_energy,
    began_autoencoder_loss,
    began_convergence,
    began_discriminator_loss,
    began_generator_loss,
    began_k_update,
    dragan_penalty,
    dragan_perturbation_normal,
    dragan_perturbation_uniform,
    ebgan_discriminator_loss,
    ebgan_generator_loss,
    gradient_penalty,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    pulling_away_term,
)

RNG = np.random.default_rng(11)
SHAPE = (5, 3, 3, 2)


def _linear_critic(w, b=0.7):
    """D(x) = sum(w * x) + b per example: its input gradient is w for every example."""
    return lambda x: tf.reduce_sum(w * x, axis=[1, 2, 3])[:, None] + b


def _weights_with_norm(norm):
    w = RNG.normal(size=SHAPE[1:])
    return (norm * w / np.linalg.norm(w)).astype(np.float32)


def test_new_names_are_public():
    for name in ["dragan_penalty", "dragan_perturbation_uniform", "dragan_perturbation_normal",
                 "ebgan_discriminator_loss", "ebgan_generator_loss", "pulling_away_term",
                 "autoencoder_energy", "began_autoencoder_loss", "began_discriminator_loss",
                 "began_generator_loss", "began_k_update", "began_convergence",
                 "fgan_discriminator_loss", "fgan_generator_loss", "DIVERGENCES"]:
        assert name in losses.__all__ and hasattr(losses, name)


# ---------------------------------------------------------------------------------- LSGAN labels


def test_least_squares_other_label_choice():
    """(a, b, c) = (-1, 1, 0), the paper's other choice (Mao et al. 2017, Sec. 3.2.2, Eq. 9)."""
    real, fake = RNG.normal(size=(8, 1)), RNG.normal(size=(8, 1))
    expected_d = 0.5 * np.mean((real - 1) ** 2) + 0.5 * np.mean((fake + 1) ** 2)
    got_d = least_squares_discriminator_loss(real, fake, real_label=1.0, fake_label=-1.0)
    assert float(got_d) == pytest.approx(expected_d, rel=1e-5)
    got_g = least_squares_generator_loss(fake, target=0.0)
    assert float(got_g) == pytest.approx(0.5 * np.mean(fake**2), rel=1e-5)


# ---------------------------------------------------------------------------------------- DRAGAN


def test_dragan_perturbation_uniform_authors_code():
    real = RNG.normal(2.0, 3.0, size=SHAPE).astype(np.float32)
    uniform = RNG.uniform(size=SHAPE).astype(np.float32)
    alpha = RNG.uniform(size=SHAPE[0]).astype(np.float32)
    # x_p = x + 0.5 * x.std() * U; x_hat = x + alpha * (x_p - x), std over the whole batch.
    x_p = real + 0.5 * real.std() * uniform
    expected = alpha[:, None, None, None] * (x_p - real)
    got = dragan_perturbation_uniform(real, uniform, alpha).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    got_c = dragan_perturbation_uniform(real, uniform, np.ones(5), c=2.0).numpy()
    np.testing.assert_allclose(got_c, 2.0 * real.std() * uniform, rtol=1e-5, atol=1e-6)


def test_dragan_perturbation_normal_has_covariance_c():
    normal = RNG.normal(size=SHAPE).astype(np.float32)
    np.testing.assert_allclose(dragan_perturbation_normal(normal, 9.0), 3.0 * normal, rtol=1e-6)
    big = RNG.normal(size=(200_000,)).astype(np.float32)
    assert float(np.var(dragan_perturbation_normal(big, 4.0).numpy())) == pytest.approx(4.0, rel=0.02)
    with pytest.raises(ValueError, match="`c` must be non-negative"):
        dragan_perturbation_normal(normal, -1.0)


@pytest.mark.parametrize("norm", [2.5, 0.4])
def test_dragan_penalty_linear_critic_closed_form(norm):
    w = _weights_with_norm(norm)
    real = RNG.normal(size=SHAPE).astype(np.float32)
    delta = RNG.normal(size=SHAPE).astype(np.float32)
    got = float(dragan_penalty(_linear_critic(w), real, delta))
    assert got == pytest.approx((norm - 1.0) ** 2, rel=1e-5)
    got_k = float(dragan_penalty(_linear_critic(w), real, delta, target=0.5))
    assert got_k == pytest.approx((norm - 0.5) ** 2, rel=1e-5)  # not divided by target^2


def test_dragan_penalty_is_taken_at_the_perturbed_points():
    # D(x) = sum(w x^2) -> grad = 2 w (x + delta), computed by hand.
    w = RNG.uniform(0.2, 1.0, size=SHAPE[1:]).astype(np.float32)
    real = RNG.normal(size=SHAPE).astype(np.float32)
    delta = dragan_perturbation_uniform(
        real, RNG.uniform(size=SHAPE), RNG.uniform(size=SHAPE[0])).numpy()
    norms = np.sqrt(((2 * w * (real + delta)) ** 2).reshape(5, -1).sum(axis=1) + 1e-10)
    critic = lambda x: tf.reduce_sum(w * x**2, axis=[1, 2, 3])  # noqa: E731
    got = float(dragan_penalty(critic, real, delta))
    assert got == pytest.approx(np.mean((norms - 1.0) ** 2), rel=1e-5)
    with pytest.raises(ValueError, match="`target` must be non-negative"):
        dragan_penalty(critic, real, delta, target=-1.0)


# ----------------------------------------------------------------------------- one-sided WGAN-GP


@pytest.mark.parametrize("norm, target", [(2.5, 1.0), (0.4, 1.0), (3.0, 2.0), (1.5, 2.0)])
def test_one_sided_gradient_penalty_linear_critic(norm, target):
    w = _weights_with_norm(norm)
    real = RNG.normal(size=SHAPE).astype(np.float32)
    fake = RNG.normal(size=SHAPE).astype(np.float32)
    mix = RNG.uniform(size=SHAPE[0]).astype(np.float32)
    critic = _linear_critic(w)
    one_sided = float(gradient_penalty(critic, real, fake, mix, target=target, one_sided=True))
    two_sided = float(gradient_penalty(critic, real, fake, mix, target=target))
    assert one_sided == pytest.approx(max(0.0, norm - target) ** 2 / target**2, rel=1e-5, abs=1e-9)
    assert two_sided == pytest.approx((norm - target) ** 2 / target**2, rel=1e-5)


def test_one_sided_gradient_penalty_mixed_norms():
    # D(x) = sum(w x^2): norms 2 |w| |x_hat| straddle 1 across the batch.
    real = RNG.normal(size=(64, 3)).astype(np.float32)
    fake = RNG.normal(size=(64, 3)).astype(np.float32)
    mix = RNG.uniform(size=64).astype(np.float32)
    w = np.array([0.3, 0.5, 0.4], np.float32)
    critic = lambda x: tf.reduce_sum(w * x**2, axis=1)  # noqa: E731
    x_hat = real + mix[:, None] * (fake - real)
    norms = np.sqrt(((2 * w * x_hat) ** 2).sum(axis=1) + 1e-10)
    assert (norms > 1).any() and (norms < 1).any()
    got = float(gradient_penalty(critic, real, fake, mix, one_sided=True))
    assert got == pytest.approx(np.mean(np.maximum(0.0, norms - 1.0) ** 2), rel=1e-5)


# ----------------------------------------------------------------------------------------- EBGAN


def test_ebgan_losses():
    real = RNG.uniform(0.0, 2.0, size=(16,))
    fake = RNG.uniform(0.0, 2.0, size=(16,))
    margin = 1.0
    assert (fake > margin).any() and (fake < margin).any()
    expected = real.mean() + np.mean(np.maximum(0.0, margin - fake))
    got = float(ebgan_discriminator_loss(real, fake, margin))
    assert got == pytest.approx(expected, rel=1e-5)
    assert float(ebgan_generator_loss(fake)) == pytest.approx(fake.mean(), rel=1e-5)
    # Hand values: energies 0.5 real, 0.25 and 2 fake, m = 1 -> 0.5 + (0.75 + 0) / 2.
    assert float(ebgan_discriminator_loss([0.5, 0.5], [0.25, 2.0], 1.0)) == pytest.approx(0.875)


def test_autoencoder_energy_is_per_example_mse():
    x = RNG.normal(size=SHAPE).astype(np.float32)
    r = RNG.normal(size=SHAPE).astype(np.float32)
    expected = ((r - x) ** 2).reshape(5, -1).mean(axis=1)
    got = autoencoder_energy(x, r).numpy()
    assert got.shape == (5,)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def _pulling_away_numpy(s):
    s = s.reshape(len(s), -1)
    n = len(s)
    total = 0.0
    for i in range(n):
        for j in range(n):
            if i != j:
                total += (s[i] @ s[j] / (np.linalg.norm(s[i]) * np.linalg.norm(s[j]))) ** 2
    return total / (n * (n - 1))


def test_pulling_away_term_formula():
    s = RNG.normal(size=(7, 2, 3)).astype(np.float32)
    assert float(pulling_away_term(s)) == pytest.approx(_pulling_away_numpy(s), rel=1e-5)


def test_pulling_away_term_orthogonal_and_identical():
    scales = np.array([1.0, 5.0, 0.2], np.float32)[:, None, None]
    orthogonal = np.eye(4, dtype=np.float32)[:3].reshape(3, 2, 2) * scales
    assert float(pulling_away_term(orthogonal)) == pytest.approx(0.0, abs=1e-7)
    row = RNG.normal(size=(1, 6)).astype(np.float32)
    assert float(pulling_away_term(np.repeat(row, 5, axis=0))) == pytest.approx(1.0, rel=1e-5)
    # Parallel and anti-parallel (cos = +-1): squared cosines are 1 too.
    assert float(pulling_away_term(np.concatenate([row, -3 * row]))) == pytest.approx(1.0, rel=1e-5)
    with pytest.raises(ValueError, match="at least 2 examples"):
        pulling_away_term(row)


# ----------------------------------------------------------------------------------------- BEGAN


def test_began_losses():
    x = RNG.uniform(-1, 1, size=SHAPE).astype(np.float32)
    rec = RNG.uniform(-1, 1, size=SHAPE).astype(np.float32)
    per_example = np.abs(x - rec).reshape(5, -1).mean(axis=1)
    got = began_autoencoder_loss(x, rec).numpy()
    assert got.shape == (5,)
    np.testing.assert_allclose(got, per_example, rtol=1e-5)

    real_loss, gen_loss, k = RNG.uniform(0, 1, 8), RNG.uniform(0, 1, 8), 0.3
    expected_d = real_loss.mean() - k * gen_loss.mean()
    assert float(began_discriminator_loss(real_loss, gen_loss, k)) == pytest.approx(expected_d, rel=1e-5)
    assert float(began_generator_loss(gen_loss)) == pytest.approx(gen_loss.mean(), rel=1e-5)
    # Per-example losses or their means give the same values.
    means = (real_loss.mean(), gen_loss.mean())
    assert float(began_discriminator_loss(*means, k)) == pytest.approx(expected_d, rel=1e-5)
    m_global = real_loss.mean() + abs(0.7 * real_loss.mean() - gen_loss.mean())
    assert float(began_convergence(real_loss, gen_loss, gamma=0.7)) == pytest.approx(m_global, rel=1e-5)


def test_began_discriminator_loss_does_not_train_k():
    k = tf.Variable(0.5)
    with tf.GradientTape() as tape:
        loss = began_discriminator_loss([1.0, 2.0], [0.5, 0.5], k)
    assert tape.gradient(loss, k) is None


def test_began_k_update_rule_and_clipping():
    real_loss, gen_loss = RNG.uniform(0, 1, 8), RNG.uniform(0, 1, 8)
    expected = 0.4 + 0.01 * (0.6 * real_loss.mean() - gen_loss.mean())
    got = float(began_k_update(0.4, real_loss, gen_loss, gamma=0.6, lambda_k=0.01))
    assert got == pytest.approx(expected, rel=1e-5)
    # Defaults gamma = 0.5, lambda_k = 0.001: 0.2 + 0.001 * (0.5 * 0.8 - 0.1) = 0.2003.
    assert float(began_k_update(0.2, 0.8, 0.1)) == pytest.approx(0.2003, rel=1e-6)
    assert float(began_k_update(0.0, 0.1, 0.9)) == 0.0  # would go negative
    assert float(began_k_update(0.9995, 0.9, 0.0, lambda_k=0.01)) == 1.0  # would exceed 1
    assert float(began_k_update(1.0, [0.9, 0.1], [0.0, 0.0], gamma=1.0)) == 1.0
