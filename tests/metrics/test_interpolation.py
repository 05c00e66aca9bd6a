"""Latent interpolation (linear, slerp) and the PNG grid writer."""

import numpy as np
import pytest
from PIL import Image

from tfgan_kit.metrics import (
    interpolate_latents,
    save_interpolation_grid,
    write_interpolation_figure,
)


def test_linear_endpoints_and_midpoint():
    z0, z1 = np.array([0.0, 2.0]), np.array([4.0, -2.0])
    path = interpolate_latents(z0, z1, steps=5)
    assert path.shape == (5, 2) and path.dtype == np.float32
    assert np.allclose(path[0], z0) and np.allclose(path[-1], z1)
    assert np.allclose(path[2], [2.0, 0.0])


def test_slerp_follows_the_great_circle():
    z0, z1 = np.array([1.0, 0.0, 0.0]), np.array([0.0, 2.0, 0.0])  # 90 degrees apart
    path = interpolate_latents(z0, z1, steps=3, method="slerp")
    # Hand computation: t = 1/2, omega = pi/2: sin(pi/4) (z0 + z1) / sin(pi/2).
    assert np.allclose(path[1], np.sqrt(0.5) * np.array([1.0, 2.0, 0.0]), atol=1e-6)
    assert np.allclose(path[[0, -1]], [z0, z1], atol=1e-6)
    # Unit vectors keep unit norm all the way.
    u0, u1 = np.array([1.0, 0.0]), np.array([-0.6, 0.8])
    norms = np.linalg.norm(interpolate_latents(u0, u1, 9, method="slerp"), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-6)
    # Parallel vectors fall back to linear; batches are interpolated row by row.
    assert np.allclose(interpolate_latents(u0, 2 * u0, 3, method="slerp")[1], 1.5 * u0)
    batch = interpolate_latents(np.stack([z0, z1]), np.stack([z1, z0]), 4, method="slerp")
    assert batch.shape == (2, 4, 3) and np.allclose(batch[1, -1], z0, atol=1e-6)


def test_save_interpolation_grid_layout(tmp_path):
    images = np.full((2, 3, 4, 4, 1), -1.0, np.float32)
    images[1, 2] = 1.0  # last image of the second row is white
    path = tmp_path / "sub" / "grid.png"
    grid = save_interpolation_grid(images, str(path))
    assert grid.shape == (2 * 5 + 1, 3 * 5 + 1, 1)
    written = np.asarray(Image.open(path))
    assert written.shape == (11, 16)
    assert np.all(written[6:10, 11:15] == 255) and written[1:5, 1:5].max() == 0
    assert written[0].max() == 0  # padding


def test_bad_input(tmp_path):
    with pytest.raises(ValueError, match="`method` must be 'linear' or 'slerp'"):
        interpolate_latents(np.zeros(2), np.ones(2), 3, method="cubic")
    with pytest.raises(ValueError, match="`steps` must be at least 2"):
        interpolate_latents(np.zeros(2), np.ones(2), 1)
    with pytest.raises(ValueError, match=r"\[rows, steps, height, width, 1 or 3\]"):
        save_interpolation_grid(np.zeros((2, 4, 4, 2)), str(tmp_path / "x.png"))


def test_interpolation_figure_rows_walk_between_their_end_points(tmp_path):
    # A "generator" that paints z[0] as a constant image: columns must change linearly.
    def generate(z):
        return np.tanh(np.broadcast_to(z[:, :1, None, None], (len(z), 4, 4, 1)) * 0.1)

    grid = write_interpolation_figure(generate, 3, str(tmp_path / "walk.png"), rows=2, steps=5)
    assert grid.shape == (2 * 5 + 1, 5 * 5 + 1, 1)
    rng = np.random.default_rng(0)
    z0, z1 = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    expected = np.round((np.tanh(np.linspace(z0[1, 0], z1[1, 0], 5) * 0.1) + 1) * 127.5)
    assert np.allclose(grid[6, 1::5][:5, 0], expected, atol=1)
