"""DCGAN (Radford et al. 2016) on the embedded scikit-learn digits at 32x32 — the default job.

    python train.py --config=configs/dcgan_digits.py --workdir=/tmp/dcgan --export_dir=/tmp/dcgan/export

Precision `auto` (mixed_bfloat16 on CPUs with avx512_bf16 / amx_bf16 and on GPUs of compute
capability >= 8.0, else float32; tfgan_kit/training/precision.py; the trainer's default since 3 Dec
2026, set here explicitly), chosen after its quality was re-measured under it: seed 0, 898 samples
against the real digits (`benchmarks/digits_quality.py --schemes=gan` with the precision set; 3 Dec
2026, one core each), FID (digits classifier) / SWD x1e3 / share of samples the digits classifier
is >= 90% sure of: auto (mixed_bfloat16) 14.25 / 21.69 / 36.4%; float32 15.61 / 19.73 / 36.2% (with
Keras' non-fused BatchNormalization, 2 Dec: 15.21 / 23.09 / 36.5%).
`--config.train.precision=float32` for bit-exact comparisons. The DCGAN step under it: `python
benchmarks/dcgan_step.py` (README).
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "gan"
    config.seed = 0

    # Data: 1,797 digits, bilinearly resized 8x8 -> 32x32, in [-1, 1].
    config.data = ml_collections.ConfigDict()
    config.data.name = "digits"
    config.data.image_size = 32

    # Model: DCGAN nets (Radford et al. 2016), z 100-d as in the paper.
    config.model = ml_collections.ConfigDict()
    config.model.nets = "dcgan"
    config.model.latent_dim = 100
    config.model.g_base_filters = 32
    config.model.d_base_filters = 32
    config.model.d_steps = 1
    config.model.generator_loss = "non_saturating"

    # Training: Adam(2e-4, beta_1 0.5), batch 64 (Section 4 of the paper).
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 64
    config.train.epochs = 25
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 1
    # None: constant learning rates; N: linear decay to 0 over epochs N+1.. (Zhu et al. 2017).
    config.train.decay_start_epoch = config_dict.placeholder(int)
    config.train.g_optimizer = {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    config.train.jit_compile = False  # XLA is slower on these conv nets (dcgan_step.py)
    config.train.precision = "auto"
    config.train.sample_every_epochs = 1
    config.train.num_samples = 64
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
