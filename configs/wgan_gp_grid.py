"""WGAN-GP (Gulrajani et al. 2017) with MLP nets on PacGAN's 5x5 grid of Gaussians.

    python train.py --config=configs/wgan_gp_grid.py --workdir=/tmp/wgan_gp_grid

The ring config's settings (configs/wgan_gp_ring.py: the authors' toy lambda 0.1, critic
minibatch 256, Adam 1e-3 (0.5, 0.9) decayed to 0 over the second half, 6k generator steps).
MEASURED (seed 0, 2,500 samples, PacGAN protocol, the run's per-epoch coverage log): 25/25 modes,
85.4% high quality, reverse KL 0.006 after 60 epochs (216 s on the idle 2-core machine). Every 5
epochs: 19/2%, 18/3%, 24/8%, 22/9%, 24/13%, 25/23% (decay starts), 25/21%, 25/32%, 25/51%,
25/72%, 25/80%, 25/85%.
The slow test's own samples (another z): 25/25, 86.2%, KL 0.010.
Check: pytest -q -s -m slow tests/models/test_loss_family_learning.py -k "wgan_gp-grid".
"""

from configs import wgan_gp_ring


def get_config():
    config = wgan_gp_ring.get_config()
    # Data: 25 Gaussians on a 5x5 grid, spacing 2, std 0.05 (PacGAN).
    del config.data["n_modes"], config.data["radius"]
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    return config
