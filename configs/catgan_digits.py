"""CatGAN (Springenberg 2016) on the 8x8 digits: unsupervised, 10 categories (clusters).

    python train.py --config=configs/catgan_digits.py --workdir=/tmp/catgan_digits \
        --export_dir=/tmp/catgan_digits/export
    # the semi-supervised CatGAN with 100 labels (10 per class):
    python train.py --config=configs/catgan_digits.py --workdir=/tmp/catgan_digits_100 \
        --config.data.labelled_per_class=10

Unsupervised, 100 epochs = 1,700 steps: the categories of D match the digit classes with a
held-out cluster accuracy (Hungarian matching, 359 digits) of 36.5% / 41.2% / 40.9% at seeds
0 / 1 / 2 (9-10 categories used; chance is about 10-20%), a weak clustering: G's samples stay
poor. With 100 labels (labelled_per_class=10; 100 epochs = 1,400 steps, 156 s) the
classifier is right on 96.1% of the held-out digits against 91.9% for the same classifier
trained on the 100 labels alone
(tests/models/test_catgan_learning.py, benchmarks/semi_supervised.py). The optimizer (Adam 1e-3,
beta_1 0.5) and nets are this project's choice for the 8x8 digits, not the paper's.
Precision: float32 (set below). `auto` (mixed_bfloat16 on this CPU) does not speed these fully
connected nets up: 0.89x samples/s against float32 (one core each, 3 Dec 2026, the best of two
interleaved `benchmarks/schemes_speed.py` rounds per precision).
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "catgan"
    config.seed = 0

    # Data: the 1,797 embedded digits, unlabelled. With labelled_per_class set, the
    # semi-supervised split instead (20% held out, labelled_per_class labelled per class).
    config.data = ml_collections.ConfigDict()
    config.data.name = "digits"
    config.data.image_size = 8
    config.data.with_labels = False
    config.data.labelled_per_class = config_dict.placeholder(int)  # None: unsupervised
    config.data.held_out_fraction = 0.2
    config.data.labelled_batch_size = 100

    # Model: K = 10 categories; D a Gaussian-noise ReLU MLP classifier, G a softplus+BN MLP
    # (the permutation-invariant nets of tfgan_kit.nets.classifier); Eq. 7-8 with minibatch
    # marginals; lambda = 1 for the labelled cross-entropy (semi-supervised variant).
    config.model = ml_collections.ConfigDict()
    config.model.nets = "noisy_mlp"
    config.model.num_classes = 10
    config.model.latent_dim = 100
    config.model.g_hidden = (500, 500)
    config.model.d_hidden = (1000, 500, 250, 250, 250)
    config.model.input_noise = 0.3
    config.model.hidden_noise = 0.5
    config.model.supervised_weight = 1.0

    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 100
    config.train.epochs = 100
    config.train.steps_per_epoch = config_dict.placeholder(int)  # None: one pass over the data
    config.train.steps_per_execution = 1
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.5}
    config.train.d_optimizer = {"name": "adam", "learning_rate": 1e-3, "beta_1": 0.5}
    config.train.jit_compile = True
    config.train.precision = "float32"  # not "auto": see the docstring
    config.train.sample_every_epochs = 20
    config.train.num_samples = 100
    config.train.verbose = "auto"  # progress bar on a terminal, one line per epoch otherwise
    return config
