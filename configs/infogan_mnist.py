"""InfoGAN (Chen et al. 2016) on MNIST 28x28 from tensorflow-datasets: the paper's experiment.

    tfds build mnist   # once, on a machine with network access
    python train.py --config=configs/infogan_mnist.py --workdir=/tmp/infogan_mnist \
        --export_dir=/tmp/infogan_mnist/export

Variant of configs/infogan_digits.py: MNIST at 28x28 (the nets of Appendix C.1 at their
paper size), batch 128 as in the authors' code, 50 epochs. Not run here (MNIST is not prepared
on this machine); its nets build and train a step in tests/models/test_infogan.py.
"""

import ml_collections
from ml_collections import config_dict

from configs import infogan_digits


def get_config() -> ml_collections.ConfigDict:
    config = infogan_digits.get_config()
    config.data = ml_collections.ConfigDict()
    config.data.name = "tfds"
    config.data.tfds_name = "mnist"
    config.data.split = "train"
    config.data.image_size = 28
    config.data.data_dir = config_dict.placeholder(str)  # None: tfds default
    config.train.batch_size = 128
    config.train.epochs = 50
    config.train.sample_every_epochs = 1
    return config
