"""Images/s of the DCGAN train step through ``model.fit`` against a hand-written baseline loop.

    nice python benchmarks/dcgan_step.py --steps=30 --repeats=7 --sizes=32x32x3,28x28x1

For each image shape, three trainers of identical DCGAN nets (``tfgan_kit.nets.dcgan_generator``
/ ``dcgan_discriminator``, default ``base_filters=64``, ``latent_dim=100``; fresh instances for
each trainer) take the same number of steps on the same synthetic data:

* **baseline**: the textbook two-tape loop of the keras-io DCGAN example written out by hand: a
  ``tf.function`` step that samples z, generates fakes, updates D under one tape with
  ``BCE(D(x), 1) + BCE(D(G(z)), 0)`` (from logits), then samples fresh z and updates G under a
  second tape with ``BCE(D(G(z)), 1)``; Adam(2e-4, beta_1=0.5) for both; a Python ``for`` loop
  over the dataset;
* **fit**: ``tfgan_kit.models.GAN`` (non-saturating, k=1, the same maths) compiled with the same
  optimizers and ``jit_compile=False``, trained with ``model.fit``;
* **fit+XLA**: the same with ``jit_compile=True``.

Each trainer is warmed up first (tracing and XLA compilation are not timed). A measurement is the
wall time (and the process CPU time) of ``--steps`` steps, ending on a host read of the losses.
The three trainers are measured in turn (A/B/C/A/B/C ...) ``--repeats`` times, so that load from
other processes on a shared machine falls on all of them alike. The tables give the median figure
of each trainer and, as ratios, the median over rounds of the ratio of the two figures measured
back to back in a round. The data is a ``tf.data`` dataset of random images in [-1, 1] held in
memory, pre-batched and repeated.

On a machine shared with other jobs the wall-clock figures jump between levels (the process gets
one core or two); images per CPU second (all threads' CPU time) vary far less, so a second table
gives those too.

Reference: Radford et al., "Unsupervised Representation Learning with Deep Convolutional
Generative Adversarial Networks", ICLR 2016 (nets, Adam 2e-4 / beta_1 0.5, batch 64).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfgan_kit.models import GAN  # noqa: E402
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator  # noqa: E402

LATENT_DIM = 100
LEARNING_RATE = 2e-4
BETA_1 = 0.5


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


def synthetic_batches(shape: tuple[int, int, int], batch_size: int, num_batches: int = 8,
                      seed: int = 0) -> tf.data.Dataset:
    """A repeated dataset of ``num_batches`` batches of uniform random images in [-1, 1]."""
    images = tf.random.stateless_uniform(
        [num_batches, batch_size, *shape], seed=[seed, 0], minval=-1.0, maxval=1.0
    )
    return tf.data.Dataset.from_tensor_slices(images).repeat().prefetch(tf.data.AUTOTUNE)


def build_nets(shape: tuple[int, int, int]) -> tuple[keras.Model, keras.Model]:
    """Fresh DCGAN generator and discriminator for images of ``shape`` (default widths)."""
    size, _, channels = shape
    return (dcgan_generator(LATENT_DIM, image_size=size, channels=channels),
            dcgan_discriminator(image_size=size, channels=channels))


def adam() -> keras.optimizers.Optimizer:
    return keras.optimizers.Adam(LEARNING_RATE, beta_1=BETA_1)


class BaselineTrainer:
    """The keras-io DCGAN two-tape step, written out by hand, in a ``tf.function``."""

    def __init__(self, shape: tuple[int, int, int]):
        self.generator, self.discriminator = build_nets(shape)
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
    """``tfgan_kit.models.GAN`` trained with ``model.fit``, with or without XLA."""

    def __init__(self, shape: tuple[int, int, int], jit_compile: bool):
        generator, discriminator = build_nets(shape)
        self.model = GAN(generator, discriminator, latent_dim=LATENT_DIM)
        self.model.compile(g_optimizer=adam(), d_optimizer=adam(), jit_compile=jit_compile)

    def run(self, dataset: tf.data.Dataset, steps: int) -> float:
        """Takes ``steps`` steps in one ``fit`` epoch; returns the epoch's mean D loss."""
        history = self.model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
        return float(history.history["d_loss"][-1])


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


def benchmark_shape(shape, steps: int, repeats: int, warmup: int, batch_size: int) -> dict:
    """Images/s of baseline, fit and fit+XLA on one image shape, measured interleaved.

    Returns:
        ``{"wall" | "cpu": {"baseline" | "fit" | "fit_xla": [figure of each round]}}``: images
        per wall-clock second and images per CPU second.
    """
    dataset = synthetic_batches(shape, batch_size)
    trainers = {
        "baseline": BaselineTrainer(shape),
        "fit": FitTrainer(shape, jit_compile=False),
        "fit_xla": FitTrainer(shape, jit_compile=True),
    }
    for trainer in trainers.values():  # tracing and XLA compilation happen here
        trainer.run(dataset, warmup)
    figures = {clock: {name: [] for name in trainers} for clock in ("wall", "cpu")}
    for _ in range(repeats):
        for name, trainer in trainers.items():
            wall, cpu = images_per_second(trainer, dataset, steps, batch_size)
            figures["wall"][name].append(wall)
            figures["cpu"][name].append(cpu)
    return figures


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """Median over rounds of the ratio of two trainers measured back to back in that round."""
    return statistics.median(n / d for n, d in zip(numerator, denominator))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=30, help="timed steps per measurement")
    parser.add_argument("--repeats", type=int, default=7, help="measurements per trainer")
    parser.add_argument("--sizes", default="32x32x3,28x28x1", help="comma-separated HxWxC")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps before timing")
    parser.add_argument("--batch_size", type=int, default=64, help="images per step")
    parser.add_argument("--verbose", action="store_true", help="print every measurement")
    args = parser.parse_args()
    # Keras warns that fit's shuffle=True is ignored for a tf.data dataset; nothing to act on.
    warnings.filterwarnings("ignore", message=".*`shuffle=True` was passed.*")
    for name in ("steps", "repeats", "warmup", "batch_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1. Received: {getattr(args, name)}")
    try:
        sizes = parse_sizes(args.sizes)
    except ValueError as error:
        parser.error(str(error))

    print(f"TF {tf.__version__}, Keras {keras.__version__}; batch {args.batch_size}, "
          f"{args.steps} steps x {args.repeats} repeats (median), warm-up {args.warmup} steps")
    tables = {"wall": [], "cpu": []}
    for shape in sizes:
        figures = benchmark_shape(shape, args.steps, args.repeats, args.warmup, args.batch_size)
        config = "x".join(map(str, shape))
        for clock, table in tables.items():
            if args.verbose:
                for name, values in figures[clock].items():
                    print(f"  {config} {name:>8} images/{clock}-s by round: "
                          + " ".join(f"{v:.0f}" for v in values), flush=True)
            table.append(table_row(config, figures[clock]))
    print("\nImages per second (wall clock):")
    print(table_header("img/s"))
    print("\n".join(tables["wall"]))
    print("\nImages per CPU second (process CPU time, all threads; less sensitive to other load):")
    print(table_header("img/cpu-s"))
    print("\n".join(tables["cpu"]))


def table_header(unit: str) -> str:
    return (f"{'config':<10} {'baseline ' + unit:>19} {'fit ' + unit:>14} {'fit/base':>9} "
            f"{'fit+XLA ' + unit:>18} {'XLA/base':>9}")


def table_row(config: str, figures: dict[str, list[float]]) -> str:
    """One table row: median figures, and paired (same-round) median ratios against baseline."""
    median = {name: statistics.median(values) for name, values in figures.items()}
    return (f"{config:<10} {median['baseline']:>19.1f} {median['fit']:>14.1f} "
            f"{paired_ratio(figures['fit'], figures['baseline']):>8.2f}x "
            f"{median['fit_xla']:>18.1f} "
            f"{paired_ratio(figures['fit_xla'], figures['baseline']):>8.2f}x")


if __name__ == "__main__":
    main()
