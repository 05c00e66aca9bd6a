"""WGAN-GP (Gulrajani et al. 2017) with DCGAN nets on the embedded digits at 32x32.

    python train.py --config=configs/wgan_gp_digits.py --workdir=/tmp/wgan_gp_digits \
        --export_dir=/tmp/wgan_gp_digits/export

Algorithm 1's defaults for 120 epochs: 5 critic minibatches of 64 per generator step, so 5.6
generator steps per pass over the 1,797 digits, 670 in all. MEASURED (seed 0, 898 samples,
`nice python benchmarks/digits_quality.py --schemes=gan,wgan_gp`'s scoring: FID on the digits
classifier's features, SWD x1e3, share of samples the 8x8 digits classifier is >= 90% sure of):
FID 10.79, SWD 29.17, confident 38.8% (581 s on the 2-core machine shared with three other
jobs); the GAN's digits config: FID 15.21, SWD 23.09, 36.5%. With 25 epochs (140 generator
steps) the digits were not formed yet: FID 274.5, 6.8%.
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
    config.train.epochs = 120  # ~670 generator steps
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.0,
                                "beta_2": 0.9}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.0,
                                "beta_2": 0.9}
    return config
