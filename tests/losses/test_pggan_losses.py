"""WGAN, least-squares, gradient-penalty and drift losses against independent numpy formulas."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.losses.least_squares import (
    least_squares_discriminator_loss,
    least_squares_generator_loss,
)
from tfgan_kit.losses.penalties import drift_penalty, gradient_penalty, interpolate
from tfgan_kit.losses.wasserstein import (
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)

RNG = np.random.default_rng(0)
REAL = RNG.normal(size=(6, 1)).astype(np.float32)
FAKE = RNG.normal(size=(6, 1)).astype(np.float32) - 1.0


def test_wasserstein_losses():
    assert float(wasserstein_discriminator_loss(REAL, FAKE)) == pytest.approx(FAKE.mean() - REAL.mean(), rel=1e-6)
    assert float(wasserstein_generator_loss(FAKE)) == pytest.approx(-FAKE.mean(), rel=1e-6)
    # Any rank (PatchGAN maps): mean over every element.
    maps = RNG.normal(size=(2, 3, 3, 1)).astype(np.float32)
    assert float(wasserstein_generator_loss(maps)) == pytest.approx(-maps.mean(), rel=1e-5)
    # Hand-computed: real scores 1, fake scores -1 -> -2.
    assert float(wasserstein_discriminator_loss([1.0, 1.0], [-1.0, -1.0])) == -2.0


def test_least_squares_losses():
    expected_d = 0.5 * np.mean((REAL - 1) ** 2) + 0.5 * np.mean(FAKE**2)
    assert float(least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(expected_d, rel=1e-6)
    assert float(least_squares_generator_loss(FAKE)) == pytest.approx(0.5 * np.mean((FAKE - 1) ** 2), rel=1e-6)
    assert float(least_squares_discriminator_loss([1.0], [0.0])) == 0.0


def test_drift_penalty():
    assert float(drift_penalty(REAL)) == pytest.approx(np.mean(REAL**2), rel=1e-6)
    assert float(drift_penalty([2.0, -2.0])) == 4.0


def test_interpolate_per_example():
    real = np.zeros((2, 2, 2, 1), np.float32)
    fake = np.ones((2, 2, 2, 1), np.float32)
    out = interpolate(real, fake, np.array([0.25, 1.0], np.float32)).numpy()
    np.testing.assert_allclose(out[0], 0.25)
    np.testing.assert_allclose(out[1], 1.0)


@pytest.mark.parametrize("target, epsilon", [(1.0, 1e-10), (750.0, 1e-10), (1.0, 0.5)])
def test_gradient_penalty_quadratic_critic(target, epsilon):
    # D(x) = sum_j w_j x_j^2 per example -> grad = 2 w x (computed here by hand, not by TF).
    real = RNG.normal(size=(5, 3, 3, 2)).astype(np.float32)
    fake = RNG.normal(size=(5, 3, 3, 2)).astype(np.float32)
    weights = RNG.uniform(size=5).astype(np.float32)
    w = RNG.uniform(0.5, 2.0, size=(3, 3, 2)).astype(np.float32)
    critic = lambda x: tf.reduce_sum(w * x**2, axis=[1, 2, 3])[:, None]  # noqa: E731
    x_hat = real + weights[:, None, None, None] * (fake - real)
    norms = np.sqrt(((2 * w * x_hat) ** 2).reshape(5, -1).sum(axis=1) + epsilon)
    expected = np.mean((norms - target) ** 2) / target**2
    got = float(gradient_penalty(critic, real, fake, weights, target=target, epsilon=epsilon))
    assert got == pytest.approx(expected, rel=1e-5)


def test_gradient_penalty_linear_critic_hand_value():
    # D(x) = 3 * sum(x): gradient norm 3 * sqrt(4) = 6 everywhere -> (6 - 1)^2 = 25.
    critic = lambda x: 3.0 * tf.reduce_sum(x, axis=[1, 2, 3])  # noqa: E731
    zeros = np.zeros((4, 2, 2, 1), np.float32)
    assert float(gradient_penalty(critic, zeros, zeros + 1, np.full(4, 0.5, np.float32))) == pytest.approx(25.0)
    with pytest.raises(ValueError, match="`target` must be positive. Received: target=0"):
        gradient_penalty(critic, zeros, zeros, np.zeros(4, np.float32), target=0.0)
    with pytest.raises(ValueError, match="`epsilon` must be non-negative. Received: epsilon=-1"):
        gradient_penalty(critic, zeros, zeros, np.zeros(4, np.float32), epsilon=-1.0)


def test_gradient_penalty_epsilon_inside_the_root_hand_value():
    # Zero input gradient: norm sqrt(0 + 0.25) = 0.5 -> (0.5 - 1)^2 = 0.25.
    critic = lambda x: 0.0 * tf.reduce_sum(x, axis=[1, 2, 3])  # noqa: E731
    zeros = np.zeros((4, 2, 2, 1), np.float32)
    penalty = gradient_penalty(critic, zeros, zeros, np.zeros(4, np.float32), epsilon=0.25)
    assert float(penalty) == pytest.approx(0.25)


def test_gradient_penalty_finite_gradients_through_a_dead_relu():
    # Dense(4, relu) -> Dense(1): every pre-activation of the first example is -2, so its input
    # gradient is exactly zero; d sqrt(s) / ds at s = 0 would make the weight gradients NaN.
    critic = keras.Sequential([
        keras.Input((2,)),
        keras.layers.Dense(4, "relu", kernel_initializer="ones"),
        keras.layers.Dense(1, kernel_initializer="ones"),
    ])
    samples = np.array([[-1.0, -1.0], [1.0, 0.5], [0.3, 2.0]], np.float32)
    with tf.GradientTape() as tape:
        penalty = gradient_penalty(critic, samples, samples, np.zeros(3, np.float32))
    gradients = tape.gradient(penalty, critic.trainable_variables)
    assert np.isfinite(float(penalty))
    # The output bias does not change the input gradient, so it gets no gradient (None).
    assert gradients[-1] is None
    assert all(np.all(np.isfinite(g.numpy())) for g in gradients[:-1])
    assert np.any(gradients[0].numpy() != 0.0)  # the live examples still train the first layer
