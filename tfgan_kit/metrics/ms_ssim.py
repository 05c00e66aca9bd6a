"""Multi-scale SSIM (Wang et al. 2003) and the MS-SSIM diversity score of generated images."""

from __future__ import annotations

import numpy as np

#: Exponents of the 5 scales (Wang, Simoncelli, Bovik 2003, Sec. 3.2).
SCALE_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
FILTER_SIZE = 11
FILTER_SIGMA = 1.5
K1 = 0.01
K2 = 0.03


def _gaussian_filter_valid(images: np.ndarray, size: int, sigma: float) -> np.ndarray:
    """Separable Gaussian filter over H and W of ``[N, H, W, C]``, 'valid' borders."""
    coords = np.arange(size) - (size - 1) / 2.0
    taps = np.exp(-(coords**2) / (2.0 * sigma**2))
    taps /= taps.sum()
    rows = np.lib.stride_tricks.sliding_window_view(images, size, axis=1) @ taps
    return np.lib.stride_tricks.sliding_window_view(rows, size, axis=2) @ taps


def _ssim_components(x, y, max_val):
    """Per-image, per-channel SSIM and contrast-structure term, each ``[N, C]``."""
    # The window shrinks with the image (PGGAN's choice), keeping the same relative width.
    size = min(FILTER_SIZE, x.shape[1], x.shape[2])
    sigma = FILTER_SIGMA * size / FILTER_SIZE
    c1, c2 = (K1 * max_val) ** 2, (K2 * max_val) ** 2
    mu_x = _gaussian_filter_valid(x, size, sigma)
    mu_y = _gaussian_filter_valid(y, size, sigma)
    var_x = _gaussian_filter_valid(x * x, size, sigma) - mu_x**2
    var_y = _gaussian_filter_valid(y * y, size, sigma) - mu_y**2
    cov_xy = _gaussian_filter_valid(x * y, size, sigma) - mu_x * mu_y
    luminance = (2.0 * mu_x * mu_y + c1) / (mu_x**2 + mu_y**2 + c1)
    contrast_structure = (2.0 * cov_xy + c2) / (var_x + var_y + c2)
    ssim = (luminance * contrast_structure).mean(axis=(1, 2))
    return ssim, contrast_structure.mean(axis=(1, 2))


def _downsample(images: np.ndarray) -> np.ndarray:
    """2x2 average pooling; odd sizes are first padded by mirroring the last row/column."""
    pad_h, pad_w = images.shape[1] % 2, images.shape[2] % 2
    if pad_h or pad_w:
        images = np.pad(images, ((0, 0), (0, pad_h), (0, pad_w), (0, 0)), mode="symmetric")
    return 0.25 * (
        images[:, ::2, ::2] + images[:, 1::2, ::2] + images[:, ::2, 1::2] + images[:, 1::2, 1::2]
    )


def ms_ssim(images_a, images_b, max_val: float = 2.0) -> np.ndarray:
    """Multi-scale SSIM of image pairs, one value per pair.

    5 scales with weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), an 11-pixel Gaussian window
    with sigma 1.5 ('valid' filtering), K1 = 0.01, K2 = 0.03 and 2x2 average downsampling:
    ``prod_{j<5} cs_j^w_j * ssim_5^w_5`` per channel, averaged over channels. Negative terms are
    clipped to 0 before the powers (as ``tf.image.ssim_multiscale`` does, which this equals on
    images of at least 176 pixels). For smaller images, where the window would not fit at the
    coarse scales, the window shrinks to the image size with sigma scaled alike
    (``sigma = 1.5 * size / 11``), as in PGGAN's MS-SSIM code.

    Args:
        images_a: images ``[N, H, W, C]``.
        images_b: images of the same shape.
        max_val: dynamic range of the pixel values. Defaults to `2.0`, for images in [-1, 1].

    Returns:
        float64 array ``[N]`` of MS-SSIM values in [0, 1]; 1 for identical images.

    Raises:
        ValueError: if the shapes differ or are not ``[N, H, W, C]``.

    Reference:
        Wang, Simoncelli, Bovik. "Multiscale structural similarity for image quality
        assessment", Asilomar 2003, Eq. 7.
    """
    x = np.asarray(images_a, dtype=np.float64)
    y = np.asarray(images_b, dtype=np.float64)
    if x.ndim != 4 or x.shape != y.shape:
        raise ValueError(
            "`images_a` and `images_b` must have the same shape [N, H, W, C]. "
            f"Received: {x.shape} and {y.shape}"
        )
    terms = []
    for scale in range(len(SCALE_WEIGHTS)):
        if scale > 0:
            x, y = _downsample(x), _downsample(y)
        ssim, contrast_structure = _ssim_components(x, y, max_val)
        terms.append(contrast_structure if scale < len(SCALE_WEIGHTS) - 1 else ssim)
    stacked = np.maximum(np.stack(terms, axis=-1), 0.0)  # [N, C, scales]
    return np.prod(stacked ** np.asarray(SCALE_WEIGHTS), axis=-1).mean(axis=-1)


def ms_ssim_diversity(images) -> float:
    """Mean MS-SSIM over consecutive pairs of generated images: lower means more diverse.

    Pairs ``(images[0], images[1]), (images[2], images[3]), ...`` (an odd last image is left
    out), so shuffle-free generator output gives independent pairs. As used by Odena et al.
    (AC-GAN, Sec. 4.2) and Karras et al. (PGGAN, Sec. 5) to detect mode collapse: a collapsed
    generator scores near 1, real datasets well below.

    Args:
        images: generated images ``[N, H, W, C]`` in [-1, 1], ``N >= 2``.

    Returns:
        The mean MS-SSIM (`ms_ssim` with ``max_val=2``) as a float.

    Raises:
        ValueError: with fewer than 2 images or a non-4-D array.

    Reference:
        Odena, Olah, Shlens. "Conditional Image Synthesis with Auxiliary Classifier GANs",
        ICML 2017, Sec. 4.2; Wang et al. 2003 (MS-SSIM).
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 4 or images.shape[0] < 2:
        raise ValueError(
            f"`images` must have shape [N, H, W, C] with N >= 2. Received: {images.shape}"
        )
    pairs = images.shape[0] // 2
    return float(np.mean(ms_ssim(images[0 : 2 * pairs : 2], images[1 : 2 * pairs : 2])))
