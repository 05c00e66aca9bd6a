"""Latent-space interpolation (linear and spherical) and a PNG image-grid writer."""

from __future__ import annotations

import os

import numpy as np


def interpolate_latents(z0, z1, steps: int, method: str = "linear") -> np.ndarray:
    """Points from `z0` to `z1` (both ends included) for latent-walk figures.

    ``linear``: ``(1 - t) z0 + t z1``. ``slerp``: spherical interpolation along the great circle,
    ``sin((1 - t) w) / sin(w) z0 + sin(t w) / sin(w) z1`` with ``w`` the angle between ``z0``
    and ``z1`` (Shoemake 1985), which keeps the norm typical of a Gaussian prior sample instead
    of passing near the origin (White 2016); it falls back to linear when ``w`` is ~0. The
    ``t`` are ``linspace(0, 1, steps)``.

    Args:
        z0: start latent(s), ``[latent_dim]`` or ``[batch, latent_dim]``.
        z1: end latent(s), the same shape.
        steps: number of points, >= 2.
        method: ``"linear"`` or ``"slerp"``. Defaults to ``"linear"``.

    Returns:
        float32 array ``[steps, latent_dim]`` or ``[batch, steps, latent_dim]``.

    Raises:
        ValueError: on mismatched shapes, ``steps < 2`` or an unknown method.

    Reference:
        Radford, Metz, Chintala. "Unsupervised Representation Learning with Deep Convolutional
        GANs", ICLR 2016, Sec. 6.1 and Fig. 4 (latent walks); White. "Sampling Generative
        Networks", 2016, Sec. 2.1 (slerp).
    """
    a = np.asarray(z0, dtype=np.float64)
    b = np.asarray(z1, dtype=np.float64)
    if a.shape != b.shape or a.ndim not in (1, 2):
        raise ValueError(
            "`z0` and `z1` must have the same shape [latent_dim] or [batch, latent_dim]. "
            f"Received: {a.shape} and {b.shape}"
        )
    if steps < 2:
        raise ValueError(f"`steps` must be at least 2. Received: steps={steps}")
    if method not in ("linear", "slerp"):
        raise ValueError(f"`method` must be 'linear' or 'slerp'. Received: method={method!r}")
    t = np.linspace(0.0, 1.0, steps)[:, None]  # [steps, 1]
    a2, b2 = np.atleast_2d(a)[:, None, :], np.atleast_2d(b)[:, None, :]  # [batch, 1, dim]
    linear = (1.0 - t) * a2 + t * b2
    if method == "linear":
        result = linear
    else:
        cosine = np.sum(a2 * b2, axis=-1, keepdims=True) / (
            np.linalg.norm(a2, axis=-1, keepdims=True) * np.linalg.norm(b2, axis=-1, keepdims=True)
        )
        omega = np.arccos(np.clip(cosine, -1.0, 1.0))  # [batch, 1, 1]
        sin_omega = np.sin(omega)
        small = sin_omega < 1e-6
        safe = np.where(small, 1.0, sin_omega)
        spherical = (np.sin((1.0 - t) * omega) * a2 + np.sin(t * omega) * b2) / safe
        result = np.where(small, linear, spherical)
    result = result.astype(np.float32)
    return result[0] if a.ndim == 1 else result


def save_image_grid(images, path: str, columns: int | None = None, padding: int = 1) -> np.ndarray:
    """Writes images in [-1, 1] as one PNG grid, row-major, and returns the uint8 grid.

    Args:
        images: ``[N, H, W, C]`` with C in {1, 3}, or ``[rows, columns, H, W, C]`` (e.g. the
            `interpolate_latents` batch, one interpolation per row).
        path: output ``.png`` path; parent directories are created.
        columns: images per row for 4-D input. Defaults to ``ceil(sqrt(N))``.
        padding: pixels of black border between images. Defaults to `1`.

    Returns:
        The uint8 grid array written to `path` (``[rows*(H+p)+p, cols*(W+p)+p, C]``).

    Raises:
        ValueError: on a wrong rank or channel count.
    """
    from PIL import Image

    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 5:
        rows, columns = images.shape[:2]
        images = images.reshape((-1,) + images.shape[2:])
    elif images.ndim == 4:
        columns = columns or int(np.ceil(np.sqrt(len(images))))
        rows = int(np.ceil(len(images) / columns))
    else:
        raise ValueError(
            f"`images` must be [N, H, W, C] or [rows, cols, H, W, C]. Received: {images.shape}"
        )
    n, h, w, c = images.shape
    if c not in (1, 3):
        raise ValueError(f"`images` must have 1 or 3 channels. Received: shape={images.shape}")
    pixels = np.round((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)
    grid = np.zeros((rows * (h + padding) + padding, columns * (w + padding) + padding, c), np.uint8)
    for index in range(n):
        top = padding + (index // columns) * (h + padding)
        left = padding + (index % columns) * (w + padding)
        grid[top : top + h, left : left + w] = pixels[index]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    Image.fromarray(grid[..., 0] if c == 1 else grid).save(path)
    return grid
