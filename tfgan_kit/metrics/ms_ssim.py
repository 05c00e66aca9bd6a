"""Multi-scale SSIM (Wang et al. 2003) as PGGAN evaluates it, and the MS-SSIM diversity score."""

from __future__ import annotations

import numpy as np

from tfgan_kit.errors import UserError

#: Exponents of the 5 scales, finest first (Wang, Simoncelli, Bovik 2003, Sec. 3.2).
SCALE_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
FILTER_SIZE = 11
FILTER_SIGMA = 1.5
K1 = 0.01
K2 = 0.03
#: Dynamic range of the pixels SSIM sees: images in [-1, 1] are mapped to [0, 255] first.
MAX_VAL = 255.0


def _gaussian_filter_valid(images: np.ndarray, size: int, sigma: float) -> np.ndarray:
    """Separable Gaussian filter over H and W of ``[N, H, W, C]``, 'valid' borders."""
    coords = np.arange(size) - (size - 1) / 2.0
    taps = np.exp(-(coords**2) / (2.0 * sigma**2))
    taps /= taps.sum()
    rows = np.lib.stride_tricks.sliding_window_view(images, size, axis=1) @ taps
    return np.lib.stride_tricks.sliding_window_view(rows, size, axis=2) @ taps


def _ssim_and_contrast_structure(x: np.ndarray, y: np.ndarray):
    """Per-image SSIM and contrast-structure term, each ``[N]``, averaged over H, W and C."""
    # The window shrinks with the image, keeping its width relative to the window size.
    size = min(FILTER_SIZE, x.shape[1], x.shape[2])
    sigma = FILTER_SIGMA * size / FILTER_SIZE
    c1, c2 = (K1 * MAX_VAL) ** 2, (K2 * MAX_VAL) ** 2
    mu_x = _gaussian_filter_valid(x, size, sigma)
    mu_y = _gaussian_filter_valid(y, size, sigma)
    var_x = _gaussian_filter_valid(x * x, size, sigma) - mu_x**2
    var_y = _gaussian_filter_valid(y * y, size, sigma) - mu_y**2
    cov_xy = _gaussian_filter_valid(x * y, size, sigma) - mu_x * mu_y
    luminance = (2.0 * mu_x * mu_y + c1) / (mu_x**2 + mu_y**2 + c1)
    contrast_structure = (2.0 * cov_xy + c2) / (var_x + var_y + c2)
    ssim = (luminance * contrast_structure).mean(axis=(1, 2, 3))
    return ssim, contrast_structure.mean(axis=(1, 2, 3))


def _downsample(images: np.ndarray) -> np.ndarray:
    """2x2 average pooling; an odd height or width first repeats its last row or column."""
    pad_h, pad_w = images.shape[1] % 2, images.shape[2] % 2
    if pad_h or pad_w:
        images = np.pad(images, ((0, 0), (0, pad_h), (0, pad_w), (0, 0)), mode="edge")
    return 0.25 * (
        images[:, ::2, ::2] + images[:, 1::2, ::2] + images[:, ::2, 1::2] + images[:, 1::2, 1::2]
    )


def ms_ssim(images_a, images_b) -> np.ndarray:
    """Multi-scale SSIM of image pairs, one value per pair, computed as PGGAN evaluates it.

    The images are mapped from [-1, 1] to [0, 255] and compared with ``max_val = 255``
    (SSIM's luminance term is not shift-invariant, so the range matters). At 5 scales
    ``j = 1..5``, each a 2x2 average downsampling of the previous, an 11-pixel Gaussian window
    with sigma 1.5 ('valid' filtering), ``C1 = (0.01 * 255)^2`` and ``C2 = (0.03 * 255)^2``
    give the maps::

        l = (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1)
        cs = (2 sigma_ab + C2) / (sigma_a^2 + sigma_b^2 + C2)

    ``cs_j`` is the mean of ``cs`` over pixels and channels, ``ssim_5`` that of ``l * cs`` at
    the coarsest scale; both are clipped to >= 0, then::

        MS-SSIM = ssim_5^w_5 * prod_{j<5} cs_j^w_j,  w = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)

    Where an image is smaller than the window, the window shrinks to the image's height or
    width with sigma scaled alike (``sigma = 1.5 * size / 11``). This equals PGGAN's
    ``metrics/ms_ssim.py`` on images whose sides are multiples of 16 (its downsampling needs
    even sides); other sizes are also accepted: an odd side is downsampled after repeating its
    last row or column. Computed in float64 (PGGAN's code works in float32, which moves its
    values by up to about 1e-5).

    Args:
        images_a: images ``[N, H, W, C]`` in [-1, 1].
        images_b: images of the same shape, in [-1, 1].

    Returns:
        float64 array ``[N]`` of MS-SSIM values in [0, 1]; 1 for identical images.

    Raises:
        ValueError: if the shapes differ or are not ``[N, H, W, C]``.

    Reference:
        Wang, Simoncelli, Bovik. "Multiscale structural similarity for image quality
        assessment", Asilomar 2003, Eq. 7. Karras et al. "Progressive Growing of GANs for
        Improved Quality, Stability, and Variation", ICLR 2018, Sec. 5 and the official
        ``metrics/ms_ssim.py`` (github.com/tkarras/progressive_growing_of_gans).
    """
    x = np.asarray(images_a, dtype=np.float64)
    y = np.asarray(images_b, dtype=np.float64)
    if x.ndim != 4 or x.shape != y.shape:
        raise UserError(
            "`images_a` and `images_b` must have the same shape [N, H, W, C]. "
            f"Received: {x.shape} and {y.shape}"
        )
    x, y = (x + 1.0) * (MAX_VAL / 2.0), (y + 1.0) * (MAX_VAL / 2.0)
    terms = []
    for _ in SCALE_WEIGHTS[:-1]:
        terms.append(_ssim_and_contrast_structure(x, y)[1])
        x, y = _downsample(x), _downsample(y)
    terms.append(_ssim_and_contrast_structure(x, y)[0])
    stacked = np.maximum(np.stack(terms, axis=-1), 0.0)  # [N, scales]
    return np.prod(stacked ** np.asarray(SCALE_WEIGHTS), axis=-1)


def ms_ssim_diversity(images) -> float:
    """Mean MS-SSIM over consecutive pairs of generated images: lower means more diverse.

    Pairs ``(images[0], images[1]), (images[2], images[3]), ...`` (an odd last image is left
    out), as PGGAN's evaluation pairs them, so shuffle-free generator output gives independent
    pairs. Used by Odena et al. (AC-GAN, Sec. 4.2) and Karras et al. (PGGAN, Sec. 5) to detect
    mode collapse: a collapsed generator scores near 1, real datasets well below.

    Args:
        images: generated images ``[N, H, W, C]`` in [-1, 1], ``N >= 2``.

    Returns:
        The mean of `ms_ssim` over the pairs, as a float.

    Raises:
        ValueError: with fewer than 2 images or a non-4-D array.

    Reference:
        Odena, Olah, Shlens. "Conditional Image Synthesis with Auxiliary Classifier GANs",
        ICML 2017, Sec. 4.2; Karras et al. "Progressive Growing of GANs", ICLR 2018, Sec. 5;
        Wang et al. 2003 (MS-SSIM).
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 4 or images.shape[0] < 2:
        raise UserError(
            f"`images` must have shape [N, H, W, C] with N >= 2. Received: {images.shape}"
        )
    pairs = images.shape[0] // 2
    return float(np.mean(ms_ssim(images[0 : 2 * pairs : 2], images[1 : 2 * pairs : 2])))
