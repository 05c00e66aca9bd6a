"""f-GAN (Nowozin et al. 2016) with MLP nets on PacGAN's grid of 25 Gaussians.

    python train.py --config=configs/fgan_grid.py --workdir=/tmp/fgan_grid
    python train.py --config=configs/fgan_grid.py --workdir=/tmp/fgan_grid_js \
        --config.model.divergence=jensen_shannon --config.model.method=single_step

``config.model.divergence``: kl, reverse_kl, pearson, neyman, squared_hellinger, jensen_shannon,
gan (Table 2); ``config.model.method``: alternating or single_step (Algorithm 1);
``config.model.generator_objective``: practical (Sec. 3.2) or saddle.

MEASURED: to be filled.
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "fgan"
    config.seed = 0

    # Data: 5x5 grid of Gaussians, spacing 2, std 0.05 (PacGAN).
    config.data = ml_collections.ConfigDict()
    config.data.name = "gaussian_grid"
    config.data.side = 5
    config.data.spacing = 2.0
    config.data.std = 0.05
    config.data.num_examples = 25_600

    # Model: fully connected nets, linear generator output (unbounded 2-D data); the
    # discriminator's logit is the variational function's raw output V.
    config.model = ml_collections.ConfigDict()
    config.model.nets = "mlp"
    config.model.latent_dim = 16
    config.model.g_hidden = (256, 256, 256)
    config.model.d_hidden = (256, 256, 256)
    config.model.output_activation = "linear"
    config.model.dropout = 0.0
    config.model.divergence = "kl"
    config.model.method = "alternating"
    config.model.generator_objective = "practical"
    config.model.d_steps = 1  # alternating only; single_step takes one step of each

    # Training: Adam(1e-3, beta_1 0.5) as configs/gan_ring.py.
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
