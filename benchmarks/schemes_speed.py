"""Train-step throughput and peak memory of every registered scheme and task, in one table.

    nice python benchmarks/schemes_speed.py                # every scheme, as its config sets it
    nice python benchmarks/schemes_speed.py --schemes=gan,wgan_gp --steps=20 --precision=float32

The regression yardstick for the schemes (issue 16). Each row is one scheme (or supervised task)
of :mod:`tfgan_kit.registry` on its default small config, chosen by :func:`choose_config`: the
first of ``configs/<name>_ring.py``, ``_digits``, ``_shapes``, ``_sort_of_clevr_lstm`` that
exists; the GAN also gets a ``dcgan_digits`` row (the default job). Every row runs in a fresh
subprocess (so its memory figures are its own) that builds the run as ``train.py`` does: the
data spec and the compiled scheme from :mod:`tfgan_kit.training.trainer` (``build_data``,
``registry.get_scheme``, ``check_batches``) under the dtype policy of ``--precision``
(:mod:`tfgan_kit.training.precision`; ``config``, the default: the config's own
``train.precision``, else the trainer's default ``auto``); a task through its registered builder
(the trainer applies no precision to tasks: their rows are float32). Then ``model.fit`` runs
one warm-up epoch of ``--steps`` steps (fewer when one pass over the config's data is shorter;
tracing, not timed), then timed epochs of as many steps, each ending on a host read of the step
counter, until at least ``--rounds`` epochs and ``--min_seconds`` of wall time (at most 40
epochs: fast MLP steps need many for a readable time). The trainer's callbacks (samples,
TensorBoard, checkpoints) are left out, so this is the train step and its input pipeline only.
A progressive GAN stays in its first (4x4) phase: its growth callbacks are not attached.

Columns: samples/s = ``config.train.batch_size`` x timed steps / wall seconds, i.e. real
examples consumed (one ``fit`` step is one generator update; the WGAN configs' batch holds all
``n_critic`` critic minibatches of the step); per CPU
second = the same over the process CPU time (user + system, all threads); ``wall/base`` and
``cpu/base`` = the row's samples/s over the ``gan (gan_ring)`` row's of the same invocation
(ratios, not absolute timings, are what compare across machines; on a loaded machine the wall
figures swing with the other jobs' load, the per-CPU-second ones much less). Memory: ``TF peak``
is ``tf.config.experimental.get_memory_info("CPU:0")["peak"]`` (TensorFlow's CPU allocator:
tensors and variables; reset after the warm-up epoch, so it is the timed training's peak),
``RSS +`` the growth of the process's maximum resident set (``resource.getrusage(...)
.ru_maxrss``) from just before the build to the end (nets, optimizer state, traced functions,
input pipeline, allocator caches; tracemalloc would miss TensorFlow's allocations).
tf.data's autotuning is off for the timed data, as in ``benchmarks/dcgan_step.py``.
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import keras  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

CONFIG_SUFFIXES = ("ring", "digits", "shapes", "sort_of_clevr_lstm")
EXTRA_ROWS = (("gan", "dcgan_digits"),)
BASELINE = ("gan", "gan_ring")
RESULT_PREFIX = "RESULT "
MAX_ROUNDS = 40

__all__ = ["choose_config", "plan_rows", "format_table", "samples_per_second", "measure",
           "EpochClock", "enough_rounds", "without_autotune"]


def without_autotune(dataset):
    """``dataset`` with tf.data's autotuning off, for timed ``fit`` calls.

    Each ``fit`` call opens a fresh iterator, and under autotuning a fresh iterator can leave the
    oneDNN kernels serial for a whole call (README, Performance: the benchmarks' serial
    artefact); the trainer's single iterator is not affected.
    """
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def choose_config(name: str, config_names) -> str:
    """The default small config of scheme or task ``name``: the first ``<name>_<suffix>`` of
    :data:`CONFIG_SUFFIXES` among ``config_names`` (``wgan`` is ``wgan_ring``, not
    ``wgan_gp_ring``).

    Raises:
        ValueError: when ``name`` has none, naming the files looked for.
    """
    for suffix in CONFIG_SUFFIXES:
        if f"{name}_{suffix}" in config_names:
            return f"{name}_{suffix}"
    looked = ", ".join(f"configs/{name}_{s}.py" for s in CONFIG_SUFFIXES)
    raise ValueError(f"No small config for {name!r}: add one of {looked}.")


def plan_rows(names, config_names, wanted=None) -> list[tuple[str, str]]:
    """``(name, config)`` rows: the baseline first, then every name (and :data:`EXTRA_ROWS`)
    sorted; ``wanted`` (names) keeps only those, plus the baseline.

    Raises:
        ValueError: for a wanted name that is not registered, listing the registered ones.
    """
    names = sorted(names)
    if wanted is not None:
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            raise ValueError(f"Unknown scheme(s) {unknown} in --schemes: registered are {names}.")
        names = [n for n in names if n in wanted]
    rows = [(n, choose_config(n, config_names)) for n in names]
    rows += [row for row in EXTRA_ROWS if row[0] in names and row[1] in config_names]
    rows = sorted(set(rows) - {BASELINE})
    return [BASELINE, *rows]


def samples_per_second(batch_size: int, steps: int, seconds: float) -> float:
    """``batch_size * steps / seconds``.

    Raises:
        ValueError: when ``seconds`` is not positive.
    """
    if seconds <= 0:
        raise ValueError(f"Elapsed seconds must be > 0. Received: {seconds}")
    return batch_size * steps / seconds


def format_table(results: list[dict]) -> str:
    """The table: one line per result dict (``name``, ``config``, ``policy``, ``batch``,
    ``wall_s``, ``cpu_s``, ``steps``, ``tf_peak_mb``, ``rss_mb``; or ``error``), the samples/s
    (wall and per CPU second) as ratios to the first result's (the baseline)."""
    header = (f"{'scheme (config)':<34s}{'policy':>15s}{'batch':>6s}{'samples/s':>11s}"
              f"{'per cpu-s':>11s}{'wall/base':>10s}{'cpu/base':>9s}{'TF peak MB':>11s}"
              f"{'RSS + MB':>10s}")
    lines = [header]
    base = None
    for result in results:
        label = f"{result['name']} ({result['config']})"
        if "error" in result:
            lines.append(f"{label:<34s}  failed: {result['error']}")
            continue
        wall = samples_per_second(result["batch"], result["steps"], result["wall_s"])
        cpu = samples_per_second(result["batch"], result["steps"], result["cpu_s"])
        if base is None:
            base = (wall, cpu)
        lines.append(f"{label:<34s}{result['policy']:>15s}{result['batch']:6d}{wall:11.1f}"
                     f"{cpu:11.1f}{wall / base[0]:9.2f}x{cpu / base[1]:8.2f}x"
                     f"{result['tf_peak_mb']:11.1f}{result['rss_mb']:10.1f}")
    return "\n".join(lines)


def _max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: kilobytes


def measure(config_name: str, steps: int, rounds: int, precision: str,
            min_seconds: float) -> dict:
    """Builds ``configs/<config_name>.py`` as the trainer does and times epochs of ``steps`` fit
    steps (fewer if one pass over the data is shorter) after one warm-up epoch, until at least
    ``rounds`` epochs and ``min_seconds`` wall seconds (at most :data:`MAX_ROUNDS` epochs). Run
    it in a fresh process."""
    import importlib

    import tensorflow as tf

    from tfgan_kit import registry
    from tfgan_kit.training.precision import config_precision, detect_precision, dtype_policy
    from tfgan_kit.training.tasks import is_task_config
    from tfgan_kit.training.trainer import (build_data, check_batches, steps_per_call,
                                            steps_per_epoch)

    config = importlib.import_module(f"configs.{config_name}").get_config()
    rss_before = _max_rss_mb()
    keras.utils.set_random_seed(config.seed)
    if is_task_config(config):
        policy = "float32"
        task = registry.get_task(config.task)(config)
        model, data = task.model, task.train
        steps = min(steps, task.steps_per_epoch)
    else:
        config.train.epochs = 1 + MAX_ROUNDS
        policy = (config_precision(config) if precision == "config"
                  else detect_precision(precision))[0]
        with dtype_policy(policy):
            spec = build_data(config, 0)
            model = registry.get_scheme(config.scheme)(config, spec)
        check_batches(model, spec, config)
        data = spec.dataset
        steps = min(steps, steps_per_epoch(config, spec))
        model.steps_per_execution = steps_per_call(config, steps)  # as the trainer: exact epochs
    if isinstance(data, tf.data.Dataset):
        data = without_autotune(data)
    clock = EpochClock(rounds, min_seconds)
    with dtype_policy(policy):
        model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)  # warm-up: tracing
        read_counter(model)
        tf.config.experimental.reset_memory_stats("CPU:0")
        model.fit(data, epochs=MAX_ROUNDS, steps_per_epoch=steps, verbose=0, callbacks=[clock])
    return {"config": config_name, "policy": policy, "batch": int(config.train.batch_size),
            "steps": steps * len(clock.times), "wall_s": sum(w for w, _ in clock.times),
            "cpu_s": sum(c for _, c in clock.times),
            "tf_peak_mb": tf.config.experimental.get_memory_info("CPU:0")["peak"] / 2**20,
            "rss_mb": _max_rss_mb() - rss_before}


class EpochClock(keras.callbacks.Callback):
    """Records (wall, process CPU) seconds of each epoch, ended on a host read of the step
    counter (so no queued work is left out); stops ``fit`` once at least ``min_rounds`` epochs
    and ``min_seconds`` of wall time are recorded."""

    def __init__(self, min_rounds: int = 1, min_seconds: float = 0.0):
        super().__init__()
        self.min_rounds = min_rounds
        self.min_seconds = min_seconds
        self.times: list[tuple[float, float]] = []
        self._start = (0.0, 0.0)

    def on_epoch_begin(self, epoch, logs=None):
        self._start = (time.perf_counter(), time.process_time())

    def on_epoch_end(self, epoch, logs=None):
        read_counter(self.model)
        self.times.append((time.perf_counter() - self._start[0],
                           time.process_time() - self._start[1]))
        if enough_rounds(self.times, self.min_rounds, self.min_seconds):
            self.model.stop_training = True


def read_counter(model) -> int:
    """The scheme's ``step_count`` (a task's optimizer iterations), read on the host."""
    counter = getattr(model, "step_count", None)
    return int(counter if counter is not None else model.optimizer.iterations)


def enough_rounds(times, min_rounds: int, min_seconds: float) -> bool:
    """Whether the recorded ``(wall, cpu)`` epochs are at least ``min_rounds`` and their wall
    seconds add up to at least ``min_seconds``."""
    return len(times) >= min_rounds and sum(wall for wall, _ in times) >= min_seconds


def run_child(name: str, config_name: str, args) -> dict:
    """Runs :func:`measure` for one row in a fresh interpreter; its result dict, or ``error``."""
    command = [sys.executable, os.path.abspath(__file__), f"--child={config_name}",
               f"--steps={args.steps}", f"--rounds={args.rounds}",
               f"--precision={args.precision}", f"--min_seconds={args.min_seconds}"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return {"name": name, **json.loads(line[len(RESULT_PREFIX):])}
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"name": name, "config": config_name, "error": tail[:120]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemes", default="", help="comma-separated names (default: all)")
    parser.add_argument("--steps", type=int, default=15, help="fit steps per epoch")
    parser.add_argument("--rounds", type=int, default=2,
                        help="least timed epochs after the warm-up")
    parser.add_argument("--min_seconds", type=float, default=4.0,
                        help="least timed wall seconds per row (more epochs, up to 40)")
    parser.add_argument("--precision", default="config",
                        help="config (each config's own) | float32 | mixed_bfloat16 | "
                             "mixed_float16 | auto")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.steps < 1 or args.rounds < 1:
        sys.exit(f"error: --steps and --rounds must be >= 1 (got {args.steps}, {args.rounds}).")
    if args.child:
        result = measure(args.child, args.steps, args.rounds, args.precision,
                         args.min_seconds)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return

    from tfgan_kit import registry
    from tfgan_kit.training.precision import check_precision

    if args.precision != "config":
        check_precision(args.precision)
    config_names = {f[:-3] for f in os.listdir(os.path.join(ROOT, "configs"))
                    if f.endswith(".py")}
    wanted = [s for s in args.schemes.split(",") if s] or None
    try:
        rows = plan_rows([*registry.registered_schemes(), *registry.registered_tasks()],
                         config_names, wanted)
    except ValueError as error:
        sys.exit(f"error: {error}")
    started = time.perf_counter()
    results = []
    for name, config_name in rows:
        results.append(run_child(name, config_name, args))
        print(f"{name} ({config_name}) done", flush=True)
    print(f"\n--precision={args.precision}, epochs of {args.steps} steps (fewer if the data "
          f"is shorter), timed: >= {args.rounds} epochs and >= {args.min_seconds:g} s after a "
          f"warm-up epoch; load average {os.getloadavg()[0]:.1f}; "
          f"{time.perf_counter() - started:.0f} s in all")
    print(format_table(results))


if __name__ == "__main__":
    main()
