"""WGAN-GP (Gulrajani et al. 2017) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/wgan_gp_ring.py --workdir=/tmp/wgan_gp_ring

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

from configs import gan_ring


def get_config():
    config = gan_ring.get_config()
    config.scheme = "wgan_gp"
    del config.model["generator_loss"]  # GAN-only setting
    # Algorithm 1's defaults: lambda = 10, n_critic = 5, Adam(1e-4, beta_1 0, beta_2 0.9).
    config.model.d_steps = 5
    config.model.gradient_penalty_weight = 10.0
    config.model.one_sided = False
    config.train.batch_size = 5 * 64  # n_critic minibatches of m = 64 per generator step
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.0,
                                "beta_2": 0.9}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.0,
                                "beta_2": 0.9}
    config.train.epochs = 100  # 80 steps per epoch -> 8k generator steps
    return config
