"""BEGAN (Berthelot et al. 2017) on the embedded digits at 32x32 with BEGAN's nets scaled down
(tfgan_kit.nets.autoencoder: began_decoder as the generator, began_autoencoder).

    python train.py --config=configs/began_digits.py --workdir=/tmp/began_digits \
        --export_dir=/tmp/began_digits/export

NOT MET (issue 11): no digits yet. MEASURED (seed 0, 898 samples; `nice python
benchmarks/digits_quality.py --schemes=began`'s scoring: FID on the digits classifier's features,
SWD x1e3, share of samples the 8x8 digits classifier is >= 90% sure of; the 2-core machine
shared with other jobs): these defaults (10 epochs, 1.1k steps) FID 534.0, SWD 170.9, 0%
(453 s); 40 epochs (4.5k steps) FID 466.7, 0% (1,350 s); 40 epochs at Adam 2e-4 FID 592.9, 0%.
The GAN's digits config: FID 15.21, 36.5%. The paper trains for far longer (its k_t moves by
lambda_k = 0.001 per unit of imbalance per step).
Under `auto` (3 Dec 2026): FID 562.2, 0% (145 s). Its samples at epoch 10 are one image, the
same for every z. k reached 0.007 in epoch 2, fell to 0 in epoch 4 and stayed below 3e-6 to
epoch 10, because the epoch means of L(G(z)) (0.094 down to 0.034) stayed above or near
gamma L(x) (0.047 down to 0.032). With k near 0 the discriminator is a plain auto-encoder of
the digits and the generator only lowers its reconstruction error, which one image does.
A faster k does not prevent it (3 Dec 2026, seed 0, 20 epochs = 2.2k steps, one core each,
under auto (mixed_bfloat16 here); FID / confident / mean per-pixel std over the 898 samples;
a /tmp script training through `train_and_evaluate` and scoring as the benchmark):
- lambda_k 0.02: FID 298.3, 0%, std 0.052; k ~1e-6 to 6e-5 (L(G) above gamma L(x) throughout);
- gamma 0.7 (the paper's Fig. 2 range): FID 330.9, 0%, std 0.038; k 0.0047;
- gamma 0.7, lambda_k 0.01: FID 740.1, 95.5% confident, std 0.034: one recognisable digit for
  every z. k rose to 0.022 in epoch 1, fell to 0 in epoch 2 (L(G) 0.178 against gamma L(x)
  0.089: the auto-encoder learns the digits faster than G follows), and G collapsed in those
  epochs; from epoch 4 k held the equilibrium (L(G) = 0.7 L(x)) at ~0.008 with G collapsed.
In every run the equilibrium of Eq. 4 is met by a collapsed generator; nothing in BEGAN's
losses asks for spread once k is near 0 early in training.
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "began"
    config.seed = 0

    # Data: 1,797 digits, bilinearly resized 8x8 -> 32x32, in [-1, 1].
    config.data = ml_collections.ConfigDict()
    config.data.name = "digits"
    config.data.image_size = 32

    # Model: BEGAN's nets (3x3 conv + ELU, 2 per resolution, 8x8 -> 32x32), n = 32 filters
    # (the paper: 64 or 128), h = N_z = 32 (the paper: 64).
    config.model = ml_collections.ConfigDict()
    config.model.nets = "began"
    config.model.latent_dim = 32
    config.model.embedding_dim = 32
    config.model.g_base_filters = 32
    config.model.d_base_filters = 32
    config.model.began_repeats = 2
    config.model.gamma = 0.5
    config.model.lambda_k = 0.001
    config.model.latent_prior = "uniform"

    # Training: Adam(1e-4, beta_1 0.5), batch 16 (Sec. 4.1 of the paper).
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 16
    config.train.epochs = 10
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 1
    # None: constant learning rates; N: linear decay to 0 over epochs N+1.. (Zhu et al. 2017).
    config.train.decay_start_epoch = config_dict.placeholder(int)
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-4, "beta_1": 0.5}
    config.train.jit_compile = False
    config.train.sample_every_epochs = 1
    config.train.num_samples = 64
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
