"""Latent-space interpolation (linear and spherical) and a PNG image-grid writer."""

from __future__ import annotations

import numpy as np

from tfgan_kit.errors import UserError
from tfgan_kit.images import image_grid, save_image_grid


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
        Goodfellow et al. "Generative Adversarial Nets", NeurIPS 2014, Fig. 3 (digits from
        linear interpolation in z); White. "Sampling Generative Networks", 2016, Sec. 2.1
        (slerp).
    """
    a = np.asarray(z0, dtype=np.float64)
    b = np.asarray(z1, dtype=np.float64)
    if a.shape != b.shape or a.ndim not in (1, 2):
        raise UserError(
            "`z0` and `z1` must have the same shape [latent_dim] or [batch, latent_dim]. "
            f"Received: {a.shape} and {b.shape}"
        )
    if steps < 2:
        raise UserError(f"`steps` must be at least 2. Received: steps={steps}")
    if method not in ("linear", "slerp"):
        raise UserError(f"`method` must be 'linear' or 'slerp'. Received: method={method!r}")
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


def save_interpolation_grid(images, path: str) -> np.ndarray:
    """Writes generated interpolations as one PNG: one row per interpolation, one column per step.

    Typical use: ``G(interpolate_latents(z0, z1, steps, "slerp"))`` reshaped to
    ``[rows, steps, H, W, C]``. The tiling is :func:`tfgan_kit.images.image_grid` (1-pixel
    black padding, [-1, 1] mapped to 0..255).

    Args:
        images: ``[rows, steps, H, W, C]`` images in [-1, 1], C in {1, 3}.
        path: output ``.png`` path; parent directories are created.

    Returns:
        The uint8 grid written to `path`, ``[rows*(H+1)+1, steps*(W+1)+1, C]``.

    Raises:
        ValueError: if `images` is not 5-D with 1 or 3 channels.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 5 or images.shape[-1] not in (1, 3):
        raise UserError(
            "`images` must have shape [rows, steps, height, width, 1 or 3]. "
            f"Received: shape={images.shape}"
        )
    tiles = images.reshape((-1,) + images.shape[2:])
    save_image_grid(tiles, path, columns=images.shape[1])
    return image_grid(tiles, columns=images.shape[1])


def write_interpolation_figure(
    generate,
    latent_dim: int,
    path: str,
    rows: int = 8,
    steps: int = 10,
    method: str = "linear",
    seed: int = 0,
) -> np.ndarray:
    """GAN-paper Fig. 3 style PNG: each row walks between two random z ~ N(0, I).

    Args:
        generate: ``z [n, latent_dim] -> images [n, H, W, C]`` in [-1, 1] (e.g. the function
            returned by `tfgan_kit.export.load_generator`).
        latent_dim: width of z.
        path: output ``.png`` path.
        rows: number of interpolations (rows). Defaults to `8`.
        steps: images per row, both ends included. Defaults to `10`.
        method: ``"linear"`` (the paper's figure) or ``"slerp"``. Defaults to ``"linear"``.
        seed: seed of the end points. Defaults to `0`.

    Returns:
        The uint8 grid written to `path`.
    """
    rng = np.random.default_rng(seed)
    z0 = rng.standard_normal((rows, latent_dim))
    z1 = rng.standard_normal((rows, latent_dim))
    path_z = interpolate_latents(z0, z1, steps, method)  # [rows, steps, latent_dim]
    images = np.asarray(generate(path_z.reshape(rows * steps, latent_dim)), dtype=np.float32)
    return save_interpolation_grid(images.reshape((rows, steps) + images.shape[1:]), path)
