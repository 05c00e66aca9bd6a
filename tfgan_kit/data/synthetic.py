"""2-D Gaussian mixtures of the mode-collapse benchmarks (VEEGAN, PacGAN).

* ring: ``n_modes`` Gaussians with centres on a circle, angles ``2*pi*i/n_modes`` for
  ``i = 0..n_modes-1`` (``linspace(0, 2*pi, n_modes)`` would repeat the first mode at 2*pi);
* grid: ``side x side`` Gaussians on a square lattice centred at the origin; with the defaults the
  centres are {-4, -2, 0, 2, 4}^2.

Defaults follow PacGAN's experiments (ring: 8 modes, radius 1, std 0.01; grid: 25 modes, spacing 2,
std 0.05).

Reference:
    Srivastava et al., "VEEGAN", NeurIPS 2017, Section 5.1; Lin et al., "PacGAN", NeurIPS 2018,
    Section 5 (https://arxiv.org/abs/1712.04086).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgan_kit.data.pipeline import batch_examples
from tfgan_kit.data.spec import DataSpec
from tfgan_kit.errors import UserError
from tfgan_kit.registry import register_dataset


def ring_centers(n_modes: int = 8, radius: float = 1.0) -> np.ndarray:
    """Centres ``[n_modes, 2]`` of the ring mixture at angles ``2*pi*i/n_modes``."""
    if not isinstance(n_modes, int) or n_modes < 1:
        raise UserError(f"`n_modes` must be a positive integer. Received: {n_modes!r}")
    angles = 2.0 * np.pi * np.arange(n_modes) / n_modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def grid_centers(side: int = 5, spacing: float = 2.0) -> np.ndarray:
    """Centres ``[side**2, 2]`` of the grid mixture, centred at the origin."""
    if not isinstance(side, int) or side < 1:
        raise UserError(f"`side` must be a positive integer. Received: {side!r}")
    coords = (np.arange(side) - (side - 1) / 2.0) * spacing
    xx, yy = np.meshgrid(coords, coords, indexing="ij")
    return np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)


def mixture_samples(centers: np.ndarray, std: float, num: int, seed: int = 0) -> np.ndarray:
    """``num`` samples ``[num, 2]`` of the equal-weight mixture of N(centre, std^2 I)."""
    if std < 0:
        raise UserError(f"`std` must be non-negative. Received: std={std}")
    rng = np.random.default_rng(seed)
    modes = rng.integers(0, len(centers), size=num)
    return (centers[modes] + std * rng.standard_normal((num, 2))).astype(np.float32)


def _mixture_examples(centers, std, num_examples, seed) -> tf.data.Dataset:
    return tf.data.Dataset.from_tensor_slices(mixture_samples(centers, std, num_examples, seed))


def _mixture_dataset(centers, std, batch_size, num_examples, seed, epochs, start_epoch,
                     steps_per_epoch) -> tf.data.Dataset:
    return batch_examples(_mixture_examples(centers, std, num_examples, seed), batch_size,
                          seed=seed, epochs=epochs, start_epoch=start_epoch,
                          steps_per_epoch=steps_per_epoch)


def gaussian_ring(
    batch_size: int = 256,
    n_modes: int = 8,
    radius: float = 1.0,
    std: float = 0.01,
    num_examples: int = 25_600,
    seed: int = 0,
    epochs: int | None = None,
    start_epoch: int = 0,
    steps_per_epoch: int | None = None,
) -> tf.data.Dataset:
    """Batched samples ``[b, 2]`` of the ring of Gaussians (PacGAN defaults).

    Args:
        batch_size: batch size. Defaults to `256`.
        n_modes: number of Gaussians. Defaults to `8`.
        radius: radius of the ring. Defaults to `1.0`.
        std: standard deviation of each Gaussian. Defaults to `0.01`.
        num_examples: size of the fixed training sample. Defaults to `25600`.
        seed: seed of the sample and of the shuffle. Defaults to `0`.
        epochs, start_epoch, steps_per_epoch: see :func:`tfgan_kit.data.pipeline.batch_examples`.

    The centres are ``ring_centers(n_modes, radius)``.
    """
    return _mixture_dataset(ring_centers(n_modes, radius), std, batch_size, num_examples, seed,
                            epochs, start_epoch, steps_per_epoch)


def gaussian_grid(
    batch_size: int = 256,
    side: int = 5,
    spacing: float = 2.0,
    std: float = 0.05,
    num_examples: int = 25_600,
    seed: int = 0,
    epochs: int | None = None,
    start_epoch: int = 0,
    steps_per_epoch: int | None = None,
) -> tf.data.Dataset:
    """Batched samples ``[b, 2]`` of the grid of Gaussians (PacGAN defaults: 5x5, std 0.05).

    The centres are ``grid_centers(side, spacing)``; other arguments as :func:`gaussian_ring`.
    """
    return _mixture_dataset(grid_centers(side, spacing), std, batch_size, num_examples, seed,
                            epochs, start_epoch, steps_per_epoch)


def _mixture_spec(centers, std, config, batch_size, stream) -> DataSpec:
    examples = _mixture_examples(centers, std, config.data.num_examples, config.seed)
    return DataSpec(
        dataset=batch_examples(examples, batch_size, seed=config.seed, **stream),
        kind="image", sample_shape=(2,), num_examples=config.data.num_examples,
        reference_points=centers, examples=examples,
        reference_std=float(std) if std > 0 else None,  # std 0: no high-quality radius
    )


@register_dataset("gaussian_ring")
def gaussian_ring_spec(config, batch_size: int, **stream) -> DataSpec:
    """PacGAN's ring (``data.n_modes``, ``radius``, ``std``, ``num_examples``); centres as
    reference points, ``std`` as their ``reference_std``."""
    d = config.data
    return _mixture_spec(ring_centers(d.n_modes, d.radius), d.std, config, batch_size, stream)


@register_dataset("gaussian_grid")
def gaussian_grid_spec(config, batch_size: int, **stream) -> DataSpec:
    """PacGAN's grid (``data.side``, ``spacing``, ``std``, ``num_examples``); centres as
    reference points, ``std`` as their ``reference_std``."""
    d = config.data
    return _mixture_spec(grid_centers(d.side, d.spacing), d.std, config, batch_size, stream)
