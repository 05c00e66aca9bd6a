"""IS, FID, KID, precision/recall and density/coverage against independent numpy/scipy code."""

import itertools
import math

import numpy as np
import pytest
import scipy.linalg

from tfgan_kit.metrics import (
    FeatureStatistics,
    density_coverage,
    frechet_distance,
    inception_score,
    kernel_distance,
    precision_recall,
    precision_recall_density_coverage,
)
from tfgan_kit.metrics.frechet_distance import (
    frechet_distance_from_statistics,
    trace_sqrt_product,
)


def _gaussian_features(seed, n, d, shift=0.0):
    # The same mixing for every seed: equal seeds-apart sets share one distribution.
    mixing = np.random.default_rng(99).normal(size=(d, d)) / np.sqrt(d) + np.eye(d)
    return np.random.default_rng(seed).normal(size=(n, d)) @ mixing + shift


# ---------------------------------------------------------------- Inception Score


def test_inception_score_matches_direct_formula():
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=3.0, size=(500, 10))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    scores = []
    for part in np.array_split(p, 10):  # 500 rows: equal splits, same as n*i//splits
        p_y = part.mean(axis=0)
        kl = [sum(pi * math.log(pi / qi) for pi, qi in zip(row, p_y)) for row in part]
        scores.append(math.exp(sum(kl) / len(kl)))
    mean, std = inception_score(p, splits=10)
    assert mean == pytest.approx(np.mean(scores), rel=1e-12)
    assert std == pytest.approx(np.std(scores), rel=1e-9)


def test_inception_score_bounds():
    one_hot = np.eye(10)[np.arange(1000) % 10]
    assert inception_score(one_hot).mean == pytest.approx(10.0)  # confident and diverse
    uniform = np.full((100, 10), 0.1)
    assert tuple(inception_score(uniform)) == (pytest.approx(1.0), pytest.approx(0.0))


def test_inception_score_rejects_logits_and_bad_splits():
    with pytest.raises(ValueError, match="apply a softmax"):
        inception_score(np.random.default_rng(0).normal(size=(20, 10)))
    with pytest.raises(ValueError, match="`splits` must be between 1"):
        inception_score(np.full((5, 2), 0.5), splits=6)


# ---------------------------------------------------------------- FID


def _fid_with_sqrtm(a, b):
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(s_a @ s_b).real
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(s_a + s_b - 2 * root))


def test_fid_matches_scipy_sqrtm_formula():
    a = _gaussian_features(0, 800, 64)
    b = _gaussian_features(1, 700, 64, shift=0.3)
    expected = _fid_with_sqrtm(a, b)
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-6)


def test_fid_of_a_set_with_itself_is_zero():
    a = _gaussian_features(0, 500, 32)
    assert abs(frechet_distance(a, a)) < 1e-9


def test_fid_closed_form_for_known_gaussians():
    # N(m1, diag(s1)) vs N(m2, diag(s2)): |m1-m2|^2 + sum(s1 + s2 - 2 sqrt(s1 s2)).
    m1, m2 = np.zeros(3), np.array([1.0, 2.0, 0.0])
    s1, s2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 1.0])
    expected = 5.0 + np.sum(s1 + s2 - 2 * np.sqrt(s1 * s2))
    value = frechet_distance_from_statistics(m1, np.diag(s1), m2, np.diag(s2))
    assert value == pytest.approx(expected, rel=1e-12)
    # Non-diagonal but commuting-free case against sqrtm of the exact matrices.
    rng = np.random.default_rng(3)
    q = rng.normal(size=(5, 5))
    c1, c2 = q @ q.T + np.eye(5), np.diag(rng.uniform(0.5, 2.0, size=5))
    exact = np.trace(c1 + c2 - 2 * scipy.linalg.sqrtm(c1 @ c2).real)
    assert frechet_distance_from_statistics(np.zeros(5), c1, np.zeros(5), c2) == pytest.approx(
        exact, rel=1e-10
    )
    # Samples approach the closed form.
    rng = np.random.default_rng(4)
    x = m1 + rng.normal(size=(200_000, 3)) * np.sqrt(s1)
    y = m2 + rng.normal(size=(200_000, 3)) * np.sqrt(s2)
    assert frechet_distance(x, y) == pytest.approx(expected, rel=0.01)


def test_fid_rank_deficient_covariance_warns_and_stays_finite():
    a = _gaussian_features(0, 30, 64)
    b = _gaussian_features(1, 40, 64)
    with pytest.warns(UserWarning, match="rank-deficient"):
        value = frechet_distance(a, b)
    # Independent: trace of the square root = nuclear norm of S_a^1/2 S_b^1/2, from the
    # centred data matrices (S = X^T X / (n - 1)): singular values of X_a X_b^T.
    xa, xb = a - a.mean(0), b - b.mean(0)
    nuclear = np.linalg.svd(xa @ xb.T, compute_uv=False).sum() / np.sqrt(29 * 39)
    expected = (
        np.sum((a.mean(0) - b.mean(0)) ** 2)
        + np.trace(np.cov(a, rowvar=False))
        + np.trace(np.cov(b, rowvar=False))
        - 2 * nuclear
    )
    assert np.isfinite(value) and value == pytest.approx(expected, rel=1e-8)


def test_trace_sqrt_product_full_rank_and_exactly_singular():
    rng = np.random.default_rng(7)
    q = np.linalg.qr(rng.normal(size=(6, 6)))[0]
    a, b = np.array([3.0, 1.0, 2.0, 0.5, 4.0, 1.5]), np.array([1.0, 2.0, 0.5, 3.0, 1.0, 2.0])
    # Commuting pair q diag(a) q^T, q diag(b) q^T: tr sqrt = sum sqrt(a_i b_i).
    sa, sb = (q * a) @ q.T, (q * b) @ q.T
    assert trace_sqrt_product(sa, sb) == pytest.approx(np.sum(np.sqrt(a * b)), rel=1e-12)
    # A zero pivot makes Cholesky fail: the eigendecomposition branch must give the same rule.
    a[[1, 4]] = 0.0
    singular = np.diag(a)
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(singular)
    assert trace_sqrt_product(singular, np.diag(b)) == pytest.approx(np.sum(np.sqrt(a * b)), rel=1e-12)


def test_streaming_statistics_match_numpy():
    a = _gaussian_features(0, 301, 16, shift=1000.0)  # large mean: tests the shifted sums
    stats = FeatureStatistics()
    for batch in np.array_split(a, 7):
        stats.update(batch)
    assert np.allclose(stats.mean, a.mean(0), rtol=1e-12)
    assert np.allclose(stats.covariance, np.cov(a, rowvar=False), rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match="must have 16 columns"):
        stats.update(np.zeros((2, 3)))


def test_fid_bad_input():
    with pytest.raises(ValueError, match="must have shapes"):
        frechet_distance(np.zeros((10, 3)), np.zeros((10, 4)))


# ---------------------------------------------------------------- KID


def _mmd2_loop(x, y):
    d = x.shape[1]
    m = len(x)

    def k(u, v):
        return (float(np.dot(u, v)) / d + 1.0) ** 3

    xx = sum(k(x[i], x[j]) for i, j in itertools.permutations(range(m), 2)) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i, j in itertools.permutations(range(m), 2)) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(m)) / (m * m)
    return xx + yy - 2 * xy


def test_kid_matches_direct_loop():
    a = _gaussian_features(0, 40, 8)
    b = _gaussian_features(1, 40, 8, shift=0.5)
    expected = _mmd2_loop(a, b)
    # One subset of the full size is a permutation of each set: MMD^2 does not change.
    mean, std = kernel_distance(a, b, num_subsets=3, subset_size=1000)
    assert mean == pytest.approx(expected, rel=1e-10)
    assert std == pytest.approx(0.0, abs=1e-12)


def test_kid_subsets_are_seeded_and_detect_a_shift():
    a = _gaussian_features(0, 600, 16)
    same = _gaussian_features(1, 600, 16)
    shifted = _gaussian_features(2, 600, 16, shift=0.5)
    first = kernel_distance(a, same, num_subsets=20, subset_size=100, seed=5)
    assert first == kernel_distance(a, same, num_subsets=20, subset_size=100, seed=5)
    assert first != kernel_distance(a, same, num_subsets=20, subset_size=100, seed=6)
    far = kernel_distance(a, shifted, num_subsets=20, subset_size=100)
    assert abs(first.mean) < 3 * first.std + 1e-3 and far.mean > 10 * first.std


def test_kid_bad_input():
    with pytest.raises(ValueError, match="`num_subsets` must be >= 1"):
        kernel_distance(np.zeros((5, 2)), np.zeros((5, 2)), num_subsets=0)


# ---------------------------------------------------------------- PRDC


def _prdc_loop(real, fake, k_pr, k_dc):
    def dist(u, v):
        return math.sqrt(float(np.sum((u - v) ** 2)))

    def radii(x, k):
        return [sorted(dist(p, q) for j, q in enumerate(x) if j != i)[k - 1] for i, p in enumerate(x)]

    r_pr, r_dc, f_pr = radii(real, k_pr), radii(real, k_dc), radii(fake, k_pr)
    d = [[dist(f, r) for r in real] for f in fake]
    precision = np.mean([any(d[j][i] <= r_pr[i] for i in range(len(real))) for j in range(len(fake))])
    recall = np.mean([any(d[j][i] <= f_pr[j] for j in range(len(fake))) for i in range(len(real))])
    density = sum(d[j][i] < r_dc[i] for j in range(len(fake)) for i in range(len(real)))
    density /= k_dc * len(fake)
    coverage = np.mean([min(d[j][i] for j in range(len(fake))) < r_dc[i] for i in range(len(real))])
    return dict(precision=precision, recall=recall, density=density, coverage=coverage)


def test_prdc_matches_quadratic_loop_with_small_blocks():
    real = _gaussian_features(0, 90, 6)
    fake = _gaussian_features(1, 70, 6, shift=0.4) * 1.3
    expected = _prdc_loop(real, fake, 3, 5)
    for batch_size in (None, 7):
        pr = precision_recall(real, fake, k=3, batch_size=batch_size)
        dc = density_coverage(real, fake, k=5, batch_size=batch_size)
        assert pr == pytest.approx({k: expected[k] for k in ("precision", "recall")}, abs=1e-12)
        assert dc == pytest.approx({k: expected[k] for k in ("density", "coverage")}, abs=1e-12)
    combined = precision_recall_density_coverage(real, fake, batch_size=11)
    assert combined == pytest.approx(expected, abs=1e-12)


def test_density_and_coverage_of_identical_distributions():
    real = np.random.default_rng(0).normal(size=(2000, 8))
    fake = np.random.default_rng(1).normal(size=(2000, 8))
    dc = density_coverage(real, fake, k=5)
    assert dc["density"] == pytest.approx(1.0, abs=0.06)
    assert dc["coverage"] == pytest.approx(1 - 2.0**-5, abs=0.02)
    pr = precision_recall(real, fake)
    assert pr["precision"] > 0.6 and pr["recall"] > 0.6
    collapsed = precision_recall(real, np.repeat(fake[:10], 200, axis=0) + 1e-3 * fake)
    assert collapsed["recall"] < 0.2 < pr["recall"]


def test_prdc_bad_input():
    with pytest.raises(ValueError, match="`k` must be between 1"):
        precision_recall(np.zeros((3, 2)), np.zeros((3, 2)), k=3)
    with pytest.raises(ValueError, match="must have shapes"):
        density_coverage(np.zeros((10, 2)), np.zeros((10, 3)))
