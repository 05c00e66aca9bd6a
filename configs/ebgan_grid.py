"""EBGAN-PT (Zhao et al. 2017) with MLP nets on PacGAN's 5x5 grid of Gaussians.

    python train.py --config=configs/ebgan_grid.py --workdir=/tmp/ebgan_grid

The ring config (2-d code, pulling-away term, 2-d z, batch 512, 4k steps, the learning rate
decayed linearly to 0 over the second half, as configs/lsgan_grid.py) with margin 1.
MEASURED (seed 0, 2,500 samples, the run's per-epoch coverage log): 25/25 modes, 77.0% high
quality after 80 epochs (103 s on the idle 2-core machine). Every 5 epochs: 9/1%, 10/1%, 11/2%,
8/2%, 14/2%, 12/2%, 19/5%, 18/3% (decay starts), 20/15%, 25/24%, 23/41%, 25/50%, 24/60%, 25/75%,
25/72%, 25/77%: coverage comes late, close to the 70% bar. The slow test's own samples
(another z): 25/25, 79.0%, KL 0.066.
Check: pytest -q -s -m slow tests/models/test_loss_family_learning.py -k "ebgan-grid".
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
    config.train.epochs = 80  # 50 steps per epoch -> 4k steps
    config.train.decay_start_epoch = 40  # then linearly to 0
    return config
