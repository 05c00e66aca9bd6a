"""LSGAN (Mao et al. 2017, codes a-b-c = 0-1-1) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/lsgan_ring.py --workdir=/tmp/lsgan_ring

The GAN ring settings (configs/gan_ring.py: 3x256 MLPs, z 16-d, Adam(1e-3, beta_1 0.5), batch
256, XLA) with the least-squares losses, 5k steps. MEASURED (seed 0, 2,500 samples, PacGAN
protocol): 8/8 modes, 86% high quality after 50 epochs; coverage along the way (every 5 epochs)
7/8%, 6/5%, 8/50%, 5/3%, 8/82%, 8/85%, 7/37%, 8/86%: the run oscillates before it settles.
Check: pytest -q -s -m slow tests/models/test_loss_family_learning.py -k "lsgan and ring".
"""

from configs import gan_ring


def get_config():
    config = gan_ring.get_config()
    config.scheme = "lsgan"
    del config.model["generator_loss"]  # GAN-only setting
    config.model.labels = "0-1-1"  # (a, b, c) of Eq. 2; "-1-1-0" for Eq. 9
    config.model.d_steps = 1
    config.train.epochs = 50  # 100 steps per epoch -> 5k steps
    return config
