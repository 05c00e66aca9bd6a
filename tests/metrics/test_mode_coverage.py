"""Tests for the PacGAN mode-coverage metric on hand-made samples."""

import math

import numpy as np
import pytest

from tfgan_kit.metrics import mode_coverage

STD = 0.01
RING = np.stack(
    [np.cos(2 * np.pi * np.arange(8) / 8), np.sin(2 * np.pi * np.arange(8) / 8)], axis=1
)


def test_hand_made_histogram():
    # Two samples on mode 0, one each on modes 3 and 5, two far from every mode.
    samples = np.array(
        [RING[0], RING[0] + [0.0, 0.02], RING[3], RING[5] - [0.015, 0.0], [0.0, 0.0], [5.0, 5.0]]
    )
    modes, hq, rkl = mode_coverage(samples, RING, STD)
    assert modes == 3
    assert hq == pytest.approx(4 / 6)
    # p = (1/2, 1/4, 1/4) against uniform 1/8: 0.5 log 4 + 2 * 0.25 log 2 = 1.5 log 2.
    assert rkl == pytest.approx(1.5 * math.log(2))


def test_three_std_threshold_is_strict_and_uses_nearest_centre():
    inside = RING[2] + [2.9 * STD, 0.0]
    outside = RING[2] + [0.0, 3.1 * STD]
    result = mode_coverage(np.array([inside, outside]), RING, STD)
    assert result.modes == 1
    assert result.high_quality_fraction == pytest.approx(0.5)
    # Exactly 3 std away is not "within" (strict <, as in the authors' evaluation code).
    on_edge = mode_coverage(np.array([[3.0 * STD, 0.0]]), np.zeros((1, 2)), STD)
    assert on_edge.modes == 0 and math.isnan(on_edge.reverse_kl)
    # A point between two modes belongs to the closer one only.
    centers = np.array([[0.0, 0.0], [1.0, 0.0]])
    near_second = mode_coverage(np.array([[0.99, 0.0]]), centers, 0.1)
    assert near_second.modes == 1 and near_second.high_quality_fraction == 1.0


def test_balanced_and_collapsed_generators():
    balanced = np.repeat(RING, 5, axis=0)
    assert tuple(mode_coverage(balanced, RING, STD)) == (8, 1.0, pytest.approx(0.0))
    collapsed = np.repeat(RING[:1], 40, axis=0)
    modes, hq, rkl = mode_coverage(collapsed, RING, STD)
    assert (modes, hq) == (1, 1.0)
    assert rkl == pytest.approx(math.log(8))


def test_matches_direct_loop_on_random_mixture_samples():
    rng = np.random.default_rng(0)
    grid = np.stack(np.meshgrid(np.arange(-4, 5, 2), np.arange(-4, 5, 2)), -1).reshape(-1, 2)
    std = 0.05
    picks = rng.choice(20, size=2500)  # only 20 of the 25 modes are used
    samples = grid[picks] + rng.normal(scale=2.0 * std, size=(2500, 2))
    counts = np.zeros(25)
    high = 0
    for x in samples:
        dists = [math.dist(x, c) for c in grid]
        j = int(np.argmin(dists))
        if dists[j] < 3 * std:
            counts[j] += 1
            high += 1
    p = counts / counts.sum()
    expected_kl = sum(pk * math.log(pk * 25) for pk in p if pk > 0)
    modes, hq, rkl = mode_coverage(samples, grid, std)
    assert modes == int((counts > 0).sum()) == 20
    assert hq == pytest.approx(high / 2500)
    assert rkl == pytest.approx(expected_kl, rel=1e-12)


@pytest.mark.parametrize(
    "samples, centers, std, match",
    [
        (np.zeros((0, 2)), RING, STD, "`samples` must be a non-empty array"),
        (np.zeros(4), RING, STD, "`samples` must be a non-empty array"),
        (np.zeros((4, 3)), RING, STD, r"`centers` must have shape \[K, 3\]"),
        (np.zeros((4, 2)), RING, 0.0, "`std` must be a positive number"),
    ],
)
def test_bad_input(samples, centers, std, match):
    with pytest.raises(ValueError, match=match):
        mode_coverage(samples, centers, std)
