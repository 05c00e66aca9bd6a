"""LSGAN (Mao et al. 2017, codes a-b-c = 0-1-1) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/lsgan_ring.py --workdir=/tmp/lsgan_ring

The GAN ring settings (configs/gan_ring.py: 3x256 MLPs, z 16-d, Adam(1e-3, beta_1 0.5), batch
256, XLA) with the least-squares losses, 5k steps, both rates decayed linearly to 0 over the
second half (epochs 26-50). MEASURED 2026-12-03 (2,500 samples, PacGAN protocol, one core each,
87-204 s per run): seeds 0 / 1 / 2: 8 / 8 / 8 modes, 87.0 / 92.4 / 92.8% high quality, reverse
KL 0.39 / 0.14 / 0.02 (the slow test's own samples, seed 0: 8/8, 88.3%, KL 0.41). Without
the decay the run oscillates and ends wherever the last epoch left it: 8 / 8 / 5 modes, 85.6 /
58.7 / 6.1% (seed 0, every 5 epochs: 7/8%, 6/5%, 8/50%, 5/3%, 8/82%, 8/85%, 7/37%, 8/86%).
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
    config.train.decay_start_epoch = 25  # settle the oscillation: 8/8 modes on seeds 0-2
    return config
