"""Kernel Inception Distance (Bińkowski et al. 2018)."""

from __future__ import annotations

import numpy as np

from tfgan_kit.errors import UserError
from tfgan_kit.metrics.inception_score import MeanStd


def polynomial_kernel(x, y) -> np.ndarray:
    """The KID kernel ``k(x, y) = (x . y / d + 1)^3`` between rows, in float64."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def unbiased_mmd2(x, y) -> float:
    """Unbiased estimate of MMD^2 with `polynomial_kernel` between two equal-size sets.

    ``MMD^2_u = sum_{i!=j} k(x_i,x_j)/(m(m-1)) + sum_{i!=j} k(y_i,y_j)/(m(m-1))
    - 2 sum_{i,j} k(x_i,y_j)/m^2`` (Gretton et al. 2012, Eq. 3 with the cross term over all
    pairs, as in Bińkowski et al.'s released code).
    """
    m = len(x)
    k_xx = polynomial_kernel(x, x)
    k_yy = polynomial_kernel(y, y)
    k_xy = polynomial_kernel(x, y)
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    return float(within - 2.0 * k_xy.mean())


def kernel_distance(
    features_a, features_b, num_subsets: int = 100, subset_size: int = 1000, seed: int = 0
) -> MeanStd:
    """Kernel Inception Distance: unbiased MMD^2 with a cubic polynomial kernel, over subsets.

    Draws `num_subsets` pairs of subsets (each without replacement, of size
    ``min(subset_size, n_a, n_b)``) with ``numpy.random.default_rng(seed)`` and averages the
    unbiased MMD^2 estimates (`unbiased_mmd2`) with kernel ``(x . y / d + 1)^3``. Unbiased, so
    it can be slightly negative for identical distributions. Computed in float64.

    Args:
        features_a: features of the first set, shape ``[n_a, d]``.
        features_b: features of the second set, shape ``[n_b, d]``.
        num_subsets: number of subset pairs. Defaults to `100` (the paper's setting).
        subset_size: size of each subset, capped by ``n_a`` and ``n_b``. Defaults to `1000`.
        seed: seed of the subset draws. Defaults to `0`.

    Returns:
        `MeanStd(mean, std)` of the subset estimates (std with ``ddof=0``).

    Raises:
        ValueError: on inputs that are not ``[n, d]`` with equal ``d`` and ``n >= 2``, or
            non-positive `num_subsets` / `subset_size`.

    Reference:
        Bińkowski, Sutherland, Arbel, Gretton. "Demystifying MMD GANs", ICLR 2018, Sec. 4
        (KID) and Appendix D.
    """
    a = np.asarray(features_a, dtype=np.float64)
    b = np.asarray(features_b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise UserError(
            "`features_a` and `features_b` must have shapes [n_a, d] and [n_b, d] with n >= 2. "
            f"Received: {a.shape} and {b.shape}"
        )
    if num_subsets < 1:
        raise UserError(f"`num_subsets` must be >= 1. Received: num_subsets={num_subsets}")
    if subset_size < 2:
        raise UserError(f"`subset_size` must be >= 2. Received: subset_size={subset_size}")
    m = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    estimates = []
    for _ in range(num_subsets):
        x = a[rng.choice(len(a), m, replace=False)]
        y = b[rng.choice(len(b), m, replace=False)]
        estimates.append(unbiased_mmd2(x, y))
    return MeanStd(float(np.mean(estimates)), float(np.std(estimates)))
