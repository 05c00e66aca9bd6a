"""Learning checks: f-GAN (Nowozin et al. 2016) covers PacGAN's ring and grid (slow)."""

import pytest
import tensorflow as tf

from configs import fgan_grid, fgan_ring
from tfgan_kit.data import grid_centers, ring_centers
from tfgan_kit.metrics import mode_coverage
from tfgan_kit.training import train_and_evaluate


def coverage(config, model):
    z = tf.random.stateless_normal([2500, config.model.latent_dim], seed=[123, 0])
    samples = model.generate(z).numpy()
    d = config.data
    centers = (ring_centers(d.n_modes, d.radius) if d.name == "gaussian_ring"
               else grid_centers(d.side, d.spacing))
    result = mode_coverage(samples, centers, d.std)
    print(f"{d.name} {config.model.divergence} {config.model.method}: "
          f"modes={result.modes}/{len(centers)} high_quality={result.high_quality_fraction:.3f} "
          f"reverse_kl={result.reverse_kl:.3f}")
    return result


@pytest.mark.slow
def test_fgan_covers_the_ring_of_8_gaussians(tmp_path):
    config = fgan_ring.get_config()  # default divergence and method (see its docstring)
    config.train.verbose = "0"
    modes, high_quality, _ = coverage(config, train_and_evaluate(config, str(tmp_path)))
    assert modes >= 6
    assert high_quality >= 0.70


@pytest.mark.slow
def test_fgan_covers_the_grid_of_25_gaussians(tmp_path):
    config = fgan_grid.get_config()
    config.train.verbose = "0"
    modes, high_quality, _ = coverage(config, train_and_evaluate(config, str(tmp_path)))
    assert modes >= 20
    assert high_quality >= 0.70


@pytest.mark.slow
def test_fgan_single_step_learns_the_ring(tmp_path):
    """Algorithm 1 (simultaneous updates from one backward pass) with the ring config otherwise
    unchanged. Measured at seed 0: 8/8 modes, 92.6% high quality, reverse KL 0.70 with the
    ring config's decayed rates (2026-12-03); 5/8, 91.2%, 0.49 at constant rates (simultaneous
    Adam steps at lr 1e-3 drop modes), so only learning is asserted: most samples high quality
    on at least half of the modes."""
    config = fgan_ring.get_config()
    config.model.method = "single_step"
    config.train.verbose = "0"
    modes, high_quality, _ = coverage(config, train_and_evaluate(config, str(tmp_path)))
    assert modes >= 4
    assert high_quality >= 0.50
