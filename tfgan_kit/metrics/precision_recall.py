"""Improved precision & recall (Kynkäänniemi et al. 2019) and density & coverage (Naeem et al.
2020), on k-nearest-neighbour balls, with batched pairwise distances."""

from __future__ import annotations

from typing import Iterator

import numpy as np

#: Block of a distance matrix held at once: 2**25 float64 entries = 256 MiB.
_BLOCK_ENTRIES = 2**25


def _as_features(real_features, fake_features) -> tuple[np.ndarray, np.ndarray]:
    real = np.asarray(real_features, dtype=np.float64)
    fake = np.asarray(fake_features, dtype=np.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(
            "`real_features` and `fake_features` must have shapes [n_real, d] and [n_fake, d]. "
            f"Received: {real.shape} and {fake.shape}"
        )
    return real, fake


def _check_k(k: int, n: int, name: str) -> None:
    if not 1 <= k < n:
        raise ValueError(
            f"`{name}` must be between 1 and the number of samples minus one ({n - 1}). "
            f"Received: {name}={k}"
        )


def squared_distance_blocks(x, y, batch_size: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Yields ``(start, D)`` with ``D[i, j] = |x[start + i] - y[j]|^2`` for row blocks of `x`.

    Only one ``[batch_size, len(y)]`` float64 block lives at a time, so 10k x 10k distances
    of 2048-d features need a few hundred MiB instead of the full matrix.
    """
    if batch_size is None:
        batch_size = max(1, _BLOCK_ENTRIES // max(1, len(y)))
    y_norms = np.einsum("ij,ij->i", y, y)
    for start in range(0, len(x), batch_size):
        block = x[start : start + batch_size]
        distances = block @ y.T
        distances *= -2.0
        distances += np.einsum("ij,ij->i", block, block)[:, None]
        distances += y_norms[None, :]
        np.maximum(distances, 0.0, out=distances)
        yield start, distances


def nearest_neighbour_radii(features, ks, batch_size: int | None = None) -> dict[int, np.ndarray]:
    """Distance from each row of `features` to its k-th nearest other row, for every k in `ks`.

    The point itself is excluded (its own distance is set to exactly 0 and skipped).
    """
    x = np.asarray(features, dtype=np.float64)
    radii = {k: np.empty(len(x)) for k in ks}
    for start, block in squared_distance_blocks(x, x, batch_size):
        rows = np.arange(len(block))
        block[rows, start + rows] = 0.0
        part = np.partition(block, sorted(ks), axis=1)
        for k in ks:
            radii[k][start : start + len(block)] = np.sqrt(part[:, k])
    return radii


def _prdc(real, fake, pr_k, dc_k, batch_size):
    """Shared pass over the real-fake distances for both metric pairs."""
    ks = sorted({k for k in (pr_k, dc_k) if k is not None})
    real_radii = nearest_neighbour_radii(real, ks, batch_size)
    fake_radii = nearest_neighbour_radii(fake, [pr_k], batch_size)[pr_k] if pr_k else None
    sq_real_pr = real_radii[pr_k] ** 2 if pr_k else None
    sq_real_dc = real_radii[dc_k] ** 2 if dc_k else None
    sq_fake_pr = fake_radii**2 if pr_k else None

    precise = np.zeros(len(fake), dtype=bool)
    recalled = np.zeros(len(real), dtype=bool)
    density_count = 0
    nearest_fake = np.full(len(real), np.inf)
    for start, block in squared_distance_blocks(fake, real, batch_size):
        if pr_k:
            # Kynkäänniemi et al.: inside a ball means distance <= radius.
            precise[start : start + len(block)] = np.any(block <= sq_real_pr[None, :], axis=1)
            recalled |= np.any(block <= sq_fake_pr[start : start + len(block), None], axis=0)
        if dc_k:
            # Naeem et al.: strict distance < radius.
            density_count += int(np.count_nonzero(block < sq_real_dc[None, :]))
            np.minimum(nearest_fake, block.min(axis=0), out=nearest_fake)
    result = {}
    if pr_k:
        result["precision"] = float(precise.mean())
        result["recall"] = float(recalled.mean())
    if dc_k:
        result["density"] = density_count / (dc_k * len(fake))
        result["coverage"] = float(np.mean(nearest_fake < sq_real_dc))
    return result


def precision_recall(
    real_features, fake_features, k: int = 3, batch_size: int | None = None
) -> dict[str, float]:
    """Improved precision and recall of generated features against real features.

    Each real point carries a ball whose radius is the distance to its k-th nearest real
    neighbour; precision is the fraction of fake points inside at least one real ball
    (distance ``<=`` radius). Recall swaps the roles: the fraction of real points inside at
    least one fake ball (radii from the fake set's own k-NN).

    Args:
        real_features: features of real images, shape ``[n_real, d]``.
        fake_features: features of generated images, shape ``[n_fake, d]``.
        k: neighbourhood size. Defaults to `3` (the paper's choice).
        batch_size: rows of each distance block; by default sized to ~256 MiB per block.

    Returns:
        ``{"precision": float, "recall": float}``, both in ``[0, 1]``.

    Raises:
        ValueError: on mismatched shapes or ``k`` not in ``[1, n - 1]``.

    Reference:
        Kynkäänniemi, Karras, Laine, Lehtinen, Aila. "Improved Precision and Recall Metric for
        Assessing Generative Models", NeurIPS 2019, Sec. 2 (k-NN manifolds, precision, recall).
    """
    real, fake = _as_features(real_features, fake_features)
    _check_k(k, min(len(real), len(fake)), "k")
    return _prdc(real, fake, k, None, batch_size)


def density_coverage(
    real_features, fake_features, k: int = 5, batch_size: int | None = None
) -> dict[str, float]:
    """Density and coverage of generated features against real features.

    With ``B_i`` the ball around real point ``i`` of radius its k-th nearest real neighbour
    distance (strict ``<``): density ``= 1/(k M) sum_j sum_i 1[Y_j in B_i]`` (can exceed 1),
    coverage ``= 1/N sum_i 1[exists j: Y_j in B_i]``. For two samples of the same distribution
    density is about 1 and coverage about ``1 - 2^-k`` (for equal set sizes).

    Args:
        real_features: features of real images, shape ``[N, d]``.
        fake_features: features of generated images, shape ``[M, d]``.
        k: neighbourhood size. Defaults to `5` (the paper's choice).
        batch_size: rows of each distance block; by default sized to ~256 MiB per block.

    Returns:
        ``{"density": float, "coverage": float}``.

    Raises:
        ValueError: on mismatched shapes or ``k`` not in ``[1, N - 1]``.

    Reference:
        Naeem, Oh, Uh, Choi, Yoo. "Reliable Fidelity and Diversity Metrics for Generative
        Models", ICML 2020, Sec. 3 (density and coverage).
    """
    real, fake = _as_features(real_features, fake_features)
    _check_k(k, len(real), "k")
    return _prdc(real, fake, None, k, batch_size)


def precision_recall_density_coverage(
    real_features,
    fake_features,
    precision_recall_k: int = 3,
    density_coverage_k: int = 5,
    batch_size: int | None = None,
) -> dict[str, float]:
    """All four of `precision_recall` and `density_coverage` in one set of distance passes.

    Same definitions and defaults; computes the real-real, fake-fake and real-fake distances
    once each instead of twice.

    Returns:
        ``{"precision", "recall", "density", "coverage"}`` as floats.
    """
    real, fake = _as_features(real_features, fake_features)
    _check_k(precision_recall_k, min(len(real), len(fake)), "precision_recall_k")
    _check_k(density_coverage_k, len(real), "density_coverage_k")
    return _prdc(real, fake, precision_recall_k, density_coverage_k, batch_size)
