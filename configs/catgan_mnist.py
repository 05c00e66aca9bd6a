"""CatGAN (Springenberg 2016) on MNIST 28x28 from tensorflow-datasets, unsupervised.

    tfds build mnist   # once, on a machine with network access
    python train.py --config=configs/catgan_mnist.py --workdir=/tmp/catgan_mnist
    # semi-supervised, 100 labels: add --config.data.labelled_per_class=10

Variant of configs/catgan_digits.py: the tfds MNIST train split at 28x28 (10% held out in the
semi-supervised variant), the same permutation-invariant nets. Not run here (MNIST is not
prepared on this machine).
"""

import ml_collections
from ml_collections import config_dict

from configs import catgan_digits


def get_config() -> ml_collections.ConfigDict:
    config = catgan_digits.get_config()
    config.data = ml_collections.ConfigDict()
    config.data.name = "tfds"
    config.data.tfds_name = "mnist"
    config.data.split = "train"
    config.data.image_size = 28
    config.data.data_dir = config_dict.placeholder(str)  # None: tfds default
    config.data.with_labels = False
    config.data.labelled_per_class = config_dict.placeholder(int)  # None: unsupervised
    config.data.held_out_fraction = 0.1
    config.data.labelled_batch_size = 100
    config.train.epochs = 100
    config.train.jit_compile = False
    config.train.sample_every_epochs = 5
    return config
