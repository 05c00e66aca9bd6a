"""PNG writers for samples: image grids and 2-D scatter plots (no plotting library needed)."""

from __future__ import annotations

import math
import os

import numpy as np
from PIL import Image, ImageDraw


def image_grid(images: np.ndarray, columns: int | None = None, padding: int = 1) -> np.ndarray:
    """Tiles images ``[n, h, w, c]`` in [-1, 1] into one uint8 grid ``[H, W, c]`` (c = 1 or 3).

    Args:
        images: float images in [-1, 1] (values outside are clipped).
        columns: images per row; ``None`` makes the grid as square as possible.
        padding: pixels of black between images. Defaults to `1`.

    Raises:
        ValueError: if ``images`` is not a non-empty rank-4 array with 1 or 3 channels.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[0] == 0 or images.shape[-1] not in (1, 3):
        raise ValueError(
            "`images` must have shape [n, height, width, 1 or 3] with n > 0. "
            f"Received: shape={images.shape}"
        )
    n, h, w, c = images.shape
    columns = columns or int(math.ceil(math.sqrt(n)))
    rows = int(math.ceil(n / columns))
    pixels = np.round((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)
    grid = np.zeros((rows * (h + padding) + padding, columns * (w + padding) + padding, c),
                    np.uint8)
    for i in range(n):
        r, col = divmod(i, columns)
        top, left = padding + r * (h + padding), padding + col * (w + padding)
        grid[top : top + h, left : left + w] = pixels[i]
    return grid


def save_image_grid(images: np.ndarray, path: str, columns: int | None = None) -> str:
    """Writes :func:`image_grid` of ``images`` as a PNG at ``path``; returns ``path``."""
    grid = image_grid(images, columns)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    Image.fromarray(grid[..., 0] if grid.shape[-1] == 1 else grid).save(path)
    return path


def save_scatter(
    points: np.ndarray,
    path: str,
    reference: np.ndarray | None = None,
    size: int = 512,
) -> str:
    """Writes a scatter plot PNG of 2-D ``points`` (blue) over optional ``reference`` (red).

    The view is the bounding box of both sets, with a 10% margin.

    Raises:
        ValueError: if ``points`` is not ``[n, 2]``.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"`points` must have shape [n, 2]. Received: shape={points.shape}")
    every = points if reference is None else np.concatenate([points, np.asarray(reference)])
    finite = every[np.all(np.isfinite(every), axis=1)]
    low, high = (finite.min(0), finite.max(0)) if len(finite) else (np.zeros(2), np.ones(2))
    span = np.maximum(high - low, 1e-6)
    low, high = low - 0.1 * span, high + 0.1 * span
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)

    def to_pixels(p):
        xy = (p - low) / (high - low) * (size - 1)
        return xy[:, 0], (size - 1) - xy[:, 1]

    for array, colour, radius in ((points, (40, 80, 220), 1), (reference, (220, 40, 40), 4)):
        if array is None:
            continue
        xs, ys = to_pixels(np.asarray(array, dtype=np.float64))
        for x, y in zip(xs, ys):
            if np.isfinite(x) and np.isfinite(y):
                draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=colour)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    image.save(path)
    return path


def render(picture, path: str) -> np.ndarray | None:
    """Writes a scheme's :class:`tfgan_kit.models.Picture` as a PNG at ``path``.

    Images become a grid of ``picture.columns`` per row; points a scatter plot over
    ``picture.reference``.

    Returns:
        The images drawn (``[n, h, w, c]``, for TensorBoard), or ``None`` for a scatter plot.
    """
    if picture.points is not None:
        save_scatter(picture.points, path, reference=picture.reference)
        return None
    save_image_grid(picture.images, path, columns=picture.columns)
    return np.asarray(picture.images)
