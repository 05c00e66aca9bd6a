"""f-GAN (Nowozin et al. 2016) with MLP nets on PacGAN's grid of 25 Gaussians.

    python train.py --config=configs/fgan_grid.py --workdir=/tmp/fgan_grid
    python train.py --config=configs/fgan_grid.py --workdir=/tmp/fgan_grid_js \
        --config.model.divergence=jensen_shannon --config.model.method=single_step

``config.model.divergence``: kl, reverse_kl, pearson, neyman, squared_hellinger, jensen_shannon,
gan (Table 2); ``config.model.method``: alternating or single_step (Algorithm 1);
``config.model.generator_objective``: practical (Sec. 3.2) or saddle.

Batch 512 and 10k steps (the ring's 256 and 5k drop modes on the grid). MEASURED (seed 0, 2,500
samples; modes / high quality / reverse KL; times on the shared 2-core machine under load 4-8),
jensen_shannon, alternating, practical:

* batch 512, 10k steps (default): 21/25, 88.8%, 0.314 (377 s);
* batch 512, 5k steps: 20/25, 57.9%, 0.589; batch 256, 5k: 18/25, 58.9%; batch 256, 10k:
  15/25, 82.8%.
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
    config.data.num_examples = 51_200  # 100 batches of 512 per epoch

    # Model: fully connected nets, linear generator output (unbounded 2-D data); the
    # discriminator's logit is the variational function's raw output V.
    config.model = ml_collections.ConfigDict()
    config.model.nets = "mlp"
    config.model.latent_dim = 16
    config.model.g_hidden = (256, 256, 256)
    config.model.d_hidden = (256, 256, 256)
    config.model.output_activation = "linear"
    config.model.dropout = 0.0
    config.model.divergence = "jensen_shannon"
    config.model.method = "alternating"
    config.model.generator_objective = "practical"
    config.model.d_steps = 1  # alternating only; single_step takes one step of each

    # Training: Adam(1e-3, beta_1 0.5) as configs/gan_ring.py.
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 512
    config.train.epochs = 100  # 100 steps per epoch -> 10k steps
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 10  # same weights as 1, fewer calls (README, Performance)
    # None: constant learning rates; N: linear decay to 0 over epochs N+1.. (Zhu et al. 2017).
    config.train.decay_start_epoch = config_dict.placeholder(int)
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.5}
    config.train.jit_compile = True
    config.train.precision = "float32"  # not "auto": see README, Performance (2-D MLPs)
    config.train.sample_every_epochs = 10
    config.train.num_samples = 2500
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
