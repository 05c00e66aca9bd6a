"""Semi-supervised GAN (Salimans et al. 2016) on MNIST with 100 labels: the paper's experiment.

    tfds build mnist   # once, on a machine with network access
    python train.py --config=configs/ssgan_mnist.py --workdir=/tmp/ssgan_mnist \
        --export_dir=/tmp/ssgan_mnist/export

Variant of configs/ssgan_digits.py: the tfds MNIST train split at 28x28 read into memory, 10%
held out, 10 labelled per class of the rest (100 labels, as the paper's permutation-invariant
MNIST experiment), the same nets. Not run here (MNIST is not prepared on this machine).
"""

import ml_collections
from ml_collections import config_dict

from configs import ssgan_digits


def get_config() -> ml_collections.ConfigDict:
    config = ssgan_digits.get_config()
    config.data = ml_collections.ConfigDict()
    config.data.name = "tfds"
    config.data.tfds_name = "mnist"
    config.data.split = "train"
    config.data.image_size = 28
    config.data.data_dir = config_dict.placeholder(str)  # None: tfds default
    config.data.labelled_per_class = 10
    config.data.held_out_fraction = 0.1
    config.data.labelled_batch_size = 100
    config.train.epochs = 300
    config.train.jit_compile = False
    config.train.sample_every_epochs = 10
    return config
