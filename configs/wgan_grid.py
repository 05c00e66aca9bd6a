"""WGAN with weight clipping (Arjovsky et al. 2017) with MLP nets on PacGAN's 5x5 grid.

    python train.py --config=configs/wgan_grid.py --workdir=/tmp/wgan_grid

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

from configs import wgan_ring


def get_config():
    config = wgan_ring.get_config()
    # Data: 25 Gaussians on a 5x5 grid, spacing 2, std 0.05 (PacGAN).
    del config.data["n_modes"], config.data["radius"]
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    return config
