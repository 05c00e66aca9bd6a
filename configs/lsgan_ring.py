"""LSGAN (Mao et al. 2017, codes a-b-c = 0-1-1) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/lsgan_ring.py --workdir=/tmp/lsgan_ring

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
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
