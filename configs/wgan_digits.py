"""WGAN with weight clipping (Arjovsky et al. 2017) with DCGAN nets on the digits at 32x32.

    python train.py --config=configs/wgan_digits.py --workdir=/tmp/wgan_digits \
        --export_dir=/tmp/wgan_digits/export

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

from configs import dcgan_digits


def get_config():
    config = dcgan_digits.get_config()
    config.scheme = "wgan"
    del config.model["generator_loss"]  # GAN-only setting
    # Algorithm 1's defaults: c = 0.01, n_critic = 5, RMSProp(5e-5), m = 64; the paper's DCGAN
    # critic keeps its BatchNorm (every parameter is clipped).
    config.model.d_steps = 5
    config.model.clip_value = 0.01
    config.train.batch_size = 5 * 64
    config.train.g_optimizer = {"name": "rmsprop", "learning_rate": 5e-5}
    config.train.d_optimizer = {"name": "rmsprop", "learning_rate": 5e-5}
    return config
