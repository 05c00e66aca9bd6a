"""WGAN with weight clipping (Arjovsky et al. 2017) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/wgan_ring.py --workdir=/tmp/wgan_ring

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

from configs import gan_ring


def get_config():
    config = gan_ring.get_config()
    config.scheme = "wgan"
    del config.model["generator_loss"]  # GAN-only setting
    # Algorithm 1's defaults: c = 0.01, n_critic = 5, RMSProp(5e-5), m = 64.
    config.model.d_steps = 5
    config.model.clip_value = 0.01
    config.train.batch_size = 5 * 64  # n_critic minibatches of m = 64 per generator step
    config.train.g_optimizer = {"name": "rmsprop", "learning_rate": 5e-5}
    config.train.d_optimizer = {"name": "rmsprop", "learning_rate": 5e-5}
    config.train.epochs = 100  # 80 steps per epoch -> 8k generator steps
    return config
