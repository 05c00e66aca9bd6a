"""Improved precision & recall (Kynkäänniemi et al. 2019) and density & coverage (Naeem et al.
2020), on k-nearest-neighbour balls, with batched pairwise distances.

Points at exactly the k-NN distance (ties: duplicates, integer features) are decided the same
way every time: radii and comparisons use one squared-distance computation, never a square
root, so equal distances compare equal, with ``<=`` for precision/recall and ``<`` for
density/coverage as in the authors' code.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from tfgan_kit.errors import UserError

#: Block of a distance matrix held at once: 2**25 float64 entries = 256 MiB.
_BLOCK_ENTRIES = 2**25
#: Coordinate differences held at once when recomputing pairs: 2**19 float64 = 4 MiB (fastest
#: measured: the chunk stays in cache).
_PAIR_ENTRIES = 2**19


def _as_features(real_features, fake_features) -> tuple[np.ndarray, np.ndarray]:
    real = np.asarray(real_features, dtype=np.float64)
    fake = np.asarray(fake_features, dtype=np.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise UserError(
            "`real_features` and `fake_features` must have shapes [n_real, d] and [n_fake, d]. "
            f"Received: {real.shape} and {fake.shape}"
        )
    return real, fake


def _check_k(k: int, n: int, name: str) -> None:
    if not 1 <= k < n:
        raise UserError(
            f"`{name}` must be between 1 and the number of samples minus one ({n - 1}). "
            f"Received: {name}={k}"
        )


def squared_distance_blocks(x, y, batch_size: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Yields ``(start, D)`` with ``D[i, j] ~ |x[start + i] - y[j]|^2`` for row blocks of `x`.

    ``D`` comes from ``|a|^2 + |b|^2 - 2 a.b`` (one matrix product per block), so an entry is
    off by rounding that depends on the block's shape: `_rounding_slack` bounds it, and the
    metrics settle every comparison that close with `_pair_squared_distances`. Only one
    ``[batch_size, len(y)]`` float64 block lives at a time, so 10k x 10k distances of 2048-d
    features need a few hundred MiB instead of the full matrix.
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


def _pair_squared_distances(x, y, rows, cols) -> np.ndarray:
    """``|x[rows[p]] - y[cols[p]]|^2`` for index pairs, the same bits wherever a pair appears.

    The squared coordinate differences are added one coordinate at a time in index order, so
    a pair's value depends only on its two vectors: not on the batch, the set it came from or
    the argument order (``(a - b)^2 == (b - a)^2`` exactly). Integer-valued features, and
    features on a coarse power-of-two grid such as quarters, give exact values (below
    ``2^53``); other features give the same rounding for pairs with the same differences.
    """
    out = np.empty(len(rows))
    step = max(1, _PAIR_ENTRIES // max(1, x.shape[1]))
    for start in range(0, len(rows), step):
        squares = np.square(x[rows[start : start + step]] - y[cols[start : start + step]]).T
        total = np.zeros(squares.shape[1])
        for column in squares:
            total += column
        out[start : start + step] = total
    return out


def _rounding_slack(x, y) -> float:
    """Twice a bound on ``|D - _pair_squared_distances|`` for any block entry ``D`` of (x, y).

    With ``u`` the unit roundoff and ``d`` the dimension, the product and the norms are off by
    at most ``d u (|a|^2 + |b|^2)`` each and the two additions by ``5 u (|a|^2 + |b|^2)``;
    the coordinate-ordered sum by ``2 (d + 2) u (|a|^2 + |b|^2)``. Doubling covers the
    rounding of the norms themselves and of ``radius -+ slack``.
    """
    d = x.shape[1]
    max_norms = np.einsum("ij,ij->i", x, x).max() + np.einsum("ij,ij->i", y, y).max()
    return float(2 * (4 * d + 10) * (np.finfo(np.float64).eps / 2) * max_norms)


def _squared_radii(x, ks, batch_size) -> dict[int, np.ndarray]:
    """k-th smallest `_pair_squared_distances` value from each row of `x` to the other rows.

    One array per k in `ks`. The block entries locate the k-th neighbour up to the slack: when
    the entries ranked k - 1 and k + 1 are more than the slack away, the k-th one is certain
    and only its distance is recomputed; otherwise (ties) `_kth_among_near` ranks the
    recomputed distances of every entry that close.
    """
    slack = 2 * _rounding_slack(x, x)
    radii = {k: np.empty(len(x)) for k in ks}
    positions = sorted({p for k in ks for p in (k - 1, k, k + 1) if p < len(x)})
    for start, block in squared_distance_blocks(x, x, batch_size):
        rows = np.arange(len(block))
        block[rows, start + rows] = 0.0  # a point's own distance, exactly as recomputed
        order = np.argpartition(block, positions, axis=1)
        for k in ks:
            kth = order[:, k]
            approx = block[rows, kth]
            upper = block[rows, order[:, k + 1]] if k + 1 < len(x) else np.inf
            certain = (block[rows, order[:, k - 1]] < approx - slack) & (upper > approx + slack)
            radius = radii[k][start : start + len(block)]
            radius[certain] = _pair_squared_distances(x, x, start + rows[certain], kth[certain])
            tied = rows[~certain]
            step = max(1, _BLOCK_ENTRIES // 8 // len(x))  # rows copied at once: <= 32 MiB
            for chunk in (tied[i : i + step] for i in range(0, len(tied), step)):
                radius[chunk] = _kth_among_near(
                    x, block[chunk], start + chunk, approx[chunk], k, slack
                )
    return radii


def _kth_among_near(x, block_rows, row_ids, approx, k, slack) -> np.ndarray:
    """k-th smallest `_pair_squared_distances` value of rows with entries within `slack` of it.

    Entries below ``approx - slack`` are counted, the ones up to ``approx + slack`` recomputed
    and ranked.
    """
    below = block_rows < (approx - slack)[:, None]
    near = block_rows <= (approx + slack)[:, None]
    near ^= below
    near_rows, near_cols = np.nonzero(near)  # grouped by row
    values = _pair_squared_distances(x, x, row_ids[near_rows], near_cols)
    order = np.lexsort((values, near_rows))
    first = np.searchsorted(near_rows, np.arange(len(block_rows)))
    return values[order][first + k - np.count_nonzero(below, axis=1)]


def nearest_neighbour_radii(features, ks, batch_size: int | None = None) -> dict[int, np.ndarray]:
    """Distance from each row of `features` to its k-th nearest other row, for every k in `ks`.

    The square roots of the squared radii the metrics compare against (the metrics never
    take the root); a duplicate of a row counts as a neighbour at distance 0.
    """
    x = np.asarray(features, dtype=np.float64)
    return {k: np.sqrt(r) for k, r in _squared_radii(x, ks, batch_size).items()}


def _inside(block, radii, slack, strict, recompute) -> np.ndarray:
    """Boolean block: is entry (i, j)'s squared distance ``<`` (or ``<=``) its radius?

    `radii` broadcasts against `block` (a column of per-row radii or a row of per-column
    radii); entries within `slack` of their radius are decided by ``recompute(rows, cols)``.
    """
    inside = block < radii - slack
    unsure = block <= radii + slack
    unsure ^= inside
    if unsure.any():
        rows, cols = np.nonzero(unsure)
        radius = np.broadcast_to(radii, block.shape)[rows, cols]
        values = recompute(rows, cols)
        inside[rows, cols] = values < radius if strict else values <= radius
    return inside


def _prdc(real, fake, pr_k, dc_k, batch_size):
    """Shared pass over the real-fake distances for both metric pairs.

    Radii and comparisons use the same squared distances (no square root), with the
    official rules: ``<=`` for precision and recall (Kynkäänniemi et al.'s code), ``<`` for
    density and coverage (Naeem et al.'s prdc).
    """
    ks = sorted({k for k in (pr_k, dc_k) if k is not None})
    real_radii = _squared_radii(real, ks, batch_size)
    fake_radii = _squared_radii(fake, [pr_k], batch_size)[pr_k] if pr_k else None
    slack = _rounding_slack(fake, real)

    precise = np.zeros(len(fake), dtype=bool)
    recalled = np.zeros(len(real), dtype=bool)
    covered = np.zeros(len(real), dtype=bool)
    density_count = 0
    for start, block in squared_distance_blocks(fake, real, batch_size):
        stop = start + len(block)

        def recompute(rows, cols, start=start):
            return _pair_squared_distances(fake, real, start + rows, cols)

        if pr_k:
            in_real = _inside(block, real_radii[pr_k][None, :], slack, False, recompute)
            precise[start:stop] = in_real.any(axis=1)
            in_fake = _inside(block, fake_radii[start:stop, None], slack, False, recompute)
            recalled |= in_fake.any(axis=0)
        if dc_k:
            inside = _inside(block, real_radii[dc_k][None, :], slack, True, recompute)
            density_count += int(np.count_nonzero(inside))
            covered |= inside.any(axis=0)
    result = {}
    if pr_k:
        result["precision"] = float(precise.mean())
        result["recall"] = float(recalled.mean())
    if dc_k:
        result["density"] = density_count / (dc_k * len(fake))
        result["coverage"] = float(covered.mean())
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
