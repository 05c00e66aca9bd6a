"""MS-SSIM against an independent numpy reference of PGGAN's formula, and the diversity score."""

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal

from tfgan_kit.metrics import ms_ssim, ms_ssim_diversity

WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])


def _images(seed, n, height, channels, width=None):
    shape = (n, height, width or height, channels)
    noise = np.random.default_rng(seed).normal(size=shape)
    return np.tanh(scipy.ndimage.gaussian_filter(noise, sigma=(0, 2, 2, 0)) * 3)


def _gaussian_window(size, sigma):
    """2-D Gaussian on a grid centred on the window (like MATLAB's fspecial), summing to 1."""
    grid = np.arange(size) - (size - 1) / 2.0
    window = np.exp(-(grid[:, None] ** 2 + grid[None, :] ** 2) / (2.0 * sigma**2))
    return window / window.sum()


def _reference_ms_ssim(a, b, max_val):
    """MS-SSIM of one pair of ``[H, W, C]`` images, written from Wang et al. 2003 / PGGAN.

    Per scale: SSIM and cs maps per channel ('valid' 2-D Gaussian convolution), averaged over
    pixels and channels; clip at 0; ``prod_{j<5} cs_j^w_j * ssim_5^w_5``; 2x2 mean pooling
    between scales (an odd side repeats its last row/column first).
    """
    c1, c2 = (0.01 * max_val) ** 2, (0.03 * max_val) ** 2
    ssims, css = [], []
    for scale in range(5):
        height, width, channels = a.shape
        size = min(11, height, width)
        window = _gaussian_window(size, 1.5 * size / 11)
        ssim_maps, cs_maps = [], []
        for ch in range(channels):
            x, y = a[:, :, ch], b[:, :, ch]
            blur = lambda img: scipy.signal.convolve2d(img, window, mode="valid")  # noqa: E731
            mx, my = blur(x), blur(y)
            sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
            cs = (2 * sxy + c2) / (sxx + syy + c2)
            cs_maps.append(cs)
            ssim_maps.append((2 * mx * my + c1) / (mx * mx + my * my + c1) * cs)
        ssims.append(max(np.mean(ssim_maps), 0.0))
        css.append(max(np.mean(cs_maps), 0.0))
        if scale < 4:
            pad = ((0, height % 2), (0, width % 2), (0, 0))
            a, b = [np.pad(img, pad, mode="edge") for img in (a, b)]
            half_h, half_w = a.shape[0] // 2, a.shape[1] // 2
            a, b = [img.reshape(half_h, 2, half_w, 2, channels).mean(axis=(1, 3)) for img in (a, b)]
    return np.prod(np.array(css[:4]) ** WEIGHTS[:4]) * ssims[4] ** WEIGHTS[4]


def _reference(images_a, images_b):
    """Reference on [-1, 1] images, mapped to [0, 255] with max_val 255 as PGGAN evaluates."""
    pairs = zip((images_a + 1) * 127.5, (images_b + 1) * 127.5)
    return np.array([_reference_ms_ssim(a, b, max_val=255.0) for a, b in pairs])


@pytest.mark.parametrize(
    "height, width, channels",
    [(32, 32, 3), (32, 32, 1), (16, 16, 3), (16, 32, 1), (24, 24, 1)],
)
def test_matches_numpy_reference(height, width, channels):
    a = _images(0, 2, height, channels, width)
    b = 0.7 * a + 0.3 * _images(1, 2, height, channels, width)
    values = ms_ssim(a, b)
    assert values.shape == (2,)
    assert np.all((values > 0.2) & (values < 1))
    assert np.allclose(values, _reference(a, b), rtol=1e-10, atol=0)


def test_identical_pair_is_one():
    a = _images(2, 3, 32, 3)
    assert np.allclose(ms_ssim(a, a), 1.0, rtol=1e-12)


def test_constant_grey_pair_by_hand():
    # Flat images: every cs term is 1 and the coarsest SSIM is the luminance term alone.
    a, b = np.zeros((1, 32, 32, 1)), np.full((1, 32, 32, 1), 0.2)
    mu_a, mu_b, c1 = 127.5, 1.2 * 127.5, (0.01 * 255) ** 2
    luminance = (2 * mu_a * mu_b + c1) / (mu_a**2 + mu_b**2 + c1)
    expected = luminance**0.1333
    assert expected == pytest.approx(0.997799, abs=1e-6)
    assert ms_ssim(a, b)[0] == pytest.approx(expected, rel=1e-9)
    assert ms_ssim(b, a)[0] == pytest.approx(expected, rel=1e-9)
    assert np.allclose(_reference(a, b), expected, rtol=1e-9)


def test_range_and_offset_of_the_defect():
    # Before the fix, SSIM saw the [-1, 1] values themselves with max_val 2; the luminance term
    # is not shift-invariant, so the same grey pair scored 0.8156 instead of 0.8851, and a
    # brighter pair whose means have opposite signs was clipped to exactly 0.
    base, other = _images(0, 1, 32, 1), _images(1, 1, 32, 1)
    darker = (0.3 * base - 0.1, 0.3 * (0.7 * base + 0.3 * other))
    old = _reference_ms_ssim(darker[0][0], darker[1][0], max_val=2.0)
    assert old == pytest.approx(0.815642, abs=1e-6)
    assert ms_ssim(*darker)[0] == pytest.approx(0.885136, abs=1e-6)
    brighter = (0.2 * base + 0.1, 0.2 * (0.7 * base + 0.3 * other))
    assert _reference_ms_ssim(brighter[0][0], brighter[1][0], max_val=2.0) == 0.0
    assert ms_ssim(*brighter)[0] == pytest.approx(0.925154, abs=1e-6)


def test_images_smaller_than_the_window():
    # 8, 4, 2, 1, 1 pixels: the window shrinks, and the 1x1 scale is repeated to 2x2 to pool.
    a = _images(0, 4, 8, 1)
    b = 0.7 * a + 0.3 * _images(1, 4, 8, 1)
    values = ms_ssim(a, b)
    assert values.shape == (4,) and np.all((values > 0.5) & (values < 1))
    assert np.allclose(values, _reference(a, b), rtol=1e-10, atol=0)
    assert np.allclose(ms_ssim(a, a), 1.0)


def test_diversity_of_identical_vs_independent_images():
    collapsed = np.repeat(_images(0, 1, 16, 1), 20, axis=0)
    assert ms_ssim_diversity(collapsed) == pytest.approx(1.0)
    diverse = _images(1, 21, 16, 1)  # odd count: the last image is left out
    independent = ms_ssim_diversity(diverse)
    assert 0.0 <= independent < 0.5
    # Only pairs (0,1), (2,3), ... are compared.
    assert independent == pytest.approx(np.mean(_reference(diverse[0:20:2], diverse[1:20:2])))


def test_bad_input():
    with pytest.raises(ValueError, match="N >= 2"):
        ms_ssim_diversity(np.zeros((1, 8, 8, 1)))
    with pytest.raises(ValueError, match="must have the same shape"):
        ms_ssim(np.zeros((2, 8, 8, 1)), np.zeros((2, 8, 8, 3)))
