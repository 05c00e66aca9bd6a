"""ZAQ (Liu et al. 2021): a digits CNN quantized to W4A4 and fine-tuned with no data.

    python train.py --config=configs/zaq_digits.py --workdir=/tmp/zaq_digits \
        --export_dir=/tmp/zaq_digits/export
    python -m tfgan_kit.sample --saved_model=/tmp/zaq_digits/export --images_dir=DIR \
        --npy=probabilities.npy   # the quantized classifier

The full-precision CNN (tfgan_kit.nets.zaq.digits_cnn) is trained by the builder on 80% of the
embedded digits (seeded, a few seconds), or loaded from `config.model.teacher_path` when that
file exists (written there otherwise). Training uses no real data: the logged `accuracy` is the
quantized model's on the other 20%, the only use of real images.

Measured on 2026-12-02 (2-core machine shared with other jobs) with these defaults,
`nice python benchmarks/zaq_digits.py --seeds=N` (N = 0, 1, 2 side by side; per seed ZAQ
136-164 s, noise fine-tuning 37-45 s), held-out accuracy of 360 digits:

    seed  full precision  untuned (noise ranges)  noise fine-tuning  ZAQ     recovered
    0     97.50%          95.28%                  96.67%             95.83%  25%
    1     96.67%          93.06%                  93.61%             95.83%  77%
    2     99.17%          91.67%                  96.67%             96.11%  59%
    mean  97.78%          93.33%                  95.65%             95.93%  58% of the mean gap

Seeds 3, 4, 5 (same command, 2026-12-03): full precision 96.94 / 97.22 / 98.89%, untuned
84.17 / 94.44 / 95.00%, noise fine-tuning 89.17 / 96.11 / 96.39%, ZAQ 87.50 / 94.72 / 95.56%
(17% of the mean gap). Over the 6 seeds ZAQ (94.26%) is above the untuned Q (92.27%) on every
seed but below noise fine-tuning (94.77%), recovering 36% of the mean gap: issue 14's
acceptance is not met. The slow check `pytest -q -s -m slow tests/models/test_zaq_learning.py`
tests the 6-seed means (an expected failure with these figures).
A longer run (2026-12-03: 9 epochs x 60 iterations, milestones 3 and 6, the authors' 60
iterations per epoch) on seeds 3 / 0: FP 97.50 / 97.78%, untuned 89.72 / 95.56%, noise
fine-tuning 83.89 / 96.67%, ZAQ 90.00 / 96.67% (recovered 4% / 50%; 209 s per ZAQ run on one
core): above noise on seed 3 only because noise fine-tuning fell below the untuned Q.
Q's rate closer to the authors' 0.1 (2026-12-03, `taskset` one core each, the benchmark with a
config that changes only `train.q_optimizer`'s rate; seeds in order, stopped after those):
- SGD 0.003, seeds 0 / 1 / 2: untuned 95.56 / 94.17 / 93.33%, noise fine-tuning 97.22 / 95.00
  / 96.94%, ZAQ 96.11 / 93.33 / 94.44% (full precision 97.78 / 96.94 / 98.89%): ZAQ below noise
  on all three;
- SGD 0.01, seeds 0-3: noise fine-tuning 93.33 / 45.83 / 88.61 / 83.89%, ZAQ 94.17 / 55.56 /
  93.61 / 87.50%: ZAQ above noise, but both below the untuned Q (95.56 / 94.17 / 93.33 /
  89.72%).
G's activation term 10x stronger (`model.beta=1.0`, seeds 0, 1, 3, 4, 5 at SGD 0.001): ZAQ
94.44 / 87.22 / 91.94 / 89.17 / 95.56% against noise fine-tuning 96.67 / 95.28 / 91.94 / 96.39
/ 91.67%: worse than beta 0.1. (The same seed's noise fine-tuning moved from 96.39% to 91.67%
between two invocations: P is not bit-reproducible, so neither is Q.)
With the 16-16-32-32 CNN (width=16) the W4A4 gap is 1.4-2.2 points and nothing is measurable
(README, ZAQ section). On that CNN Q at the authors' SGD 0.1
falls to 46-52% in 60 iterations; Q in training mode (the authors', frozen_statistics=False)
drifts to G's BatchNorm statistics and activation ranges (36% at SGD 0.01).
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
    config.model.width = 8  # filters of the CNN's first stage (8-8-16-16)
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
    # rate 0.001, not their 0.1 (ResNets on CIFAR): at 0.1 this small 4-bit CNN collapses.
    config.train = ml_collections.ConfigDict()
    config.train.batch_size = 256
    config.train.epochs = 3
    config.train.steps_per_epoch = 40  # iterations (5 Q + 1 G steps); the authors' 60
    config.train.steps_per_execution = 1
    config.train.q_optimizer = {"name": "sgd", "learning_rate": 0.001, "momentum": 0.9,
                                "weight_decay": 5e-4}
    config.train.g_optimizer = {"name": "adam", "learning_rate": 1e-3}
    config.train.jit_compile = False
    # Not "auto": the figures above were measured in float32, and ZAQ's accuracy under
    # bfloat16 activations on top of the fake quantization was not measured.
    config.train.precision = "float32"
    config.train.sample_every_epochs = 1
    config.train.num_samples = 64  # generated images
    config.train.verbose = "auto"
    return config
