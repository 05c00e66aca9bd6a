"""WGAN with weight clipping (Arjovsky et al. 2017) with MLP nets on PacGAN's 5x5 grid.

    python train.py --config=configs/wgan_grid.py --workdir=/tmp/wgan_grid

The ring config's settings (configs/wgan_ring.py: c 0.1, n_critic 5, RMSProp 5e-4 decayed to 0
over the second half, 6k generator steps). NOT MET (issue 11): weight clipping covers most of
the grid's modes but leaves the samples smeared along lines between them and in clouds around
them, far beyond 3 std = 0.15; no setting tried reaches 70% high quality. The WGAN-GP paper
(Gulrajani et al. 2017, Sec. 3 and Fig. 1) shows this limit on the same 25 Gaussians: clipped
critics learn overly simple functions. MEASURED (seed 0, 2,500 samples; modes / high quality
at the end; the 2-core machine shared with three other trainings):

* these defaults: 18/25, 5.8% (194 s idle);
* c 0.3: 24/25, 12.1%; c 1.0: 23/25, 13.0% (745 s each);
* 120 epochs, decay from 60: 22/25, 12.5%; 120 epochs, decay from 30: 21/25, 12.2% (~820 s);
* critic 3 x 512: 19-20/25, 5% at epoch 47; n_critic 10: 19/25, 7%.

Check (expected to fail, xfail): pytest -q -s -m slow tests/models/test_loss_family_learning.py
-k "wgan-grid".
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
