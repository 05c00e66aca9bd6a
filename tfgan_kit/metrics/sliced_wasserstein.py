"""Sliced Wasserstein distance on Laplacian-pyramid patches (Karras et al. 2018, PGGAN)."""

from __future__ import annotations

import numpy as np
import scipy.ndimage

from tfgan_kit.errors import UserError

#: 5x5 binomial filter [1, 4, 6, 4, 1]^T [1, 4, 6, 4, 1] / 256 (as cv2.pyrDown).
_BINOMIAL = np.outer([1.0, 4.0, 6.0, 4.0, 1.0], [1.0, 4.0, 6.0, 4.0, 1.0]) / 256.0

NEIGHBOURHOOD_SIZE = 7
NEIGHBOURHOODS_PER_IMAGE = 128
DIRECTION_REPEATS = 4
DIRECTIONS_PER_REPEAT = 128
COARSEST_RESOLUTION = 16


def _blur(images: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    # NHWC: filter the two spatial axes only, mirrored borders as in the official code.
    return scipy.ndimage.convolve(images, kernel[None, :, :, None], mode="mirror")


def pyramid_down(images: np.ndarray) -> np.ndarray:
    """Blurs with the 5x5 binomial filter and keeps every second row and column."""
    return _blur(images, _BINOMIAL)[:, ::2, ::2, :]


def pyramid_up(images: np.ndarray) -> np.ndarray:
    """Doubles the size by zero insertion and blurs with 4x the binomial filter."""
    n, h, w, c = images.shape
    upsampled = np.zeros((n, 2 * h, 2 * w, c), images.dtype)
    upsampled[:, ::2, ::2, :] = images
    return _blur(upsampled, 4.0 * _BINOMIAL)


def laplacian_pyramid(images, num_levels: int) -> list[np.ndarray]:
    """Laplacian pyramid: band-pass levels from fine to coarse, then the low-pass residual.

    ``images == pyramid_up(level[i + 1] (reconstructed)) + level[i]`` at every level, so the
    pyramid reconstructs its input exactly.
    """
    pyramid = [np.asarray(images, dtype=np.float64)]
    for _ in range(1, num_levels):
        pyramid.append(pyramid_down(pyramid[-1]))
        pyramid[-2] = pyramid[-2] - pyramid_up(pyramid[-1])
    return pyramid


def _descriptors(level: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """128 random 7x7 patches per image, normalised per channel, as ``[n * 128, 7 * 7 * C]``."""
    n, h, w, c = level.shape
    size = NEIGHBOURHOOD_SIZE
    count = NEIGHBOURHOODS_PER_IMAGE
    image_index = np.repeat(np.arange(n), count)
    top = rng.integers(0, h - size + 1, size=n * count)
    left = rng.integers(0, w - size + 1, size=n * count)
    offsets = np.arange(size)
    rows = (top[:, None] + offsets[None, :])[:, :, None]
    cols = (left[:, None] + offsets[None, :])[:, None, :]
    patches = level[image_index[:, None, None], rows, cols, :]  # [n * count, 7, 7, C]
    patches = patches - patches.mean(axis=(0, 1, 2), keepdims=True)
    std = patches.std(axis=(0, 1, 2), keepdims=True)
    patches = patches / np.where(std > 0, std, 1.0)  # a constant channel stays 0
    return patches.reshape(len(patches), -1)


def sliced_wasserstein(descriptors_a, descriptors_b, directions) -> float:
    """Mean over directions of the 1-D Wasserstein-1 distance of the projected descriptors.

    For equal-size sets the 1-D W1 distance is the mean absolute difference of the sorted
    projections.
    """
    projected_a = np.sort(descriptors_a @ directions, axis=0)
    projected_b = np.sort(descriptors_b @ directions, axis=0)
    return float(np.mean(np.abs(projected_a - projected_b)))


def sliced_wasserstein_distance(images_a, images_b, seed: int = 0) -> dict[str, float]:
    """Sliced Wasserstein distance between two image sets, per pyramid level and averaged.

    PGGAN's multi-scale statistical similarity (Karras et al. 2018, Sec. 5 and Appendix D):
    a Laplacian pyramid (5x5 ``[1,4,6,4,1]`` filter) from the full resolution down to 16x16;
    from every level, 128 random 7x7 neighbourhoods per image, each channel normalised to zero
    mean and unit std over each set's descriptors; then 4 repeats of 128 random unit directions
    (seeded), the mean absolute difference of the sorted projections, averaged, reported
    x1e3 per level and averaged over levels. Images below 16x16 (e.g. 8x8 digits) use a
    single level at their own resolution. Lower is better: small at the finest level means
    matching local detail, at 16x16 matching large-scale structure.

    Args:
        images_a: first image set, ``[N, H, W, C]`` (any value range; the per-channel
            normalisation makes the distance scale-invariant), ``H, W >= 7``.
        images_b: second set, the same shape as `images_a`.
        seed: seed of the patch positions and the projection directions. Defaults to `0`.

    Returns:
        ``{"swd_x1e3_<res>": float for each level res (finest first), "swd_x1e3_avg": float}``.

    Raises:
        ValueError: if the image sets differ in shape or are not ``[N, H, W, C]`` with
            ``H, W >= 7``.

    Reference:
        Karras, Aila, Laine, Lehtinen. "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", ICLR 2018, Sec. 5; Rabin et al. 2011 (sliced Wasserstein).
    """
    a = np.asarray(images_a, dtype=np.float64)
    b = np.asarray(images_b, dtype=np.float64)
    if a.ndim != 4 or a.shape != b.shape or min(a.shape[1:3]) < NEIGHBOURHOOD_SIZE:
        raise UserError(
            "`images_a` and `images_b` must have the same shape [N, H, W, C] with H, W >= 7. "
            f"Received: {a.shape} and {b.shape}"
        )
    resolutions = []
    resolution = min(a.shape[1:3])
    while resolution >= COARSEST_RESOLUTION:
        resolutions.append(resolution)
        resolution //= 2
    resolutions = resolutions or [min(a.shape[1:3])]

    rng = np.random.default_rng(seed)
    levels_a = laplacian_pyramid(a, len(resolutions))
    levels_b = laplacian_pyramid(b, len(resolutions))
    result = {}
    for resolution, level_a, level_b in zip(resolutions, levels_a, levels_b):
        descriptors_a = _descriptors(level_a, rng)
        descriptors_b = _descriptors(level_b, rng)
        distances = []
        for _ in range(DIRECTION_REPEATS):
            directions = rng.normal(size=(descriptors_a.shape[1], DIRECTIONS_PER_REPEAT))
            directions /= np.linalg.norm(directions, axis=0, keepdims=True)
            distances.append(sliced_wasserstein(descriptors_a, descriptors_b, directions))
        result[f"swd_x1e3_{resolution}"] = 1e3 * float(np.mean(distances))
    result["swd_x1e3_avg"] = float(np.mean(list(result.values())))
    return result
