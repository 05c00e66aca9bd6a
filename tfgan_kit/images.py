"""Raw sample grids: images tiled into one array or PNG, one pixel per sample pixel.

Used by ``python -m tfgan_kit.sample``, the interpolation figures and the titled figures of
:mod:`tfgan_kit.figures`. A leaf module (numpy, PIL and the leaves files and errors).
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from tfgan_kit.errors import UserError
from tfgan_kit.files import write_atomically

__all__ = ["image_grid", "save_image_grid"]


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
        raise UserError(
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
    """Writes :func:`image_grid` of ``images`` as a PNG at ``path`` (one pixel per sample pixel,
    no title: the raw samples), atomically; returns ``path``."""
    grid = image_grid(images, columns)
    picture = Image.fromarray(grid[..., 0] if grid.shape[-1] == 1 else grid)
    return write_atomically(path, lambda temporary: picture.save(temporary, format="PNG"))
