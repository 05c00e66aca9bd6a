"""Sliced Wasserstein distance (PGGAN) against scipy and known behaviour."""

import numpy as np
import pytest
import scipy.ndimage
import scipy.stats

from tfgan_kit.metrics import sliced_wasserstein_distance
from tfgan_kit.metrics.sliced_wasserstein import (
    laplacian_pyramid,
    pyramid_down,
    pyramid_up,
    sliced_wasserstein,
)


def _textures(seed, n=48, size=32):
    """Random images with detail at every scale, in [-1, 1]."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(n, size, size, 3))
    coarse = scipy.ndimage.gaussian_filter(noise, sigma=(0, 3, 3, 0))
    images = 3 * coarse + 0.3 * noise
    return np.tanh(images)


def test_pyramid_down_is_the_binomial_filter_then_decimation():
    images = np.random.default_rng(0).normal(size=(2, 16, 16, 1))
    taps = np.array([1, 4, 6, 4, 1]) / 16.0
    kernel = np.outer(taps, taps)
    down = pyramid_down(images)
    assert down.shape == (2, 8, 8, 1)
    # Interior output pixel (3, 4) comes from input pixel (6, 8) and its 5x5 neighbourhood.
    expected = np.sum(images[1, 4:9, 6:11, 0] * kernel)
    assert down[1, 3, 4, 0] == pytest.approx(expected)
    assert pyramid_up(down).shape == (2, 16, 16, 1)


def test_laplacian_pyramid_reconstructs_its_input():
    images = _textures(0, n=3)
    levels = laplacian_pyramid(images, 2)
    assert [level.shape[1] for level in levels] == [32, 16]
    assert np.allclose(pyramid_up(levels[1]) + levels[0], images, atol=1e-12)


def test_projection_distance_equals_scipy_wasserstein_per_direction():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(300, 5)), rng.normal(loc=0.3, size=(300, 5))
    directions = rng.normal(size=(5, 4))
    expected = np.mean(
        [scipy.stats.wasserstein_distance(a @ v, b @ v) for v in directions.T]
    )
    assert sliced_wasserstein(a, b, directions) == pytest.approx(expected, rel=1e-12)


def test_same_set_is_near_zero_and_blur_hurts_the_finest_level():
    images = _textures(0)
    other = _textures(1)
    blurred = scipy.ndimage.gaussian_filter(images, sigma=(0, 1, 1, 0))
    same = sliced_wasserstein_distance(images, images)
    fresh = sliced_wasserstein_distance(images, other)
    blur = sliced_wasserstein_distance(images, blurred)
    assert set(same) == {"swd_x1e3_32", "swd_x1e3_16", "swd_x1e3_avg"}
    # The same set differs only through which random patches were drawn.
    assert same["swd_x1e3_32"] < 0.3 * blur["swd_x1e3_32"]
    assert fresh["swd_x1e3_32"] < 0.5 * blur["swd_x1e3_32"]
    assert same["swd_x1e3_avg"] == pytest.approx(
        (same["swd_x1e3_32"] + same["swd_x1e3_16"]) / 2
    )
    assert sliced_wasserstein_distance(images, blurred, seed=0) == blur
    assert sliced_wasserstein_distance(images, blurred, seed=1) != blur


def test_small_images_use_one_level():
    images = np.random.default_rng(0).uniform(-1, 1, size=(20, 8, 8, 1))
    assert set(sliced_wasserstein_distance(images, images)) == {"swd_x1e3_8", "swd_x1e3_avg"}


def test_bad_input():
    with pytest.raises(ValueError, match="must have the same shape"):
        sliced_wasserstein_distance(np.zeros((4, 16, 16, 1)), np.zeros((5, 16, 16, 1)))
    with pytest.raises(ValueError, match="H, W >= 7"):
        sliced_wasserstein_distance(np.zeros((4, 6, 6, 1)), np.zeros((4, 6, 6, 1)))
