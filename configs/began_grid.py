"""BEGAN (Berthelot et al. 2017) with MLP nets on PacGAN's 5x5 grid of Gaussians.

    python train.py --config=configs/began_grid.py --workdir=/tmp/began_grid

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

import ml_collections

from configs import began_ring


def get_config() -> ml_collections.ConfigDict:
    config = began_ring.get_config()
    # Data: 5x5 grid, spacing 2, std 0.05 (PacGAN).
    config.data = ml_collections.ConfigDict()
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    config.data.num_examples = 25_600
    return config
