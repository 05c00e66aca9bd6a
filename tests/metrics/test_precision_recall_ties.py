"""Precision, recall, density and coverage when points lie exactly on k-NN ball boundaries.

Integer-valued features give many pairs at exactly the k-th neighbour distance. The reference
below works on Python integers (exact squared distances, no rounding anywhere) and applies the
official comparison rules: a point is inside a ball when its squared distance is ``<=`` the
squared radius for precision/recall (Kynkäänniemi et al.'s code) and ``<`` for
density/coverage (Naeem et al.'s prdc). Continuous features tie when a set is compared with a
copy of itself: there the answer is known without a reference.
"""

import sys

import numpy as np
import pytest

from tfgan_kit.metrics import density_coverage, precision_recall, precision_recall_density_coverage
from tfgan_kit.metrics.precision_recall import nearest_neighbour_radii

# The package exports a function of the same name, which hides the module as an attribute.
precision_recall_module = sys.modules["tfgan_kit.metrics.precision_recall"]


def _squared_distance(u, v):
    return sum((int(a) - int(b)) ** 2 for a, b in zip(u, v))


def _squared_radii(points, k):
    """k-th smallest squared distance from each point to the other points of its set."""
    radii = []
    for i, p in enumerate(points):
        others = sorted(_squared_distance(p, q) for j, q in enumerate(points) if j != i)
        radii.append(others[k - 1])
    return radii


def _exact_prdc(real, fake, pr_k, dc_k):
    real_pr, real_dc, fake_pr = _squared_radii(real, pr_k), _squared_radii(real, dc_k), _squared_radii(fake, pr_k)
    d = [[_squared_distance(f, r) for r in real] for f in fake]
    fakes, reals = range(len(fake)), range(len(real))
    precise = [any(d[j][i] <= real_pr[i] for i in reals) for j in fakes]
    recalled = [any(d[j][i] <= fake_pr[j] for j in fakes) for i in reals]
    inside = sum(d[j][i] < real_dc[i] for j in fakes for i in reals)
    covered = [any(d[j][i] < real_dc[i] for j in fakes) for i in reals]
    return {
        "precision": sum(precise) / len(fake),
        "recall": sum(recalled) / len(real),
        "density": inside / (dc_k * len(fake)),
        "coverage": sum(covered) / len(real),
    }


def _grid_sets(seed, n_real, n_fake, d, size):
    """Real and fake points drawn from the integer grid {0, ..., size - 1}^d."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, size, size=(n_real, d)), rng.integers(0, size, size=(n_fake, d))


@pytest.mark.parametrize(
    "seed, n_real, n_fake, d, size",
    [(131, 14, 14, 4, 3), (94, 14, 14, 4, 4), (0, 40, 30, 3, 3), (1, 25, 45, 2, 5), (3, 37, 55, 2, 4)],
)
def test_integer_grid_matches_exact_reference(seed, n_real, n_fake, d, size):
    real, fake = _grid_sets(seed, n_real, n_fake, d, size)
    expected = _exact_prdc(real, fake, 3, 5)
    for batch_size in (None, 1, 7):
        assert precision_recall_density_coverage(real, fake, batch_size=batch_size) == expected
    assert precision_recall(real, fake, k=3) == {k: expected[k] for k in ("precision", "recall")}
    assert density_coverage(real, fake, k=5) == {k: expected[k] for k in ("density", "coverage")}


def test_case_where_the_sqrt_round_trip_changed_all_four_metrics():
    # With radii stored as sqrt(d^2) and squared again, 3 = sqrt(3)^2 + 4e-16 left points at
    # exactly the radius out of "<=" balls, and 2 = sqrt(2)^2 - 4e-16 put points at exactly
    # the radius into "<" balls: precision 13/14, recall 13/14, density 59/70, coverage 14/14.
    real, fake = _grid_sets(131, 14, 14, 4, 3)
    assert precision_recall_density_coverage(real, fake) == {
        "precision": 1.0, "recall": 1.0, "density": 44 / 70, "coverage": 11 / 14
    }


@pytest.mark.parametrize("k", [1, 2, 4, 7])
def test_other_neighbourhood_sizes_on_a_grid(k):
    real, fake = _grid_sets(5, 30, 35, 2, 4)
    expected = _exact_prdc(real, fake, k, k)
    assert precision_recall_density_coverage(real, fake, k, k, batch_size=4) == expected


def test_power_of_two_grid_is_exact_too():
    # Quarters, shifted: not integers, but every difference, square and sum is exact in
    # float64, so equal distances are equal and must compare equal.
    real, fake = _grid_sets(7, 40, 40, 3, 4)
    expected = _exact_prdc(real, fake, 3, 5)
    scaled = precision_recall_density_coverage(real * 0.25 - 0.5, fake * 0.25 - 0.5, batch_size=9)
    assert scaled == expected


def test_binary_features_and_the_same_features_times_a_tenth():
    # Hamming-distance ties. Times 0.1 nothing is exact any more, but every pair adds the same
    # rounded 0.1^2 once per differing bit, so the ties and the results stay the same.
    rng = np.random.default_rng(11)
    real, fake = rng.integers(0, 2, size=(60, 16)), rng.integers(0, 2, size=(50, 16))
    expected = _exact_prdc(real, fake, 3, 5)
    assert precision_recall_density_coverage(real, fake, batch_size=16) == expected
    assert precision_recall_density_coverage(real * 0.1, fake * 0.1, batch_size=16) == expected


def test_default_blocks_and_tied_rows_in_several_chunks(monkeypatch):
    monkeypatch.setattr(precision_recall_module, "_BLOCK_ENTRIES", 8 * 40)  # 8 rows per block
    real, fake = _grid_sets(0, 40, 30, 3, 3)
    assert precision_recall_density_coverage(real, fake) == _exact_prdc(real, fake, 3, 5)


@pytest.mark.parametrize("offset", [1.0, 1e4])
def test_a_set_against_its_own_copy(offset):
    # Continuous features, no ties between distinct pairs: the fake copy of the k-th neighbour
    # sits exactly on the ball's boundary, which `<` excludes and `<=` includes. A large offset
    # makes |a|^2 + |b|^2 - 2 a.b lose most digits to cancellation.
    real = np.random.default_rng(0).normal(size=(300, 64)) * 3.0 + offset
    fake = real[np.random.default_rng(1).permutation(len(real))]
    for batch_size in (None, 13):
        result = precision_recall_density_coverage(real, fake, batch_size=batch_size)
        assert result == {"precision": 1.0, "recall": 1.0, "density": 1.0, "coverage": 1.0}


def test_radii_are_the_exact_kth_neighbour_distances():
    points, _ = _grid_sets(9, 30, 0, 3, 3)
    radii = nearest_neighbour_radii(points, [1, 3, 5], batch_size=4)
    for k in (1, 3, 5):
        assert np.array_equal(radii[k], np.sqrt(np.array(_squared_radii(points, k), dtype=float)))
