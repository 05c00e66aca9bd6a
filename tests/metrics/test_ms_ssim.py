"""MS-SSIM against tf.image.ssim_multiscale, and the diversity score's behaviour."""

import numpy as np
import pytest
import scipy.ndimage
import tensorflow as tf

from tfgan_kit.metrics import ms_ssim_diversity
from tfgan_kit.metrics.ms_ssim import ms_ssim


def _images(seed, n, size, channels):
    noise = np.random.default_rng(seed).normal(size=(n, size, size, channels))
    return np.tanh(scipy.ndimage.gaussian_filter(noise, sigma=(0, 2, 2, 0)) * 3)


def test_matches_tensorflow_on_large_images():
    a = _images(0, 2, 176, 3)
    b = 0.7 * a + 0.3 * _images(1, 2, 176, 3)
    expected = tf.image.ssim_multiscale(
        tf.constant(a, tf.float64), tf.constant(b, tf.float64), max_val=2.0
    ).numpy()
    assert np.allclose(ms_ssim(a, b), expected, rtol=1e-6)
    assert np.allclose(ms_ssim(a, a), 1.0)


def test_diversity_of_identical_vs_independent_images():
    collapsed = np.repeat(_images(0, 1, 16, 1), 20, axis=0)
    assert ms_ssim_diversity(collapsed) == pytest.approx(1.0)
    diverse = _images(1, 21, 16, 1)  # odd count: the last image is left out
    independent = ms_ssim_diversity(diverse)
    assert 0.0 <= independent < 0.5
    # Only pairs (0,1), (2,3), ... are compared.
    expected = np.mean([ms_ssim(diverse[i : i + 1], diverse[i + 1 : i + 2])[0] for i in range(0, 20, 2)])
    assert independent == pytest.approx(expected)


def test_small_images_shrink_the_window():
    a = _images(0, 4, 8, 1)
    values = ms_ssim(a, a[::-1])
    assert values.shape == (4,) and np.all((values >= 0) & (values < 1))
    assert np.allclose(ms_ssim(a, a), 1.0)


def test_bad_input():
    with pytest.raises(ValueError, match="N >= 2"):
        ms_ssim_diversity(np.zeros((1, 8, 8, 1)))
    with pytest.raises(ValueError, match="must have the same shape"):
        ms_ssim(np.zeros((2, 8, 8, 1)), np.zeros((2, 8, 8, 3)))
