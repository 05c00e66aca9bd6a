"""GAN (Goodfellow et al. 2014, non-saturating) with MLP nets on PacGAN's 5x5 grid of Gaussians.

    python train.py --config=configs/gan_grid.py --workdir=/tmp/gan_grid

The ring config's nets and optimizers (configs/gan_ring.py) on the grid (25 modes, spacing 2,
std 0.05; "high quality" = within 3 std). The baseline row of `benchmarks/mode_coverage.py`.
"""

from configs import gan_ring


def get_config():
    config = gan_ring.get_config()
    # Data: 25 Gaussians on a 5x5 grid, spacing 2, std 0.05 (PacGAN).
    del config.data["n_modes"], config.data["radius"]
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    return config
