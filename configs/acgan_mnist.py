"""ACGAN (Odena et al. 2017) with DCGAN-style conditional nets on labelled MNIST 28x28.

    tfds build mnist   # once, on a machine with network access
    python train.py --config=configs/acgan_mnist.py --workdir=/tmp/acgan_mnist \
        --export_dir=/tmp/acgan_mnist/export
    python -m tfgan_kit.sample --saved_model=/tmp/acgan_mnist/export --labels_cycle=10 --out=all.png

Variant of configs/acgan_digits.py: labelled tfds MNIST, G(z, c) a DCGAN generator on
[z, one-hot c], D DCGAN convolutions with dropout 0.5 (the paper's) and two heads; Adam(2e-4,
beta_1 0.5), batch 100 (Odena et al. 2017, Appendix). Not run here (MNIST is not prepared on
this machine); its nets build and train a step in tests/models/test_acgan.py.
"""

import ml_collections
from ml_collections import config_dict

from configs import acgan_digits


def get_config() -> ml_collections.ConfigDict:
    config = acgan_digits.get_config()
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
    config.model.dropout = 0.5
    for key in ("g_hidden", "d_hidden", "output_activation"):
        del config.model[key]  # dense-net settings
    config.train.batch_size = 100
    config.train.epochs = 20
    config.train.jit_compile = False
    config.train.sample_every_epochs = 1
    return config
