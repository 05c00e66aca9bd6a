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
    # The grid needs a 2-d code and large batches to keep its 25 modes (z 16-d, batch 256: 13-19
    # modes after 5k-10k steps; z 2-d, batch 512: 21-24 modes from 5k steps on).
    config.model.latent_dim = 2
    config.train.batch_size = 512
    config.train.epochs = 120  # 50 steps per epoch -> 6k steps
    return config
