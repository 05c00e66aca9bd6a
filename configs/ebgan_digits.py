"""EBGAN-PT (Zhao et al. 2017) on the embedded digits at 32x32: DCGAN generator, EBGAN's
convolutional auto-encoder scaled down (tfgan_kit.nets.autoencoder.ebgan_conv_autoencoder).

    python train.py --config=configs/ebgan_digits.py --workdir=/tmp/ebgan_digits \
        --export_dir=/tmp/ebgan_digits/export

MEASURED with these defaults (seed 0, 898 samples; `nice python benchmarks/digits_quality.py`,
2026-12-03, the 2-core machine shared with three other jobs): FID 14.30 on the digits
classifier's features, SWD x1e3 19.51, 37.5% of the samples classified with >= 90% confidence
(328 s); the GAN's digits config: FID 15.21, SWD 23.09, 36.5%; held-out real digits: FID
0.83, SWD 8.35, 89%.
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "ebgan"
    config.seed = 0

    # Data: 1,797 digits, bilinearly resized 8x8 -> 32x32, in [-1, 1].
    config.data = ml_collections.ConfigDict()
    config.data.name = "digits"
    config.data.image_size = 32

    # Model: DCGAN generator; EBGAN's conv auto-encoder (32)4c2s-(64)4c2s-(128)4c2s /
    # (64)4c2s-(32)4c2s-(1)4c2s, the paper's 64-128-256 halved for 32x32.
    config.model = ml_collections.ConfigDict()
    config.model.nets = "dcgan"
    config.model.latent_dim = 100
    config.model.g_base_filters = 32
    config.model.d_base_filters = 32
    config.model.margin = 0.5
    config.model.pulling_away = True
    config.model.pt_weight = 0.1

    # Training: Adam(2e-4, beta_1 0.5), batch 64 (the DCGAN settings of configs/dcgan_digits.py).
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 64
    config.train.epochs = 25
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 1
    # None: constant learning rates; N: linear decay to 0 over epochs N+1.. (Zhu et al. 2017).
    config.train.decay_start_epoch = config_dict.placeholder(int)
    config.train.g_optimizer = {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    config.train.jit_compile = False
    config.train.sample_every_epochs = 1
    config.train.num_samples = 64
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
