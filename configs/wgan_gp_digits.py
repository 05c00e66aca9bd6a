"""WGAN-GP (Gulrajani et al. 2017) with DCGAN nets on the embedded digits at 32x32.

    python train.py --config=configs/wgan_gp_digits.py --workdir=/tmp/wgan_gp_digits \
        --export_dir=/tmp/wgan_gp_digits/export

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

from configs import dcgan_digits


def get_config():
    config = dcgan_digits.get_config()
    config.scheme = "wgan_gp"
    del config.model["generator_loss"]  # GAN-only setting
    # Section 4: no critic batch normalization (layer normalization instead).
    config.model.d_normalization = "layer"
    # Algorithm 1's defaults: lambda = 10, n_critic = 5, Adam(1e-4, beta_1 0, beta_2 0.9), m = 64.
    config.model.d_steps = 5
    config.model.gradient_penalty_weight = 10.0
    config.model.one_sided = False
    config.train.batch_size = 5 * 64
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.0,
                                "beta_2": 0.9}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.0,
                                "beta_2": 0.9}
    return config
