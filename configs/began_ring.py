"""BEGAN (Berthelot et al. 2017) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/began_ring.py --workdir=/tmp/began_ring

Not measured yet: this config's learning check is open in issue 11 (tuning in progress).
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "began"
    config.seed = 0

    # Data: ring of 8 Gaussians, radius 1, std 0.01 (PacGAN).
    config.data = ml_collections.ConfigDict()
    config.data.name = "gaussian_ring"
    config.data.n_modes = 8
    config.data.radius = 1.0
    config.data.std = 0.01
    config.data.num_examples = 25_600

    # Model: MLP generator (linear output) and MLP auto-encoder with ELUs (as BEGAN's nets) and a
    # linear embedding h of embedding_dim (tfgan_kit.nets.autoencoder.mlp_autoencoder).
    config.model = ml_collections.ConfigDict()
    config.model.nets = "mlp"
    config.model.latent_dim = 16
    config.model.g_hidden = (256, 256, 256)
    config.model.output_activation = "linear"
    config.model.d_hidden = (256, 256)
    config.model.embedding_dim = 16
    config.model.d_activation = "elu"
    config.model.gamma = 0.5
    config.model.lambda_k = 0.001
    config.model.latent_prior = "uniform"  # z ~ U[-1, 1] as in the paper

    # Training.
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 256
    config.train.epochs = 50  # 100 steps per epoch -> 5k steps
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 1
    # None: constant learning rates; N: linear decay to 0 over epochs N+1.. (Zhu et al. 2017).
    config.train.decay_start_epoch = config_dict.placeholder(int)
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.5}
    config.train.jit_compile = True
    config.train.sample_every_epochs = 10
    config.train.num_samples = 2500
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
