"""EBGAN-PT (Zhao et al. 2017) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/ebgan_ring.py --workdir=/tmp/ebgan_ring

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "ebgan"
    config.seed = 0

    # Data: ring of 8 Gaussians, radius 1, std 0.01 (PacGAN).
    config.data = ml_collections.ConfigDict()
    config.data.name = "gaussian_ring"
    config.data.n_modes = 8
    config.data.radius = 1.0
    config.data.std = 0.01
    config.data.num_examples = 25_600

    # Model: MLP generator (linear output) and MLP auto-encoder discriminator
    # (tfgan_kit.nets.autoencoder: encoder widths d_hidden, mirrored decoder, linear code).
    config.model = ml_collections.ConfigDict()
    config.model.nets = "mlp"
    config.model.latent_dim = 16
    config.model.g_hidden = (256, 256, 256)
    config.model.output_activation = "linear"
    config.model.d_hidden = (256, 256)
    config.model.embedding_dim = 32
    config.model.d_activation = "leaky_relu"
    config.model.margin = 0.5
    config.model.pulling_away = True
    config.model.pt_weight = 0.1  # lambda_PT of the paper

    # Training.
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 256
    config.train.epochs = 50  # 100 steps per epoch -> 5k steps
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 1
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.5}
    config.train.jit_compile = True
    config.train.sample_every_epochs = 10
    config.train.num_samples = 2500
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
