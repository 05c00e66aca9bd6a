"""Progressive GAN on the embedded digits, growing 4x4 -> 8x8 -> 16x16 on a CPU (minutes).

    python train.py --config=configs/pggan_digits.py --workdir=/tmp/pggan_digits \
        --export_dir=/tmp/pggan_digits/export

Variant of configs/pggan_celeba_hq.py (the paper's settings): CPU-sized data, nets and phases.
"""

import ml_collections

from configs import pggan_celeba_hq


def get_config() -> ml_collections.ConfigDict:
    config = pggan_celeba_hq.get_config()

    # Data: the 1,797 scikit-learn digits, bilinearly resized to 16x16, in [-1, 1].
    config.data = ml_collections.ConfigDict()
    config.data.name = "digits"
    config.data.image_size = 16

    # Nets: nf(stage) = min(1024 / 2^stage, 64), latent 64 (the paper's rule, CPU-sized).
    config.model.latent_dim = 64
    config.model.fmap_base = 1024
    config.model.fmap_max = 64
    # Growth: 8k images per phase instead of 800k; one minibatch size throughout.
    config.model.stabilize_images = 8_000
    config.model.fade_images = 8_000
    config.model.batch_sizes = None

    config.train.batch_size = 32
    config.train.steps_per_epoch = 50
    config.train.sample_every_epochs = 5
    config.train.num_samples = 64
    config.train.epochs = pggan_celeba_hq.epochs_for(config, extra_phases=1)
    return config
