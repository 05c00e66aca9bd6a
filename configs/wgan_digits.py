"""WGAN with weight clipping (Arjovsky et al. 2017) with DCGAN nets on the digits at 32x32.

    python train.py --config=configs/wgan_digits.py --workdir=/tmp/wgan_digits \
        --export_dir=/tmp/wgan_digits/export

Algorithm 1 (c = 0.01, n_critic = 5, m = 64, RMSProp) at 2e-4 rather than 5e-5, for 100 epochs
(5.6 generator steps per pass over the 1,797 digits, 560 in all). MEASURED (seed 0, 898
samples, `benchmarks/digits_quality.py`'s scoring: FID on the digits classifier's features,
SWD x1e3, share of samples the 8x8 digits classifier is >= 90% sure of): FID 23.18, SWD 37.39,
confident 25.2% (290 s on the 2-core machine shared with three other jobs); the GAN's digits
config: FID 15.21, SWD 23.09, 36.5%. At the paper's 5e-5 the digits were not formed yet: FID
181.4, 13.9% after 200 epochs (770 s), FID 644.6, 0% after 25.
"""

from configs import dcgan_digits


def get_config():
    config = dcgan_digits.get_config()
    config.scheme = "wgan"
    del config.model["generator_loss"]  # GAN-only setting
    # Algorithm 1: c = 0.01, n_critic = 5, RMSProp, m = 64; the paper's DCGAN
    # critic keeps its BatchNorm (every parameter is clipped).
    config.model.d_steps = 5
    config.model.clip_value = 0.01
    config.train.batch_size = 5 * 64
    config.train.g_optimizer = {"name": "rmsprop", "learning_rate": 2e-4}  # the paper: 5e-5
    config.train.d_optimizer = {"name": "rmsprop", "learning_rate": 2e-4}
    config.train.epochs = 100  # ~560 generator steps
    return config
