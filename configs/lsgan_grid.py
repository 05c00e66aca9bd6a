"""LSGAN (Mao et al. 2017, codes 0-1-1) with MLP nets on PacGAN's 5x5 grid of Gaussians.

    python train.py --config=configs/lsgan_grid.py --workdir=/tmp/lsgan_grid

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

from configs import lsgan_ring


def get_config():
    config = lsgan_ring.get_config()
    # Data: 25 Gaussians on a 5x5 grid, spacing 2, std 0.05 (PacGAN).
    del config.data["n_modes"], config.data["radius"]
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    return config
