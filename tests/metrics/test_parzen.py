"""Parzen-window log-likelihood against scipy densities and a known Gaussian."""

import math

import numpy as np
import pytest
import scipy.stats
from scipy.special import logsumexp

from tfgan_kit.metrics import parzen_log_likelihood
from tfgan_kit.metrics.parzen import parzen_log_likelihoods


def test_matches_mixture_of_scipy_normals():
    rng = np.random.default_rng(0)
    samples, points = rng.normal(size=(200, 3)), rng.normal(size=(40, 3))
    sigmas = [0.3, 0.7]
    ours = parzen_log_likelihoods(samples, points, sigmas, batch_size=7)
    for row, sigma in zip(ours, sigmas):
        components = np.stack(
            [scipy.stats.multivariate_normal(s, sigma**2 * np.eye(3)).logpdf(points) for s in samples]
        )
        expected = logsumexp(components, axis=0) - np.log(len(samples))
        assert np.allclose(row, expected, rtol=1e-10)


def test_approaches_the_true_log_likelihood_as_samples_grow():
    rng = np.random.default_rng(1)
    test, validation = rng.normal(size=(1000, 2)), rng.normal(size=(1000, 2))
    # The true model's mean log-likelihood on the same test points (about -log(2 pi) - 1).
    true_ll = scipy.stats.multivariate_normal(np.zeros(2), np.eye(2)).logpdf(test).mean()
    errors = []
    for n in (30, 10_000):
        samples = rng.normal(size=(n, 2))
        result = parzen_log_likelihood(samples, test, validation)
        errors.append(abs(result["log_likelihood"] - true_ll))
    assert errors[1] < 0.5 * errors[0]
    assert errors[1] < 0.03
    # Sigma is the validation argmax over logspace(-1, 0, 10); the error is std / sqrt(n).
    grid = np.logspace(-1, 0, 10)
    validation_ll = parzen_log_likelihoods(samples, validation, grid).mean(axis=1)
    assert result["sigma"] == pytest.approx(grid[np.argmax(validation_ll)])
    per_point = parzen_log_likelihoods(samples, test, [result["sigma"]])[0]
    assert result["standard_error"] == pytest.approx(per_point.std() / math.sqrt(1000))


def test_bad_input():
    with pytest.raises(ValueError, match="same example shape"):
        parzen_log_likelihood(np.zeros((5, 2)), np.zeros((5, 3)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="`sigmas` must be positive"):
        parzen_log_likelihood(np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((5, 2)), sigmas=[0.0])
