"""DCGAN (Radford et al. 2016) on MNIST 28x28 from tensorflow-datasets.

    tfds build mnist   # once, on a machine with network access
    python train.py --config=configs/dcgan_mnist.py --workdir=/tmp/dcgan_mnist

Variant of configs/dcgan_digits.py: only the data section and the image size change.
"""

import ml_collections
from ml_collections import config_dict

from configs import dcgan_digits


def get_config() -> ml_collections.ConfigDict:
    config = dcgan_digits.get_config()
    config.data = ml_collections.ConfigDict()
    config.data.name = "tfds"
    config.data.tfds_name = "mnist"
    config.data.split = "train"
    config.data.image_size = 28
    config.data.data_dir = config_dict.placeholder(str)  # None: tfds default
    config.model.g_base_filters = 64
    config.model.d_base_filters = 64
    config.train.epochs = 20
    return config
