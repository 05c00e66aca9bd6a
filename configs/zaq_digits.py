"""ZAQ (Liu et al. 2021): a digits CNN quantized to W4A4 and fine-tuned with no data.

    python train.py --config=configs/zaq_digits.py --workdir=/tmp/zaq_digits \
        --export_dir=/tmp/zaq_digits/export
    python -m tfgan_kit.sample --saved_model=/tmp/zaq_digits/export --images_dir=DIR \
        --npy=probabilities.npy   # the quantized classifier

The full-precision CNN (tfgan_kit.nets.zaq.digits_cnn) is trained by the builder on 80% of the
embedded digits (seeded, a few seconds), or loaded from `config.model.teacher_path` when that
file exists (written there otherwise). Training uses no real data: the logged `accuracy` is the
quantized model's on the other 20%, the only use of real images.

Measured on 2026-12-02 (2-core machine shared with other jobs, load ~10-15) with these
defaults, `nice python benchmarks/zaq_digits.py --seeds=N` (seed 0 by the slow test
`pytest -q -s -m slow tests/models/test_zaq_learning.py`, the same `run`; 764 s, of which ZAQ
517 s and noise fine-tuning 135 s), held-out accuracy of 360 digits:

    seed  full precision  untuned (noise ranges)  noise fine-tuning  ZAQ     recovered
    0     98.89%          96.67%                  99.17%             96.67%    0%
    1     99.72%          98.06%                  97.22%             97.78%  -17%
    2     99.72%          98.33%                  99.17%             99.17%   60%
    mean  99.44%          97.69%                  98.52%             97.87%   14%

The issue's acceptance (ZAQ above the untuned Q and the noise baseline, >= 50% of the gap) is
NOT met: the slow check is xfail. The W4A4 gap of this CNN is 1.4-2.2 points (5-8 digits) and
the same settings give other results from run to run (experiment runs with a P trained
separately for the same seeds: ZAQ 98.61 / 98.89 / 98.89%, noise 97.78 / 98.33 / 99.17%), so
the comparison is dominated by noise of about +-1.5 points. What was learned (120 iterations,
seed 0): Q at SGD 0.1 (the authors' rate for CIFAR ResNets) collapses to 26-52% in every mode;
Q in training mode (the authors') with moving-average ranges ends at 36% at SGD 0.01; Q in
inference mode (`frozen_statistics`) with frozen ranges ends at 97.2-98.6% at SGD 0.001-0.01,
where the noise baseline ends at 92-94% at 0.01 but at 97.8-98.6% at 0.001-0.003.
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
    config.model.range_momentum = None  # range of every activation seen (the authors' QuantAct)
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
    # rate 0.003, not their 0.1 (ResNets on CIFAR): at 0.1 this small 4-bit CNN collapses.
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 256
    config.train.epochs = 3
    config.train.steps_per_epoch = 40  # iterations (5 Q + 1 G steps); the authors' 60
    config.train.steps_per_execution = 1
    config.train.q_optimizer = {"name": "sgd", "learning_rate": 0.003, "momentum": 0.9,
                                "weight_decay": 5e-4}
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-3}
    config.train.jit_compile = False
    config.train.sample_every_epochs = 1
    config.train.num_samples = 64  # generated images
    config.train.verbose = "auto"
    return config
