"""LSGAN (Mao et al. 2017, codes 0-1-1) with DCGAN nets on the embedded digits at 32x32.

    python train.py --config=configs/lsgan_digits.py --workdir=/tmp/lsgan_digits \
        --export_dir=/tmp/lsgan_digits/export

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

from configs import dcgan_digits


def get_config():
    config = dcgan_digits.get_config()
    config.scheme = "lsgan"
    del config.model["generator_loss"]  # GAN-only setting
    config.model.labels = "0-1-1"
    # Adam(2e-4, beta_1 0.5) and batch 64 as the paper's (and DCGAN's) image experiments.
    return config
