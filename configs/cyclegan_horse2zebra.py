"""CycleGAN (Zhu et al. 2017) with the paper's settings on horse2zebra (tfds cycle_gan).

    python train.py --config=configs/cyclegan_horse2zebra.py --workdir=/tmp/horse2zebra \
        --export_dir=/tmp/horse2zebra/export
    python -m tfgan_kit.sample --saved_model=/tmp/horse2zebra/export --signature=a_to_b \
        --images_dir=HORSES --out=/tmp/zebras.png

The data set must be prepared beforehand (``tfds build cycle_gan/horse2zebra``; nothing is
downloaded here); another pair of domains: ``--config.data.tfds_name=cycle_gan/monet2photo``, or
``--config.data.name=unpaired_folder --config.data.path=DIR`` for ``DIR/trainA``, ``DIR/trainB``.
Settings of the paper (Section 4, Appendix 7): 256x256 crops of images resized to 286x286 and
mirrored, ResNet translators with 9 residual blocks, 70x70 PatchGANs, instance norm, least
squares, lambda 10, identity 0.5 lambda, history pool 50, batch 1, Adam 2e-4 (beta_1 0.5) for
100 epochs then linearly decayed to zero over 100 more. Not run here (no data set on this
machine, a GPU-days job on a CPU).
"""

import ml_collections

from configs import cyclegan_shapes


def get_config() -> ml_collections.ConfigDict:
    config = cyclegan_shapes.get_config()

    config.data = ml_collections.ConfigDict()
    config.data.name = "tfds_unpaired"
    config.data.tfds_name = "cycle_gan/horse2zebra"
    config.data.split = "train"
    config.data.data_dir = ""  # tfds' default data dir
    config.data.image_size = 256
    config.data.load_size = 286
    config.data.mirror = True
    config.data.shuffle_buffer = 1000

    config.model.residual_blocks = 9
    config.model.g_base_filters = 64
    config.model.d_base_filters = 64

    config.train.batch_size = 1
    config.train.epochs = 200
    config.train.decay_start_epoch = 100  # then linearly to 0 (Sec. 4)
    config.train.sample_every_epochs = 10
    config.train.num_samples = 4
    return config
