"""BEGAN (Berthelot et al. 2017) with MLP nets on PacGAN's ring of 8 Gaussians.

    python train.py --config=configs/began_ring.py --workdir=/tmp/began_ring

The paper's settings (gamma 0.5, lambda_k 0.001, k_0 = 0, Adam 1e-4, U[-1, 1] codes).
NOT MET (issue 11): this config does not cover the ring, and no setting tried does. BEGAN's
equilibrium E[L(G(z))] = gamma E[L(x)] (gamma <= 1) asks the generated points to be
reconstructed at least as well as the real ones, and nothing in its losses rewards spread (no
margin and no pulling-away term as in EBGAN): a generator that puts every sample where the
auto-encoder reconstructs best meets it. On 2-D points the auto-encoder reconstructs the data
almost perfectly, so that equilibrium is reached with G collapsed. MEASURED (seed 0, 2,500
samples, 5k steps unless said; modes / high quality):

* these defaults: one point, while k_t is still near 0 (lambda_k 0.001 moves k by ~1e-5 a
  step at these loss scales);
* lambda_k 0.05: 0/8 -- collapsed off the ring with k ~ 0.2, L(x) ~ 0.01, L(G) ~ 0.005, the
  equilibrium met;
* lambda_k 0.05, 1-d code (the auto-encoder can no longer copy the plane): 1/8, 27%;
* lambda_k 0.01, 1-d code, gamma 1: 0-1/8; lambda_k 0.01, 2-d code, gamma 1, Adam 1e-3: 0-1/8;
* lambda_k 0.05, 1-d code, 2-d z, Adam 1e-3 decayed to 0 over the second half, 6k steps: 1/8
  (100% of the samples on that one mode, k 0.14);
* k_0 = 1 instead of the paper's 0 (a one-off patch, 3 Dec 2026): 1/8, 23.1%, k back at 0 by
  the end (83 s). On digits the same start made the discriminator push L(G(z)) to 11 in the
  first epoch, k fell to 0 there and stayed (L(x) 0.25-0.38, five times its usual level).

Check (expected to fail, xfail): pytest -q -s -m slow tests/models/test_loss_family_learning.py
-k "began and ring".
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
    config.train.steps_per_execution = 10  # same weights as 1, fewer calls (README, Performance)
    # None: constant learning rates; N: linear decay to 0 over epochs N+1.. (Zhu et al. 2017).
    config.train.decay_start_epoch = config_dict.placeholder(int)
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.5}
    config.train.jit_compile = True
    config.train.precision = "float32"  # not "auto": see README, Performance (2-D MLPs)
    config.train.sample_every_epochs = 10
    config.train.num_samples = 2500
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
