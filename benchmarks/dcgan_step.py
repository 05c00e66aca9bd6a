"""Images/s of the DCGAN train step: ``model.fit`` under each precision, with and without XLA,
against a hand-written float32 baseline loop, and the share of the machine's matmul peak it uses.

    nice python benchmarks/dcgan_step.py --steps=30 --repeats=7 --sizes=32x32x3

For each image shape, trainers of identical DCGAN nets (``tfgan_kit.nets.dcgan_generator`` /
``dcgan_discriminator``, default ``base_filters=64``, ``latent_dim=100``; fresh instances for
each trainer) take the same number of steps on the same synthetic data:

* **baseline**: the textbook two-tape loop of the keras-io DCGAN example written out by hand, in
  float32, on the same nets with Keras' own ``BatchNormalization`` layers (the toolkit's nets
  use :class:`tfgan_kit.layers.FusedBatchNormalization`, the same layer on TensorFlow's fused
  kernel): a ``tf.function`` step that samples z, generates fakes, updates D under one tape with
  ``BCE(D(x), 1) + BCE(D(G(z)), 0)`` (from logits), then samples fresh z and updates G under a
  second tape with ``BCE(D(G(z)), 1)``; Adam(2e-4, beta_1=0.5) for both; a Python ``for`` loop
  over the dataset;
* **<precision>** and **<precision>+XLA** for each of ``--precisions``: ``tfgan_kit.models.GAN``
  (non-saturating, k=1, the same maths) built and compiled under that Keras dtype policy
  (``config.train.precision``, :mod:`tfgan_kit.training.precision`) with the same optimizers,
  ``jit_compile`` off or on, trained with ``model.fit``.

The **default config** is what ``train.py`` runs for ``configs/dcgan_digits.py`` as it stands:
its ``train.precision`` (the trainer's default when unset) and its ``jit_compile``; its row
repeats the measured row of that precision and compilation. ``auto`` names the policy it
resolves to on this machine (not measured separately). ``mixed_float16`` is measured only with
a GPU: TensorFlow's CPU convolutions in float16 are about 100x slower than in float32 (2 images/s
measured on a 2-core Xeon that has ``avx512_fp16``), so on a CPU its rows are skipped with that
reason (``auto`` never picks it without a GPU).

Each trainer is warmed up first (tracing and XLA compilation are not timed). A measurement is the
wall time (and the process CPU time) of ``--steps`` steps, ending on a host read of the losses.
The trainers are measured in turn (A/B/C/A/B/C ...) ``--repeats`` times, so that load from other
processes on a shared machine falls on all of them alike. The tables give the median figure of
each trainer and, as ratios, the median over rounds of the ratio of the two figures measured back
to back in a round. The data is a ``tf.data`` dataset of random images in [-1, 1] held in memory,
pre-batched and repeated, the same for every trainer, with tf.data's autotuning off
(``tf.data.Options().autotune.enabled = False``). Each measurement opens a new iterator (a new
``fit`` call, or the baseline's new ``for`` loop), and with autotuning on, about half of the
measurements of ``fit`` under ``mixed_bfloat16`` ran the whole call on one core, at
exactly the one-core rate (376 images/s, 1.0 core busy, against 660-710 images/s on 1.85
cores). The cause: TensorFlow's oneDNN kernels run serially when they are called from a thread of
the intra-op pool (``MklDnnThreadPool::get_in_parallel``), and where the step's kernels run after
a fresh iterator's first batch varies. Measured 3 Dec 2026 on the idle 2-core Xeon
(20-step calls, 10 per setting): autotuning on, 4-5 of 10 calls serial (``fit`` and a hand loop
over a fresh iterator); autotuning off, or a constant input tensor, 0 of 10. ``train.py`` opens
one iterator for the whole run and showed no serial epoch either way (10 epochs of 20 steps in
one ``fit``: 665-718 images/s with autotuning, 664-693 without), so autotuning stays on in
the trainer. Wall-clock figures still jump between levels on a shared machine (the process gets
one core or two); images per CPU second (all threads' CPU time) vary far less.

**Compute** (analytic, per image): the forward multiply-adds of every convolution,
transposed convolution and dense layer (``Conv2D``: ``H_out W_out k^2 C_in C_out``;
``Conv2DTranspose``: ``H_in W_in k^2 C_in C_out``; ``Dense``: ``in x out``), times 2 FLOPs, give
the forward costs G and D (normalisation and activations are not counted). A backward pass costs
two forwards (input and weight gradients), so a forward + backward costs 3x. One G+D step costs,
per image, ``G`` (fakes for the D update) ``+ 2 x 3D`` (D forward + backward on a real and a fake
image) ``+ 3G + 2D`` (the G update: G forward + backward, D forward and its input gradient only,
as D's weight gradients are not requested) ``= 4G + 8D``; about 0.43 GFLOP at 32x32x3. Achieved
GFLOP/s is that times images per wall second; its share is of the **matmul peak** measured in the
same rounds (so it sees the same load): the best timing of five chained ``[2048, 2048]``
``tf.matmul``s in float32 and in bfloat16 (and float16 when measured), once per round, each row
against the peak of its compute dtype.

Reference: Radford et al., "Unsupervised Representation Learning with Deep Convolutional
Generative Adversarial Networks", ICLR 2016 (nets, Adam 2e-4 / beta_1 0.5, batch 64);
Micikevicius et al., "Mixed Precision Training", ICLR 2018 (the mixed policies).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # configs/

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from configs import dcgan_digits  # noqa: E402
from benchmarks.schemes_speed import without_autotune  # noqa: E402
from tfgan_kit.layers import FusedBatchNormalization  # noqa: E402
from tfgan_kit.models import GAN  # noqa: E402
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator  # noqa: E402
from tfgan_kit.training.precision import (  # noqa: E402
    PRECISIONS,
    config_precision,
    detect_precision,
    dtype_policy,
)

LATENT_DIM = 100
LEARNING_RATE = 2e-4
BETA_1 = 0.5
PEAK_SIZE = 2048
COMPUTE_DTYPE = {"float32": "float32", "mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}


def parse_sizes(text: str) -> list[tuple[int, int, int]]:
    """Parses ``"32x32x3,28x28x1"`` into ``[(32, 32, 3), (28, 28, 1)]``.

    Raises:
        ValueError: for an entry that is not ``HxWxC`` with H == W.
    """
    sizes = []
    for entry in text.split(","):
        parts = entry.strip().lower().split("x")
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or parts[0] != parts[1]:
            raise ValueError(
                f"`--sizes` entries must be HxWxC with H == W, e.g. 32x32x3. Received: {entry!r}"
            )
        sizes.append(tuple(int(p) for p in parts))
    return sizes


def parse_precisions(text: str) -> list[str]:
    """Parses ``"float32,mixed_bfloat16"``; ``auto`` is not a policy of its own.

    Raises:
        ValueError: for an entry that is not a Keras policy of ``config.train.precision``.
    """
    valid = [p for p in PRECISIONS if p != "auto"]
    names = [name.strip() for name in text.split(",")]
    for name in names:
        if name not in valid:
            raise ValueError(f"`--precisions` entries must be among {', '.join(valid)}. "
                             f"Received: {name!r}")
    return names


def synthetic_batches(shape: tuple[int, int, int], batch_size: int, num_batches: int = 8,
                      seed: int = 0) -> tf.data.Dataset:
    """A repeated dataset of ``num_batches`` batches of uniform random images in [-1, 1], with
    tf.data's autotuning off (see the module docstring: a fresh iterator under autotuning sent
    about half of the bfloat16 ``fit`` calls onto one core)."""
    images = tf.random.stateless_uniform(
        [num_batches, batch_size, *shape], seed=[seed, 0], minval=-1.0, maxval=1.0
    )
    dataset = tf.data.Dataset.from_tensor_slices(images).repeat().prefetch(tf.data.AUTOTUNE)
    return without_autotune(dataset)


def build_nets(shape: tuple[int, int, int],
               textbook: bool = False) -> tuple[keras.Model, keras.Model]:
    """Fresh DCGAN generator and discriminator for images of ``shape`` (default widths).

    ``textbook``: with ``keras.layers.BatchNormalization`` (as the keras-io example) in place
    of the toolkit's :class:`FusedBatchNormalization` (the same layer on TF's fused kernel).
    """
    size, _, channels = shape
    nets = (dcgan_generator(LATENT_DIM, image_size=size, channels=channels),
            dcgan_discriminator(image_size=size, channels=channels))
    if not textbook:
        return nets

    def keras_batch_norm(layer):
        kind = (keras.layers.BatchNormalization if isinstance(layer, FusedBatchNormalization)
                else type(layer))
        return kind.from_config(layer.get_config())

    return tuple(keras.models.clone_model(net, clone_function=keras_batch_norm) for net in nets)


def forward_flops(net: keras.Model) -> int:
    """FLOPs (2 per multiply-add) of one example's forward pass through the convolutions,
    transposed convolutions and dense layers of ``net``."""
    macs = 0
    for layer in net.layers:
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, height, width, channels = layer.input.shape
            macs += height * width * channels * layer.filters * layer.kernel_size[0] ** 2
        elif isinstance(layer, keras.layers.Conv2D):
            _, height, width, filters = layer.output.shape
            macs += height * width * filters * layer.input.shape[-1] * layer.kernel_size[0] ** 2
        elif isinstance(layer, keras.layers.Dense):
            macs += layer.input.shape[-1] * layer.units
    return 2 * macs


def step_flops(shape: tuple[int, int, int]) -> tuple[int, int, int]:
    """``(G, D, 4G + 8D)``: forward FLOPs of each net and of one G+D step, per image."""
    generator, discriminator = build_nets(shape)
    g, d = forward_flops(generator), forward_flops(discriminator)
    return g, d, 4 * g + 8 * d


class MatmulPeak:
    """GFLOP/s of five chained ``[size, size]`` matmuls in ``dtype`` (a ``tf.function``)."""

    def __init__(self, dtype: str, size: int = PEAK_SIZE):
        self.size = size
        # Entries of size**-0.5 keep the chained products of order 1 in every dtype.
        self.matrix = tf.cast(tf.random.stateless_normal([size, size], seed=[1, 0]) / size**0.5,
                              dtype)
        self.product = tf.function(lambda x: tf.reduce_sum(tf.cast(
            tf.matmul(tf.matmul(tf.matmul(tf.matmul(tf.matmul(x, x), x), x), x), x),
            tf.float32)))
        float(self.product(self.matrix))  # trace and warm up

    def measure(self) -> float:
        started = time.perf_counter()
        float(self.product(self.matrix))
        return 5 * 2 * self.size**3 / (time.perf_counter() - started) / 1e9


def adam() -> keras.optimizers.Optimizer:
    return keras.optimizers.Adam(LEARNING_RATE, beta_1=BETA_1)


class BaselineTrainer:
    """The keras-io DCGAN two-tape step, written out by hand, in a ``tf.function`` (float32)."""

    policy = "float32"

    def __init__(self, shape: tuple[int, int, int]):
        self.generator, self.discriminator = build_nets(shape, textbook=True)
        self.g_optimizer, self.d_optimizer = adam(), adam()
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.step = tf.function(self._step)

    def _step(self, real):
        batch_size = tf.shape(real)[0]
        z = tf.random.normal([batch_size, LATENT_DIM])
        fake = self.generator(z, training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            d_loss = (self.bce(tf.ones_like(real_logits), real_logits)
                      + self.bce(tf.zeros_like(fake_logits), fake_logits))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        z = tf.random.normal([batch_size, LATENT_DIM])
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator(self.generator(z, training=True), training=True)
            g_loss = self.bce(tf.ones_like(fake_logits), fake_logits)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return d_loss, g_loss

    def run(self, dataset: tf.data.Dataset, steps: int) -> float:
        """Takes ``steps`` steps; returns the final D loss (read on the host)."""
        d_loss = None
        for real in dataset.take(steps):
            d_loss, _ = self.step(real)
        return float(d_loss)


class FitTrainer:
    """``tfgan_kit.models.GAN`` built under dtype policy ``policy``, trained with ``model.fit``."""

    def __init__(self, shape: tuple[int, int, int], policy: str, jit_compile: bool):
        self.policy = policy
        with dtype_policy(policy):
            generator, discriminator = build_nets(shape)
            self.model = GAN(generator, discriminator, latent_dim=LATENT_DIM)
            self.model.compile(g_optimizer=adam(), d_optimizer=adam(), jit_compile=jit_compile)

    def run(self, dataset: tf.data.Dataset, steps: int) -> float:
        """Takes ``steps`` steps in one ``fit`` epoch; returns the epoch's mean D loss."""
        with dtype_policy(self.policy):
            history = self.model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
        return float(history.history["d_loss"][-1])


def trainer_name(policy: str, jit_compile: bool) -> str:
    return policy + ("+XLA" if jit_compile else "")


def images_per_second(trainer, dataset: tf.data.Dataset, steps: int,
                      batch_size: int) -> tuple[float, float]:
    """Images per wall-clock second and per CPU second (all threads) of ``steps`` steps."""
    wall, cpu = time.perf_counter(), time.process_time()
    loss = trainer.run(dataset, steps)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if loss != loss:  # NaN: the timing would be of a broken run.
        raise RuntimeError(f"{type(trainer).__name__} produced a NaN loss.")
    images = steps * batch_size
    return images / wall, images / cpu


def benchmark_shape(shape, precisions: list[str], steps: int, repeats: int, warmup: int,
                    batch_size: int) -> tuple[dict, dict, dict]:
    """Images/s of the baseline and of ``fit`` under each precision, with and without XLA, and
    the matmul peak of each compute dtype, measured in the same rounds.

    Returns:
        ``(trainers, figures, peaks)``: name -> trainer; ``{"wall" | "cpu": {name: [figure of
        each round]}}``, images per wall-clock second and per CPU second; compute dtype -> best
        matmul GFLOP/s.
    """
    dtypes = dict.fromkeys(["float32"] + [COMPUTE_DTYPE[p] for p in precisions])
    matmuls = {dtype: MatmulPeak(dtype) for dtype in dtypes}
    peaks = {dtype: 0.0 for dtype in dtypes}
    dataset = synthetic_batches(shape, batch_size)
    trainers = {"baseline": BaselineTrainer(shape)}
    for policy in precisions:
        for jit_compile in (False, True):
            trainers[trainer_name(policy, jit_compile)] = FitTrainer(shape, policy, jit_compile)
    for trainer in trainers.values():  # tracing and XLA compilation happen here
        trainer.run(dataset, warmup)
    figures = {clock: {name: [] for name in trainers} for clock in ("wall", "cpu")}
    for _ in range(repeats):
        for name, trainer in trainers.items():
            wall, cpu = images_per_second(trainer, dataset, steps, batch_size)
            figures["wall"][name].append(wall)
            figures["cpu"][name].append(cpu)
        for dtype, matmul in matmuls.items():
            peaks[dtype] = max(peaks[dtype], matmul.measure())
    return trainers, figures, peaks


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """Median over rounds of the ratio of two trainers measured back to back in that round."""
    return statistics.median(n / d for n, d in zip(numerator, denominator))


def default_config() -> tuple[str, bool]:
    """The dtype policy and ``jit_compile`` ``train.py`` uses for ``configs/dcgan_digits.py``."""
    config = dcgan_digits.get_config()
    return config_precision(config)[0], bool(config.train.jit_compile)


def table(trainers: dict, figures: dict, flops: int, peaks: dict[str, float],
          default: str) -> list[str]:
    """The rows of one shape: median img/s, paired ratios to the baseline, GFLOP/s, share."""
    lines = [f"{'trainer':<26} {'img/s':>7} {'img/cpu-s':>9} {'wall/base':>9} "
             f"{'cpu/base':>8} {'GFLOP/s':>8} {'of peak':>8}"]
    rows = [(name, name) for name in trainers] + [(f"default ({default})", default)]
    for label, name in rows:
        wall = statistics.median(figures["wall"][name])
        cpu = statistics.median(figures["cpu"][name])
        gflops = wall * flops / 1e9
        dtype = COMPUTE_DTYPE[trainers[name].policy]
        lines.append(
            f"{label:<26} {wall:>7.1f} {cpu:>9.1f} "
            f"{paired_ratio(figures['wall'][name], figures['wall']['baseline']):>8.2f}x "
            f"{paired_ratio(figures['cpu'][name], figures['cpu']['baseline']):>7.2f}x "
            f"{gflops:>8.1f} {100 * gflops / peaks[dtype]:>6.1f} %")
    return lines


def measurable(precisions: list[str]) -> tuple[list[str], str | None]:
    """``precisions`` without ``mixed_float16`` when there is no GPU, and why."""
    if "mixed_float16" in precisions and not tf.config.list_physical_devices("GPU"):
        return ([p for p in precisions if p != "mixed_float16"],
                "mixed_float16 skipped: no GPU, and TensorFlow's float16 convolutions on a CPU "
                "are ~100x slower than float32 (2 img/s measured on this project's Xeon)")
    return precisions, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=30, help="timed steps per measurement")
    parser.add_argument("--repeats", type=int, default=7, help="measurements per trainer")
    parser.add_argument("--sizes", default="32x32x3", help="comma-separated HxWxC")
    parser.add_argument("--precisions", default="float32,mixed_bfloat16,mixed_float16",
                        help="comma-separated Keras policies of config.train.precision")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps before timing")
    parser.add_argument("--batch_size", type=int, default=64, help="images per step")
    parser.add_argument("--verbose", action="store_true", help="print every measurement")
    args = parser.parse_args()
    # Keras warns that fit's shuffle=True is ignored for a tf.data dataset; nothing to act on.
    warnings.filterwarnings("ignore", message=".*`shuffle=True` was passed.*")
    tf.get_logger().setLevel("ERROR")  # one traced train function per trainer is not retracing
    for name in ("steps", "repeats", "warmup", "batch_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1. Received: {getattr(args, name)}")
    try:
        sizes, precisions = parse_sizes(args.sizes), parse_precisions(args.precisions)
    except ValueError as error:
        parser.error(str(error))
    default_policy, default_jit = default_config()
    default = trainer_name(default_policy, default_jit)
    precisions, skipped = measurable(list(dict.fromkeys(precisions + [default_policy])))

    print(f"TF {tf.__version__}, Keras {keras.__version__}; batch {args.batch_size}, "
          f"{args.steps} steps x {args.repeats} repeats (median), warm-up {args.warmup} steps")
    auto, reason = detect_precision("auto")
    print(f"default config (configs/dcgan_digits.py): {default}; auto here: {auto} ({reason})")
    if skipped:
        print(skipped)
    speedup = None
    for shape in sizes:
        g, d, flops = step_flops(shape)
        trainers, figures, peaks = benchmark_shape(shape, precisions, args.steps, args.repeats,
                                                   args.warmup, args.batch_size)
        config = "x".join(map(str, shape))
        print(f"\n{config}: forward G {g / 1e6:.1f} MFLOP, D {d / 1e6:.1f} MFLOP per image; "
              f"one G+D step 4G + 8D = {flops / 1e9:.3f} GFLOP per image")
        print(f"matmul peak (five chained [{PEAK_SIZE}, {PEAK_SIZE}] products, best of the "
              "rounds): " + ", ".join(f"{t} {p:.0f} GFLOP/s" for t, p in peaks.items()))
        if args.verbose:
            for clock in ("wall", "cpu"):
                for name, values in figures[clock].items():
                    print(f"  {name:>22} images/{clock}-s by round: "
                          + " ".join(f"{v:.0f}" for v in values))
        print("\n".join(table(trainers, figures, flops, peaks, default)), flush=True)
        if speedup is None:
            speedup = (paired_ratio(figures["wall"][default], figures["wall"]["baseline"]),
                       paired_ratio(figures["cpu"][default], figures["cpu"]["baseline"]))
    print(f"\nspeedup of the default config over the textbook loop: {speedup[0]:.2f}x (wall), "
          f"{speedup[1]:.2f}x (CPU)")


if __name__ == "__main__":
    main()
