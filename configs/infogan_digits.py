"""InfoGAN (Chen et al. 2016) with the paper's MNIST nets on the 8x8 embedded digits.

    python train.py --config=configs/infogan_digits.py --workdir=/tmp/infogan_digits \
        --export_dir=/tmp/infogan_digits/export

The picture has one row per value of the 10-way categorical code, one column per fixed z.

Measured on this 2-core machine (shared, loaded): 25 epochs = 700 steps at batch 64 in 94 s;
on 2,000 fresh samples the categorical code's L_I is 2.277 nats, 98.9% of H(c) = ln 10 = 2.303
(Q reads the code back almost exactly), and changing only the categorical code (z and the
continuous codes fixed) changes the class a real-digits classifier (held-out accuracy 0.989)
gives the sample in 97.5% of (z, c, c') pairs: the code has learned the digit identity without
labels, tests/models/test_infogan_learning.py. 20 epochs already gave L_I 2.273 and 96.1%.
Under the trainer's default precision `auto` (mixed_bfloat16 on this CPU), re-measured on 3 Dec
2026 with the second core busy: L_I 2.285 nats (99.2% of ln 10), the class follows the code
in 97.8% of pairs, 700 steps in 44 s.
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "infogan"
    config.seed = 0

    # Data: the 1,797 embedded digits at their native 8x8, in [-1, 1] (labels unused).
    config.data = ml_collections.ConfigDict()
    config.data.name = "digits"
    config.data.image_size = 8
    config.data.with_labels = False

    # Model: the paper's MNIST latent (Section 7.1): 62 noise dims, one 10-way categorical code,
    # two continuous codes ~ U[-1, 1]; lambda 1 categorical, 0.1 continuous; Q a fixed-std
    # factored Gaussian (the authors' MNIST setting). Nets: Appendix C.1, Table 1.
    config.model = ml_collections.ConfigDict()
    config.model.nets = "infogan"
    config.model.latent_dim = 62
    config.model.categorical_codes = (10,)
    config.model.continuous_codes = 2
    config.model.lambda_categorical = 1.0
    config.model.lambda_continuous = 0.1
    config.model.learn_std = False

    # Training: Adam, learning rate 2e-4 for D and 1e-3 for G, beta_1 0.5 (Appendix C).
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 64
    config.train.epochs = 25
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 1
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    config.train.jit_compile = False
    config.train.sample_every_epochs = 10
    config.train.num_samples = 100  # 10 rows (one per categorical value) of 10
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
