"""ZAQ (Liu et al. 2021): a digits CNN quantized to W4A4 and fine-tuned with no data.

    python train.py --config=configs/zaq_digits.py --workdir=/tmp/zaq_digits \
        --export_dir=/tmp/zaq_digits/export
    python -m tfgan_kit.sample --saved_model=/tmp/zaq_digits/export --images_dir=DIR \
        --npy=probabilities.npy   # the quantized classifier

The full-precision CNN (tfgan_kit.nets.zaq.digits_cnn) is trained by the builder on 80% of the
embedded digits (seeded, a few seconds), or loaded from `config.model.teacher_path` when that
file exists (written there otherwise). Training uses no real data: the logged `accuracy` is the
quantized model's on the other 20%, the only use of real images.

Measured (README's ZAQ table, `nice python benchmarks/zaq_digits.py --epochs=1`, 487 s on the
loaded 2-core machine): full precision 98.89%, W4A4 untuned 96.67% (ranges from noise), ZAQ
95.28%, the same fine-tuning on Gaussian noise 72.22%. With these defaults (4 epochs, 451 s,
`pytest -q -s -m slow tests/models/test_zaq_learning.py`): ZAQ 89.17%, noise fine-tuning 91.67%.
ZAQ does not yet beat the untuned model (the slow check fails).
"""

import ml_collections
from ml_collections import config_dict


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme = "zaq"
    config.seed = 0

    # Data: none (zero-shot); the placeholder stream needs train.steps_per_epoch.
    config.data = ml_collections.ConfigDict()
    config.data.name = "none"

    # Model: P the digits CNN, Q its W4A4 copy, G the ZAQ/DFAD generator.
    config.model = ml_collections.ConfigDict()
    config.model.image_size = 8
    config.model.width = 16  # filters of the CNN's first stage (16-16-32-32)
    config.model.teacher_epochs = 30
    config.model.teacher_path = config_dict.placeholder(str)  # None: train P in the builder
    config.model.feature_layers = ("relu_1", "relu_2", "relu_3", "relu_4")
    config.model.weight_bits = 4
    config.model.activation_bits = 4
    config.model.range_momentum = 0.99  # moving averages of the batch ranges (None: all-time)
    config.model.calibration_images = 2048  # N(0, 1) images that set Q's ranges, data-free
    # Q in inference mode: P's BatchNorm statistics and the calibrated ranges stay (False: Q in
    # training mode, as the authors' code; measured worse, see the docstring).
    config.model.frozen_statistics = True
    config.model.latent_dim = 256  # the authors' nz
    config.model.base_filters = 64  # the authors' ngf
    config.model.normalize_output = False  # G's images stay in [-1, 1], the digits' range
    config.model.q_steps = 5  # Q updates per G update (Liu et al. 2021, Section 3.3)
    config.model.alpha = 1.0  # weight of D_f
    config.model.beta = 0.1  # weight of G's activation term
    config.model.weight_momentum = 0.9  # moving average of the D_f layer weights
    # Both rates x lr_gamma from these epochs on: the authors' steps after 1/3 and 2/3 of
    # training (epochs 100 and 200 of 300).
    config.model.lr_milestones = (1, 2)
    config.model.lr_gamma = 0.1

    # Training: Q by SGD(momentum 0.9, weight decay 5e-4), G by Adam(1e-3), the authors'; Q's
    # rate 0.01, not their 0.1 (ResNets on CIFAR): at 0.1 this small 4-bit CNN collapses.
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 256
    config.train.epochs = 3
    config.train.steps_per_epoch = 40  # iterations (5 Q + 1 G steps); the authors' 60
    config.train.steps_per_execution = 1
    config.train.q_optimizer = {"name": "sgd", "learning_rate": 0.01, "momentum": 0.9,
                                "weight_decay": 5e-4}
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-3}
    config.train.jit_compile = False
    config.train.sample_every_epochs = 1
    config.train.num_samples = 64  # generated images
    config.train.verbose = "auto"
    return config
