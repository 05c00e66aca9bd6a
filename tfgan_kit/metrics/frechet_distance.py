"""Fréchet distance between Gaussians fitted to features (FID; Heusel et al. 2017)."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg

from tfgan_kit.errors import UserError


class FeatureStatistics:
    """Streaming mean and covariance of feature vectors, accumulated in float64.

    Feed batches with `update`; read `mean` and `covariance` (unbiased, ``ddof=1``). Lets FID
    run over more features than fit in memory at once.

    >>> stats = FeatureStatistics(); stats.update(features_batch); stats.covariance
    """

    def __init__(self):
        self.count = 0
        self._sum = None
        self._outer = None
        self._shift = None

    def update(self, features) -> None:
        """Adds a batch of feature vectors of shape ``[n, d]``."""
        x = np.asarray(features, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] == 0:
            raise UserError(f"`features` must have shape [n, d]. Received: shape={x.shape}")
        if self._shift is None:
            # Shifting by the first row keeps the running sums small (no catastrophic
            # cancellation in E[xx^T] - mu mu^T when the features have a large mean).
            self._shift = x[0].copy()
            self._sum = np.zeros(x.shape[1])
            self._outer = np.zeros((x.shape[1], x.shape[1]))
        elif x.shape[1] != self._shift.shape[0]:
            raise UserError(
                f"`features` must have {self._shift.shape[0]} columns like earlier batches. "
                f"Received: shape={x.shape}"
            )
        centered = x - self._shift
        self.count += x.shape[0]
        self._sum += centered.sum(axis=0)
        self._outer += centered.T @ centered

    @property
    def mean(self) -> np.ndarray:
        """Mean feature vector, shape ``[d]``."""
        self._check_count(1)
        return self._shift + self._sum / self.count

    @property
    def covariance(self) -> np.ndarray:
        """Unbiased covariance matrix, shape ``[d, d]``."""
        self._check_count(2)
        centered_mean = self._sum / self.count
        return (self._outer - self.count * np.outer(centered_mean, centered_mean)) / (
            self.count - 1
        )

    def _check_count(self, minimum: int) -> None:
        if self.count < minimum:
            raise UserError(
                f"FeatureStatistics needs at least {minimum} feature vectors; call `update` "
                f"first. Received: count={self.count}"
            )


def trace_sqrt_product(sigma_a, sigma_b) -> float:
    """``tr(sqrt(sigma_a @ sigma_b))`` for symmetric PSD matrices, in float64.

    ``sigma_a sigma_b`` is similar to a symmetric PSD matrix ``M``, so its eigenvalues are
    real and >= 0 and the trace of its square root is the sum of their square roots:

    * full-rank ``sigma_a = L L^T`` (Cholesky): ``M = L^T sigma_b L``, one Cholesky
      factorisation, two products and one symmetric eigenvalue solve (no eigenvectors);
    * singular ``sigma_a`` (fewer samples than dimensions; Cholesky fails):
      ``M = A^1/2 sigma_b A^1/2`` with the PSD root from a symmetric eigendecomposition.

    Both avoid the Schur-based general ``scipy.linalg.sqrtm`` (several times slower at 2048-d,
    and complex or non-finite on singular input). Eigenvalues below the round-off level
    ``max * d * eps`` (including tiny negative ones) are set to 0 before the square root, so
    numerical noise in a null space adds nothing.
    """
    sigma_a = np.asarray(sigma_a, dtype=np.float64)
    sigma_b = np.asarray(sigma_b, dtype=np.float64)
    try:
        factor = scipy.linalg.cholesky(sigma_a, lower=True)
    except np.linalg.LinAlgError:
        eigenvalues, eigenvectors = scipy.linalg.eigh(sigma_a)
        factor = (eigenvectors * np.sqrt(_drop_round_off(eigenvalues))) @ eigenvectors.T
    middle = factor.T @ sigma_b @ factor
    middle = 0.5 * (middle + middle.T)
    product_eigenvalues = scipy.linalg.eigvalsh(middle)
    return float(np.sum(np.sqrt(_drop_round_off(product_eigenvalues))))


def _drop_round_off(eigenvalues: np.ndarray) -> np.ndarray:
    """Zeroes eigenvalues of a PSD matrix that are below its round-off level."""
    tolerance = max(float(np.max(np.abs(eigenvalues))), 0.0) * len(eigenvalues) * np.finfo(float).eps
    return np.where(eigenvalues > tolerance, eigenvalues, 0.0)


def frechet_distance_from_statistics(mean_a, covariance_a, mean_b, covariance_b) -> float:
    """Fréchet distance ``|mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^1/2)`` of two Gaussians.

    Args:
        mean_a: mean of the first Gaussian, shape ``[d]``.
        covariance_a: its covariance, shape ``[d, d]`` (symmetric PSD).
        mean_b: mean of the second Gaussian, shape ``[d]``.
        covariance_b: its covariance, shape ``[d, d]``.

    Returns:
        The squared Fréchet (2-Wasserstein) distance as a Python float (>= 0 up to round-off).

    Raises:
        ValueError: if the shapes do not agree.

    Reference:
        Heusel et al. "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
        Equilibrium", NeurIPS 2017, Eq. 6; Dowson & Landau 1982.
    """
    mean_a = np.asarray(mean_a, dtype=np.float64)
    mean_b = np.asarray(mean_b, dtype=np.float64)
    covariance_a = np.asarray(covariance_a, dtype=np.float64)
    covariance_b = np.asarray(covariance_b, dtype=np.float64)
    d = mean_a.shape[-1] if mean_a.ndim == 1 else -1
    if (
        mean_a.ndim != 1
        or mean_b.shape != mean_a.shape
        or covariance_a.shape != (d, d)
        or covariance_b.shape != (d, d)
    ):
        raise UserError(
            "Means must have shape [d] and covariances [d, d] with the same d. Received: "
            f"{mean_a.shape}, {covariance_a.shape}, {mean_b.shape}, {covariance_b.shape}"
        )
    difference = mean_a - mean_b
    return float(
        difference @ difference
        + np.trace(covariance_a)
        + np.trace(covariance_b)
        - 2.0 * trace_sqrt_product(covariance_a, covariance_b)
    )


def frechet_distance(features_a, features_b) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (FID on Inception features).

    Fits mean and unbiased covariance to each set (float64) and evaluates
    ``|mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^1/2)`` with `trace_sqrt_product`: the
    trace of the square root from the eigenvalues of ``S_a S_b`` (as torch-fidelity does),
    here through a similar symmetric matrix (Cholesky or eigh), several times faster than
    ``scipy.linalg.sqrtm`` on 2048-d features and equal to it to ~1e-12 relative
    (``benchmarks/metrics_speed.py``).

    Rank-deficient covariances: with ``n <= d`` samples a covariance has rank at most ``n - 1``
    and is singular. The Fréchet distance is still well defined for singular PSD matrices and
    this computation stays exact (no ``eps * I`` offset is needed, unlike ``sqrtm``, which can
    return complex or non-finite results), but the estimate is strongly biased upwards: use
    well over ``d`` samples (the paper uses 50,000 for 2048-d features). A `UserWarning` is
    issued in that case.

    Args:
        features_a: features of the first set (e.g. real images), shape ``[n_a, d]``.
        features_b: features of the second set (e.g. generated images), shape ``[n_b, d]``.

    Returns:
        The Fréchet distance as a Python float; lower is better, 0 for identical sets.

    Raises:
        ValueError: if the inputs are not 2-D with the same width and at least 2 rows each.

    Reference:
        Heusel et al. "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
        Equilibrium", NeurIPS 2017, Eq. 6.
    """
    a = np.asarray(features_a, dtype=np.float64)
    b = np.asarray(features_b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise UserError(
            "`features_a` and `features_b` must have shapes [n_a, d] and [n_b, d] with n >= 2. "
            f"Received: {a.shape} and {b.shape}"
        )
    if min(len(a), len(b)) <= a.shape[1]:
        warnings.warn(
            f"Fréchet distance on {min(len(a), len(b))} samples of {a.shape[1]}-d features: the "
            "covariance is rank-deficient and FID is biased upwards; use more samples than "
            "feature dimensions.",
            stacklevel=2,
        )
    return frechet_distance_from_statistics(
        a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0), np.cov(b, rowvar=False)
    )
