"""Progressive GAN (Karras et al. 2018) on CelebA-HQ 1024x1024 with the paper's settings.

    tfds build celeb_a_hq/1024 --manual_dir=DIR   # once: CelebA-HQ needs a manual download
    python train.py --config=configs/pggan_celeba_hq.py --workdir=/tmp/pggan_celeba_hq

Not trainable on this project's 2-core CPU (weeks on 8 GPUs in the paper); a test builds it at
reduced feature maps and runs one step. configs/pggan_digits.py is the CPU-sized variant.
"""

import math

import ml_collections
from ml_collections import config_dict

from tfgan_kit.models.growth import GrowthSchedule


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "pggan"
    config.seed = 0

    # Data: CelebA-HQ from tensorflow-datasets, [-1, 1], fed at the final resolution (the step
    # box-downsamples it to the current one).
    config.data = ml_collections.ConfigDict()
    config.data.name = "tfds"
    config.data.tfds_name = "celeb_a_hq/1024"
    config.data.split = "train"
    config.data.image_size = 1024
    config.data.data_dir = config_dict.placeholder(str)  # None: tfds default

    # Nets (table 2): latent 512, nf(stage) = min(8192 / 2^stage, 512), minibatch stddev group 4.
    config.model = ml_collections.ConfigDict()
    config.model.latent_dim = 512
    config.model.fmap_base = 8192
    config.model.fmap_max = 512
    config.model.mbstd_group_size = 4
    # Loss (appendix A.1): WGAN-GP with lambda 10, target 1, drift 0.001; EMA of G, 0.999.
    config.model.loss = "wgan_gp"
    config.model.gradient_penalty_weight = 10.0
    config.model.drift_weight = 1e-3
    config.model.ema_decay = 0.999
    # Growth (section 3, appendix A.1): 800k images per fade-in and per stabilisation phase.
    config.model.stabilize_images = 800_000
    config.model.fade_images = 800_000
    # Minibatch 16 up to 128x128, then smaller to fit memory. The paper uses 14, 6, 3 at
    # 256, 512, 1024; these are rounded to multiples of the minibatch-stddev group of 4.
    config.model.batch_sizes = {"256": 12, "512": 8, "1024": 4}
    config.model.reset_optimizers = True  # official code: reset_opt_for_new_lod = True

    # Training: Adam(1e-3, beta_1 0, beta_2 0.99, eps 1e-8) for both nets (appendix A.1).
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 16  # data batch: the largest scheduled minibatch
    config.train.steps_per_epoch = 1000
    config.train.steps_per_execution = 1
    adam = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.0, "beta_2": 0.99, "epsilon": 1e-8}
    config.train.g_optimizer = dict(adam)
    config.train.d_optimizer = dict(adam)
    config.train.jit_compile = True
    config.train.sample_every_epochs = 10
    config.train.num_samples = 16
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    # Derived: grow to 1024x1024 (13.6M images), then train 3.2M more images there.
    config.train.epochs = epochs_for(config, final_images=4 * config.model.stabilize_images)
    return config


def epochs_for(config: ml_collections.ConfigDict, final_images: int) -> int:
    """Epochs of ``train.steps_per_epoch`` steps that finish growing, then show ``final_images``."""
    m = config.model
    schedule = GrowthSchedule(
        config.data.image_size, m.stabilize_images, m.fade_images,
        batch_sizes={int(k): v for k, v in dict(m.batch_sizes or {}).items()} or None,
    )
    last = schedule.num_levels - 1
    grown = schedule.fade_start(last) + m.fade_images if last > 0 else 0
    total = grown + final_images
    steps = schedule.steps_to_show(total, config.train.batch_size)
    return math.ceil(steps / config.train.steps_per_epoch)
