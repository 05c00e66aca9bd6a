"""EBGAN-PT (Zhao et al. 2017) with MLP nets on PacGAN's 5x5 grid of Gaussians.

    python train.py --config=configs/ebgan_grid.py --workdir=/tmp/ebgan_grid

The ring config (2-d code, pulling-away term, 2-d z, batch 512, the learning rate decayed
linearly to 0 over the second half, as configs/lsgan_grid.py) with margin 1, trained 8k steps:
half of that leaves the grid's samples spread (36-55% high quality on seeds 0-2).
Measured (2,500 samples, seeds 0 / 1 / 2): 20 / 25 / 25 of 25 modes, 87.2 / 86.5 / 89.0% high
quality. Check: pytest -q -s -m slow tests/models/test_loss_family_learning.py -k ebgan-grid.
"""

import ml_collections

from configs import ebgan_ring


def get_config() -> ml_collections.ConfigDict:
    config = ebgan_ring.get_config()
    # Data: 5x5 grid, spacing 2, std 0.05 (PacGAN).
    config.data = ml_collections.ConfigDict()
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    config.data.num_examples = 25_600
    config.model.margin = 1.0
    config.model.latent_dim = 2
    config.train.batch_size = 512
    config.train.epochs = 160  # 50 steps per epoch -> 8k steps (4k leave 36-55% high quality)
    config.train.decay_start_epoch = 80  # then linearly to 0
    return config
