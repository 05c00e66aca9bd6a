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

    # Nets: the paper's nf(stage) = min(fmap_base / 2^stage, fmap_max), CPU-sized: 32 maps.
    config.model.latent_dim = 32
    config.model.fmap_base = 512
    config.model.fmap_max = 32
    # Growth: 6k images per phase instead of 800k, one minibatch size throughout.
    config.model.stabilize_images = 6_000
    config.model.fade_images = 6_000
    config.model.batch_sizes = None
    # EMA half-life ~70 steps instead of ~700: phases here are only ~190 steps long.
    config.model.ema_decay = 0.99

    config.train.batch_size = 32
    config.train.steps_per_epoch = 50  # <= 56 full batches of 32 in the 1,797 digits
    config.train.sample_every_epochs = 10
    config.train.num_samples = 64
    # Not "auto": bfloat16 is slower for these small progressive nets (README, Performance:
    # 0.77x in benchmarks/precision_speed.py) and the slow checks' figures are float32.
    config.train.precision = "float32"
    # 300k images (~9.4k steps): 55.1% of samples classified with confidence > 0.9, SWD x1e3
    # 213 -> 11.6 (contract v2 draws; 56.5% before; 200k images: 46-49%).
    config.train.epochs = pggan_celeba_hq.epochs_for(config, final_images=300_000)
    return config
