"""Whether ``config.train.steps_per_execution`` > 1 speeds up a scheme's ``fit``: per config,
the same run built twice (``steps_per_execution`` 1, the baseline, and ``--value``), measured in
interleaved rounds in one process.

    nice python benchmarks/steps_per_execution.py                      # gan_ring, wgan_gp_ring, dcgan_digits
    nice python benchmarks/steps_per_execution.py --configs=gan_ring --value=20 --rounds=9

``steps_per_execution = k`` makes Keras run k train steps inside one call of its compiled train
function (a ``tf.while_loop`` over the iterator), so the Python round trip, the callbacks' batch
hooks and the host-side logs happen once per k steps instead of every step. It can only matter
where a step is short against that per-call overhead, e.g. the 2-D mixtures' small MLPs.

Each model is built as ``train.py`` builds it (``build_data``, ``registry.get_scheme``,
``check_batches``, the config's precision), then warmed up (tracing), then measured in rounds:
each round times one ``fit`` epoch of ``--steps`` steps of each model in turn (the pair's order
alternates), ending on a host read of the step counter. The input pipeline of both is the
config's, with tf.data's autotuning off (as in ``dcgan_step.py``: every ``fit`` call opens a new
iterator, and with autotuning on a fresh iterator can leave oneDNN kernels on one core).
Printed: median samples per wall second and per CPU second of each, and the median over rounds
of the paired ratio ``k / 1``.
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import importlib  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.schemes_speed import without_autotune  # noqa: E402

DEFAULT_CONFIGS = "gan_ring,wgan_gp_ring,dcgan_digits"


def build(config_name: str, steps_per_execution: int):
    """``(model, dataset, batch_size, policy)`` for ``configs/<config_name>.py`` with that
    ``steps_per_execution``, built as the trainer builds a scheme."""
    import keras

    from tfgan_kit import registry
    from tfgan_kit.training.precision import config_precision, dtype_policy
    from tfgan_kit.training.trainer import build_data, check_batches

    config = importlib.import_module(f"configs.{config_name}").get_config()
    config.train.steps_per_execution = steps_per_execution
    config.train.epochs = 10_000  # a long stream: the rounds never exhaust it
    policy = config_precision(config)[0]
    keras.utils.set_random_seed(config.seed)
    with dtype_policy(policy):
        spec = build_data(config, 0)
        model = registry.get_scheme(config.scheme)(config, spec)
    check_batches(model, spec, config)
    return model, without_autotune(spec.dataset), int(config.train.batch_size), policy


def timed_epoch(model, dataset, steps: int, policy: str) -> tuple[float, float]:
    """Wall and process-CPU seconds of one ``fit`` epoch of ``steps`` steps."""
    from tfgan_kit.training.precision import dtype_policy

    wall, cpu = time.perf_counter(), time.process_time()
    with dtype_policy(policy):
        model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
        int(model.step_count)  # host read: no queued work is left out
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(config_name: str, value: int, steps: int, rounds: int) -> dict:
    """Interleaved rounds of the config at ``steps_per_execution`` 1 and ``value``."""
    runs = {k: build(config_name, k) for k in (1, value)}
    for model, dataset, _, policy in runs.values():
        timed_epoch(model, dataset, steps, policy)  # warm-up: tracing
    figures = {k: {"wall": [], "cpu": []} for k in runs}
    for round_index in range(rounds):
        order = list(runs) if round_index % 2 == 0 else list(runs)[::-1]
        for k in order:
            model, dataset, batch, policy = runs[k]
            wall, cpu = timed_epoch(model, dataset, steps, policy)
            figures[k]["wall"].append(batch * steps / wall)
            figures[k]["cpu"].append(batch * steps / cpu)
    return {"figures": figures, "policy": runs[1][3], "batch": runs[1][2]}


def paired(numerator: list[float], denominator: list[float]) -> float:
    """Median over rounds of the ratio of two figures measured in the same round."""
    return statistics.median(n / d for n, d in zip(numerator, denominator))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default=DEFAULT_CONFIGS, help="comma-separated configs/ names")
    parser.add_argument("--value", type=int, default=10, help="steps_per_execution to compare")
    parser.add_argument("--steps", type=int, default=100, help="steps per timed epoch")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds")
    args = parser.parse_args()
    for name in ("value", "steps", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1. Received: {getattr(args, name)}")
    if args.steps % args.value:
        parser.error(f"--steps={args.steps} must be a multiple of --value={args.value}.")
    warnings.filterwarnings("ignore", message=".*`shuffle=True` was passed.*")
    print(f"steps_per_execution 1 vs {args.value}: {args.rounds} interleaved rounds of "
          f"{args.steps} steps (median)")
    print(f"{'config':<16}{'policy':>16}{'batch':>6}{'1: samples/s':>14}{'per cpu-s':>11}"
          f"{f'{args.value}: samples/s':>15}{'per cpu-s':>11}{'wall ratio':>11}{'cpu ratio':>10}")
    for config_name in [c for c in args.configs.split(",") if c]:
        result = measure(config_name, args.value, args.steps, args.rounds)
        one, k = result["figures"][1], result["figures"][args.value]
        print(f"{config_name:<16}{result['policy']:>16}{result['batch']:>6}"
              f"{statistics.median(one['wall']):>14.1f}{statistics.median(one['cpu']):>11.1f}"
              f"{statistics.median(k['wall']):>15.1f}{statistics.median(k['cpu']):>11.1f}"
              f"{paired(k['wall'], one['wall']):>10.2f}x{paired(k['cpu'], one['cpu']):>9.2f}x",
              flush=True)


if __name__ == "__main__":
    main()
