"""Progressive GAN training throughput per resolution, and the cost ratio per doubling.

    nice python benchmarks/pggan_growth.py [--resolution=32] [--fmap_base=1024] [--fmap_max=64]
        [--batch=32] [--steps=30] [--jit]

For each resolution 4, 8, ..., the scheme is put at the start of that resolution's fade-in and
of its stabilisation phase (by setting the images-shown counter), one warm-up ``fit`` compiles
the phase's step, and a second ``fit`` of ``--steps`` steps is timed. Prints images/s per phase
and, as the same-run baseline, the ratio of each resolution's stabilisation step time to the
previous resolution's (the cost of one doubling; ~4x when compute scales with pixels).
"""

import argparse
import os
import time

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfgan_kit.models.progressive import ProgressiveGAN  # noqa: E402
from tfgan_kit.nets.progressive import ProgressiveDiscriminator, ProgressiveGenerator  # noqa: E402
from tfgan_kit.models.growth import GrowthSchedule  # noqa: E402


def build(args) -> ProgressiveGAN:
    keras.utils.set_random_seed(0)
    nets = dict(resolution=args.resolution, channels=args.channels, fmap_base=args.fmap_base,
                fmap_max=args.fmap_max)
    latent_dim = min(args.fmap_base, args.fmap_max)
    phase = 1_000_000_000  # long phases: the counter is set by hand below
    model = ProgressiveGAN(ProgressiveGenerator(latent_dim=latent_dim, **nets),
                           ProgressiveDiscriminator(**nets), latent_dim,
                           GrowthSchedule(args.resolution, phase, phase))
    adam = lambda: keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8)  # noqa: E731
    model.compile(g_optimizer=adam(), d_optimizer=adam(), jit_compile=args.jit)
    return model


def time_phase(model, dataset, images_shown: int, steps: int, batch: int) -> float:
    """Images/s of ``steps`` training steps starting at ``images_shown`` (after a warm-up)."""
    model.images_shown.assign(images_shown)
    model.fit(dataset, epochs=1, steps_per_epoch=2, verbose=0)  # trace / compile this phase
    model.images_shown.assign(images_shown)
    start = time.perf_counter()
    model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    return steps * batch / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", type=int, default=32)
    parser.add_argument("--channels", type=int, default=1)
    parser.add_argument("--fmap_base", type=int, default=1024)
    parser.add_argument("--fmap_max", type=int, default=64)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--jit", action="store_true", help="XLA-compile the train step")
    args = parser.parse_args()

    model = build(args)
    images = np.random.default_rng(0).uniform(
        -1, 1, (args.batch, args.resolution, args.resolution, args.channels)).astype(np.float32)
    dataset = tf.data.Dataset.from_tensors(images).repeat()
    schedule = model.schedule
    print(f"pggan growth benchmark: final {args.resolution}x{args.resolution}x{args.channels}, "
          f"fmap_base {args.fmap_base}, fmap_max {args.fmap_max}, batch {args.batch}, "
          f"{args.steps} timed steps, jit={args.jit}")
    print(f"{'resolution':>10} {'fade-in img/s':>14} {'stable img/s':>13} {'cost x prev':>12}")
    previous = None
    for level in range(schedule.num_levels):
        side = 4 * 2**level
        fade = None
        if level > 0:
            fade = time_phase(model, dataset, schedule.fade_start(level), args.steps, args.batch)
            stable_start = schedule.fade_start(level) + schedule.fade_images
        else:
            stable_start = 0
        stable = time_phase(model, dataset, stable_start, args.steps, args.batch)
        ratio = "" if previous is None else f"{previous / stable:.2f}"
        fade_text = "-" if fade is None else f"{fade:.0f}"
        print(f"{side:>10} {fade_text:>14} {stable:>13.0f} {ratio:>12}")
        previous = stable


if __name__ == "__main__":
    main()
