"""GAN (Goodfellow et al. 2014, non-saturating) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/gan_ring.py --workdir=/tmp/gan_ring

Settings measured on this ring (std 0.01, "high quality" = within 3 std): 3x256 MLPs, z 16-d,
Adam(1e-3, beta_1 0.5), batch 256, XLA. 5k steps reach 8/8 modes with 88.4% high-quality samples
(reverse KL 0.14; tests/models/test_gan_learning.py); at lr 1e-4 no sample was high quality after
10k steps: the tight modes need the higher rate. This config's 10k steps (seed 0, one run each,
3 Dec 2026): float32 8/8 modes, 90.5% high quality, reverse KL 0.12 (4 min 18 s on a loaded
machine); with --config.train.precision=mixed_bfloat16 6/8 modes, 93.5%, reverse KL 0.90 (8/8 and
88.3% at 5k steps, reverse KL 1.2); seed 1: float32 8/8, 91.6%, KL 0.36, bfloat16 7/8, 91.0%, KL
0.50. With D's first layer in float32 (since 3 Dec), bfloat16 seed 0: 7/8, 93.2%, KL 0.51 (203 s).
Hence `precision = "float32"` below, for this config and the ring / grid configs built on it:
bfloat16 does not make these MLP steps faster (README, Performance). `steps_per_execution = 10`
trains the same weights as 1 (bit for bit, XLA included) with fewer calls.
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "gan"
    config.seed = 0

    # Data: ring of 8 Gaussians, radius 1, std 0.01 (PacGAN).
    config.data = ml_collections.ConfigDict()
    config.data.name = "gaussian_ring"
    config.data.n_modes = 8
    config.data.radius = 1.0
    config.data.std = 0.01
    config.data.num_examples = 25_600

    # Model: fully connected nets, linear generator output (unbounded 2-D data).
    config.model = ml_collections.ConfigDict()
    config.model.nets = "mlp"
    config.model.latent_dim = 16
    config.model.g_hidden = (256, 256, 256)
    config.model.d_hidden = (256, 256, 256)
    config.model.output_activation = "linear"
    config.model.dropout = 0.0
    config.model.d_steps = 1
    config.model.generator_loss = "non_saturating"

    # Training.
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 256
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
