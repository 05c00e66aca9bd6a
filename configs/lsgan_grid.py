"""LSGAN (Mao et al. 2017, codes 0-1-1) with MLP nets on PacGAN's 5x5 grid of Gaussians.

    python train.py --config=configs/lsgan_grid.py --workdir=/tmp/lsgan_grid

The ring config's nets and optimizers with a 2-d code, batch 512 and 4k steps, the learning rate
decayed linearly to 0 over the second half. MEASURED (seed 0, 2,500 samples, PacGAN protocol,
the run's per-epoch coverage log): 25/25 modes, 91.5% high quality, reverse KL 0.013 after 80
epochs (324 s on the 2-core machine under load ~6). Every 5 epochs: 16/2%, 19/2%, 20/4%, 17/3%,
17/3%, 21/14%, 22/22%, 19/19% (decay starts), 25/69%, 25/83%, 25/85%, 25/89%, 25/89%, 25/90%,
25/92%, 25/92%. Without the decay (120 epochs at the full rate) it kept 23-25 modes from epoch
50 on but its high-quality share swung between 30% and 93% from epoch to epoch (ending at 63%);
with z 16-d and batch 256 it held 13-19 modes after 5k-10k steps.
Check: pytest -q -s -m slow tests/models/test_loss_family_learning.py -k "lsgan and grid".
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
    config.model.latent_dim = 2
    config.train.batch_size = 512
    config.train.epochs = 80  # 50 steps per epoch -> 4k steps
    config.train.decay_start_epoch = 40  # then linearly to 0
    return config
