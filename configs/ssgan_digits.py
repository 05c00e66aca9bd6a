"""Semi-supervised GAN (Salimans et al. 2016) on the 8x8 digits with 100 labels (10 per class).

    python train.py --config=configs/ssgan_digits.py --workdir=/tmp/ssgan_digits \
        --export_dir=/tmp/ssgan_digits/export
    python -m tfgan_kit.sample --saved_model=/tmp/ssgan_digits/export --signature=classify \
        --images_dir=DIR --npy=probabilities.npy   # the classifier

Measured on this 2-core machine (shared with other jobs): 100 epochs = 1,400 steps in 342 s
(load average 3-8; 25 min under a load of about 20); D's classifier is right on 96.4% of the
359 held-out digits, against 91.9% for the same classifier net, optimizer and number of steps
trained on the 100 labels alone (tests/models/test_ssgan_learning.py,
python benchmarks/semi_supervised.py).
Precision: float32 (set below). `auto` (mixed_bfloat16 on this CPU) does not speed these fully
connected nets up: 0.96x samples/s against float32 (one core each, 3 Dec 2026, the best of two
interleaved `benchmarks/schemes_speed.py` rounds per precision). Its check under `auto`: 95.5%
against 91.9% for the labels alone, 1,400 steps in 144 s.
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "ssgan"
    config.seed = 0

    # Data: the embedded digits; 20% held out for testing, 10 labelled per class of the rest,
    # every training image also unlabelled; each step a labelled batch of all 100.
    config.data = ml_collections.ConfigDict()
    config.data.name = "digits"
    config.data.image_size = 8
    config.data.labelled_per_class = 10
    config.data.held_out_fraction = 0.2
    config.data.labelled_batch_size = 100

    # Model: the permutation-invariant MNIST nets of Salimans et al. 2016 (Section 5): D a ReLU
    # MLP 1000-500-250-250-250 with Gaussian noise (0.3 on the input, 0.5 after each layer), G a
    # softplus+BN MLP 500-500; K logits with the generated class's logit fixed at 0; G trained
    # by feature matching on D's last hidden layer.
    config.model = ml_collections.ConfigDict()
    config.model.nets = "noisy_mlp"
    config.model.latent_dim = 100
    config.model.g_hidden = (500, 500)
    config.model.d_hidden = (1000, 500, 250, 250, 250)
    config.model.input_noise = 0.3
    config.model.hidden_noise = 0.5
    config.model.generator_loss = "feature_matching"
    config.model.unsupervised_weight = 1.0

    # Training: Adam(beta_1 0.5) and batch 100 as the authors' code.
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
