"""Conditional GAN (Mirza & Osindero 2014) with conditional DCGAN nets on labelled MNIST 28x28.

    tfds build mnist   # once, on a machine with network access
    python train.py --config=configs/cgan_mnist.py --workdir=/tmp/cgan_mnist \
        --export_dir=/tmp/cgan_mnist/export
    python -m tfgan_kit.sample --saved_model=/tmp/cgan_mnist/export --labels_cycle=10 --out=all.png

Variant of configs/cgan_digits.py: labelled tfds MNIST, DCGAN-style G(z, y) on [z, one-hot y]
and a projection discriminator (Miyato & Koyama 2018). Not run here (MNIST is not prepared on
this machine); its nets build and train a step in tests/models/test_cgan.py.
"""

import ml_collections
from ml_collections import config_dict

from configs import cgan_digits


def get_config() -> ml_collections.ConfigDict:
    config = cgan_digits.get_config()
    config.data = ml_collections.ConfigDict()
    config.data.name = "tfds"
    config.data.tfds_name = "mnist"
    config.data.split = "train"
    config.data.image_size = 28
    config.data.data_dir = config_dict.placeholder(str)  # None: tfds default
    config.data.with_labels = True
    config.model.nets = "cdcgan"
    config.model.latent_dim = 100
    config.model.g_base_filters = 64
    config.model.d_base_filters = 64
    config.model.d_normalization = "batch"
    for key in ("g_hidden", "d_hidden", "output_activation", "dropout"):
        del config.model[key]  # dense-net settings
    config.train.epochs = 20
    config.train.jit_compile = False
    config.train.sample_every_epochs = 1
    return config
