"""`train_and_evaluate(config, workdir, strategy)`: the library side of ``train.py``.

Made of small named steps: build the data spec (resuming at the backed-up epoch), build and
compile the scheme for it inside the strategy scope, assemble the callbacks, ``fit``, save the
final ``.keras`` model and export the scheme's serving endpoints. The scheme and the data set are
looked up by name in :mod:`tfgan_kit.registry`; nothing here knows a scheme's or a data set's
internals: what a batch holds, its shapes and reference points come from the data spec.

Workdir layout: ``checkpoints/`` (resume state, the last two completed epochs), ``config.json``
(the run's config), ``.lock`` (held while a run is on), ``samples/epoch_XXXX.png`` with
``samples/progress.png``, ``progress.gif`` and ``history.json`` (per-epoch logs),
``tensorboard/``, ``model.keras`` (final model, loadable with ``safe_mode=True``).
"""

from __future__ import annotations

import os
import re
import sys
import time

import keras
import tensorflow as tf

from tfgan_kit import registry
from tfgan_kit.data import DataSpec
from tfgan_kit.distribute import is_multi_worker
from tfgan_kit.errors import UserError
from tfgan_kit.export import export_model
from tfgan_kit.files import write_atomically
from tfgan_kit.metrics.mode_coverage import PACGAN_NUM_SAMPLES
from tfgan_kit.optimizers import check_learning_rate
from tfgan_kit.preflight import check_export_dir, check_workdir
from tfgan_kit.training.callbacks import EpochLogs, ModeCoverageLog, NaNGuard, ProgressFigures
from tfgan_kit.training.callbacks import SampleGrid
from tfgan_kit.training.precision import check_precision, config_precision
from tfgan_kit.training.precision import check_resume_precision, dtype_policy
from tfgan_kit.training.schedules import apply_learning_rates, check_decay_start
from tfgan_kit.training.schedules import learning_rate_decay
from tfgan_kit.training.checkpoints import RunCheckpoint, checkpoint_config, latest_readable
from tfgan_kit.training.report import banner_lines, summary_lines
from tfgan_kit.training.tasks import TaskRun, is_task_config
from tfgan_kit.training.workdir import WorkdirLock, config_json, flat_config, read_config
from tfgan_kit.training.workdir import export_run, reconcile_config, write_config
from tfgan_kit.training.workdir import write_json_tree

TRAIN_KEYS = {
    "batch_size", "epochs", "steps_per_epoch", "steps_per_execution", "jit_compile",
    "sample_every_epochs", "num_samples", "verbose", "decay_start_epoch", "precision",
}  # plus one `<name>_optimizer` per optimizer of the scheme


def check_config(config) -> None:
    """Rejects a config without the sections every experiment needs, or unknown train keys.

    Raises:
        ValueError: naming the missing section or the unknown key and the valid ones.
    """
    for section in ("scheme", "seed", "data", "model", "train"):
        if section not in config:
            raise UserError(
                f"The config has no `{section}` entry: start from a file in configs/ "
                "(e.g. configs/dcgan_digits.py)."
            )
    registry.get_scheme(config.scheme)
    registry.get_dataset(config.data.name)
    unknown = {k for k in config.train.keys() if not k.endswith("_optimizer")} - TRAIN_KEYS
    if unknown:
        raise UserError(
            f"Unknown key(s) {sorted(unknown)} in config.train: valid keys are "
            f"{sorted(TRAIN_KEYS)} and one `<name>_optimizer` per optimizer of the scheme."
        )
    train = config.train
    for key in sorted(k for k in train.keys() if k.endswith("_optimizer")):  # before any data
        if hasattr(train[key], "get"):
            check_learning_rate(train[key].get("learning_rate", 1e-3), f"config.train.{key}")
    for key, low in (("epochs", 1), ("batch_size", 1), ("sample_every_epochs", 1),
                     ("num_samples", 1)):
        if not isinstance(train.get(key), int) or train[key] < low:
            raise UserError(f"config.train.{key} must be an integer >= {low}. Received: "
                            f"{train.get(key)!r}")
    if str(train.get("verbose", "auto")) not in ("auto", "0", "1", "2"):
        raise UserError("config.train.verbose must be 'auto' (a progress bar on a terminal, one "
                        f"line per epoch otherwise), 0, 1 or 2. Received: {train.verbose!r}")
    if train.steps_per_epoch is not None and (
            not isinstance(train.steps_per_epoch, int) or train.steps_per_epoch < 1):
        raise UserError("config.train.steps_per_epoch must be a positive integer, or None for "
                        f"one pass over the data. Received: {train.steps_per_epoch!r}")
    k = train.get("steps_per_execution", 1)
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise UserError("config.train.steps_per_execution must be a positive integer (train "
                        f"steps per call of Keras' train function). Received: {k!r}")
    if train.get("decay_start_epoch") is not None:
        check_decay_start(train.decay_start_epoch, train.epochs)
    if train.get("precision") is not None:
        check_precision(train.precision)
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if config.train.batch_size % replicas:
        raise UserError(
            f"config.train.batch_size={config.train.batch_size} must be divisible by the "
            f"{replicas} replicas: use a multiple of {replicas}."
        )


def workdir_paths(workdir: str) -> dict[str, str]:
    """The files and folders a run writes under ``workdir``."""
    return {
        "checkpoints": os.path.join(workdir, "checkpoints"),
        "config": os.path.join(workdir, "config.json"),
        "samples": os.path.join(workdir, "samples"),
        "tensorboard": os.path.join(workdir, "tensorboard"),
        "model": os.path.join(workdir, "model.keras"),
    }


def build_data(config, start_epoch: int) -> DataSpec:
    """The :class:`DataSpec` of the config's data: the resumable stream of epochs
    ``start_epoch .. train.epochs - 1`` and what its batches hold."""
    builder = registry.get_dataset(config.data.name)
    return builder(config, config.train.batch_size, epochs=config.train.epochs,
                   start_epoch=start_epoch, steps_per_epoch=config.train.steps_per_epoch)


def steps_per_epoch(config, spec: DataSpec) -> int:
    """Batches per epoch: ``train.steps_per_epoch`` or every full batch of one pass over the data.

    Raises:
        ValueError: when neither is known (data-free schemes need ``steps_per_epoch``).
    """
    if config.train.steps_per_epoch:
        return int(config.train.steps_per_epoch)
    count = spec.steps_per_epoch(config.train.batch_size)
    if not count:
        raise UserError(
            "The number of batches per epoch is unknown: set config.train.steps_per_epoch."
        )
    return count


def steps_per_call(config, steps: int,
                   strategy: tf.distribute.Strategy | None = None) -> int:
    """The train steps per call of Keras' train function for epochs of ``steps`` steps: the
    largest divisor of ``steps`` that is at most ``train.steps_per_execution``; 1 on several
    replicas (``strategy``), where Keras' multi-step loop fails ("You must feed a value for
    placeholder tensor" in ``multi_step_on_iterator``, Keras 3.15; keras-team/keras#19246).

    Keras runs whole calls of ``steps_per_execution`` steps, so a value that does not divide the
    epoch would read past the epoch's batches and move its end (samples, checkpoints, the rate
    decay) into the next one. A divisor keeps every epoch exact; the steps are the same either
    way (every seeded draw is keyed on the step count), only the calls are fewer.
    """
    strategy = strategy or tf.distribute.get_strategy()
    several = strategy.num_replicas_in_sync > 1 or is_multi_worker(strategy)
    k = 1 if several else int(config.train.get("steps_per_execution", 1))
    return max(d for d in range(1, min(k, steps) + 1) if steps % d == 0)


def progress_verbosity(setting) -> int:
    """Keras ``fit`` verbosity: ``"auto"`` is a progress bar (1) when stdout is a terminal and one
    line per epoch (2) when it is a file or a pipe (a bar's carriage returns clutter logs)."""
    if setting == "auto":
        return 1 if sys.stdout.isatty() else 2
    return int(setting)


def say(lines) -> None:
    """Prints run messages to stdout, flushed (they interleave with Keras' progress lines)."""
    print("\n".join([lines] if isinstance(lines, str) else lines), flush=True)


def saved_run_config(checkpoint_path: str | None, config_path: str) -> dict | None:
    """The config a resumed run is compared with, flattened: the one its checkpoint carries,
    else ``config.json``'s; ``None`` for a fresh run."""
    if checkpoint_path is None:
        return None
    return flat_config(checkpoint_config(checkpoint_path)) or read_config(config_path)


def build_scheme(config, spec: DataSpec) -> keras.Model:
    """The config's scheme, built and compiled by its registered builder (in the caller's
    strategy scope).

    Raises:
        ValueError: when the config lacks a setting the scheme's builder reads (a config of
            another scheme, e.g. ``--config.scheme=pix2pix`` on a ring config).
    """
    try:
        return registry.get_scheme(config.scheme)(config, spec)
    except (AttributeError, KeyError) as error:  # ConfigDict's: "'name'" (a missing key)
        match = re.fullmatch(r"""["']*(\w+)["']*""", str(error))
        if match is None:
            raise
        key = match.group(1)
        raise UserError(
            f"Scheme {config.scheme!r} needs the setting {key!r}, which this config lacks: "
            f"start from a config of that scheme (configs/{config.scheme}_*.py) instead of "
            "changing config.scheme."
        ) from None


def check_batches(model, spec: DataSpec, config) -> None:
    """Rejects data whose batches the scheme cannot train on, naming what it needs.

    Raises:
        ValueError: when ``spec.kind`` is not in ``model.batch_kinds``.
    """
    if spec.kind not in model.batch_kinds:
        raise UserError(
            f"Scheme {config.scheme!r} trains on {' or '.join(model.batch_kinds)} batches, but "
            f"data set {config.data.name!r} gives {spec.kind} batches: choose a matching "
            "config.data."
        )


def check_paths(workdir: str, export_dir: str | None) -> None:
    """Refuses an unusable ``workdir`` or ``export_dir`` before any training.

    Raises:
        ValueError: naming the path and the fix.
    """
    if export_dir:  # first: nothing is created for a run that cannot export
        check_export_dir(export_dir, workdir)
    check_workdir(workdir)


def build_callbacks(config, model, workdir: str, spec: DataSpec,
                    checkpoint: RunCheckpoint) -> list[keras.callbacks.Callback]:
    """The learning rates of the epoch (the config's decay times the scheme's
    ``learning_rate_factor``), the NaN guard (nothing of a diverged epoch is written), and the
    checkpoint last.

    Between them, in the order Keras hands each one the epoch's logs: the scheme's
    ``epoch_logs``, the sample picture, the mode coverage of 2-D mixtures (added to the logs, so
    before TensorBoard and the progress figures that read them), ``samples/progress.png`` +
    ``progress.gif`` (after the picture they animate), TensorBoard. The checkpoint closes an
    epoch: the
    epoch's samples and logs are written before it, so a run killed in between retrains that
    epoch (rewriting the same samples) and no epoch that the checkpoint counts as done lacks its
    picture.
    """
    paths = workdir_paths(workdir)
    return [
        *learning_rate_decay(config, model),
        NaNGuard(),
        EpochLogs(),  # the scheme's own per-epoch values, before everything that reads logs
        SampleGrid(
            paths["samples"],
            num_samples=config.train.num_samples,
            every_epochs=config.train.sample_every_epochs,
            seed=config.seed,
            spec=spec,
            tensorboard_dir=os.path.join(paths["tensorboard"], "samples"),
            title=config.scheme,
        ),
        ModeCoverageLog(spec, num_samples=PACGAN_NUM_SAMPLES, seed=config.seed),
        ProgressFigures(paths["samples"], title=config.scheme),
        keras.callbacks.TensorBoard(paths["tensorboard"], update_freq="epoch"),
        checkpoint,
    ]


class TrainingInterrupted(RuntimeError):
    """Ctrl-C during ``fit``: nothing half-written; the message says where the run stands."""


def save_model(model, path: str) -> None:
    """``model.save`` to a temporary file renamed over ``path``: never a half-written file."""
    write_atomically(path, model.save)


def train_and_evaluate(config, workdir: str, strategy: tf.distribute.Strategy | None = None,
                       export_dir: str | None = None) -> keras.Model:
    """Trains the config's scheme with ``model.fit``, resuming from ``workdir``'s last checkpoint.

    Holds the workdir lock for the whole run. A resumed run restores the newest readable
    checkpoint (nets, optimizers, scheme state, epoch), refuses config changes that alter what it
    holds, and applies changed learning rates, epochs and sampling settings (one line lists them).
    The nets are built and trained under the Keras dtype policy of ``config.train.precision``
    (:mod:`tfgan_kit.training.precision`; ``auto`` when absent); the caller's global policy is
    restored on return.

    Args:
        config: an experiment ``ConfigDict`` (see ``configs/``).
        workdir: output and resume folder.
        strategy: a ``tf.distribute.Strategy``; ``None`` uses the default strategy.
        export_dir: if given, the scheme's serving endpoints are exported there (SavedModel).

    Returns:
        The trained model.

    Raises:
        ValueError: for a bad config, path or checkpoint, a config change that cannot be
            resumed, or a workdir in use by another run.
        tfgan_kit.training.NonFiniteLossError: when a loss diverges (the last good checkpoint
            stays).
        TrainingInterrupted: on Ctrl-C (the last completed epoch's checkpoint stays).
    """
    strategy = strategy or tf.distribute.get_strategy()
    run = TaskRun(config) if is_task_config(config) else SchemeRun(config)
    with strategy.scope():
        run.check_config()
    check_paths(workdir, export_dir)
    policy, reason = run.precision()
    with dtype_policy(policy):  # before the nets are built; the caller's policy is restored
        return _train(run, config, workdir, strategy, export_dir, reason)


class SchemeRun:
    """What :func:`_train` needs of an adversarial scheme: its config check and precision, the
    data spec and the compiled scheme, the callbacks (samples, coverage, progress figures), and
    at the end ``model.keras``, the export of its serving endpoints and the summary."""

    by_order = False  # the scheme's variables are saved by their object graph

    def __init__(self, config):
        self.config = config
        self.spec = None

    def check_config(self) -> None:
        check_config(self.config)

    def check_workdir(self, checkpoints: str) -> None:
        """Nothing to refuse: every scheme checkpoint layout so far is resumable."""

    def precision(self) -> tuple[str, str]:
        return config_precision(self.config)

    def check_resume(self, saved: dict | None, workdir: str) -> None:
        check_resume_precision((saved or {}).get("train.precision"),
                               keras.config.dtype_policy().name, workdir)

    def build(self, start_epoch: int, strategy) -> tuple[keras.Model, tf.data.Dataset, int]:
        config = self.config
        self.spec = build_data(config, start_epoch)
        steps = steps_per_epoch(config, self.spec)
        keras.utils.set_random_seed(config.seed)  # initial weights are a function of the seed
        with strategy.scope():
            model = build_scheme(config, self.spec)
        model.steps_per_execution = steps_per_call(config, steps, strategy)  # before fit
        check_batches(model, self.spec, config)
        return model, self.spec.dataset, steps

    def check_restored(self, model, checkpoint_path: str, start_epoch: int, steps: int) -> None:
        if model.steps_done() != start_epoch * steps:
            raise UserError(
                f"{checkpoint_path} is inconsistent: {start_epoch} epochs of {steps} steps but "
                f"{model.steps_done()} steps recorded. Move {os.path.dirname(checkpoint_path)} "
                "away to start afresh.")

    def banner(self, model, strategy, workdir: str, steps: int, start_epoch: int,
               precision_reason: str) -> list[str]:
        return banner_lines(self.config, model, self.spec, strategy, workdir, steps, start_epoch,
                            precision_reason=precision_reason)

    def callbacks(self, model, workdir: str, checkpoint) -> list[keras.callbacks.Callback]:
        return build_callbacks(self.config, model, workdir, self.spec, checkpoint)

    def finish(self, model, workdir: str, export_dir: str | None, history, elapsed, trained: int,
               verbosity: int) -> None:
        path = workdir_paths(workdir)["model"]
        if trained or not os.path.exists(path):
            save_model(model, path)
        if export_dir:
            if verbosity:
                say(f"exporting the serving endpoints to {export_dir} ...")
            started = time.perf_counter()
            export_run(export_dir, workdir, lambda folder: export_model(model, folder))
            if verbosity:
                say(f"exported {', '.join(model.serving_endpoints())} in "
                    f"{time.perf_counter() - started:.1f} s")
        if verbosity:
            say(summary_lines(self.config, model, self.spec, workdir, export_dir, history,
                              elapsed, trained))


def _train(run, config, workdir: str, strategy: tf.distribute.Strategy, export_dir: str | None,
           precision_reason: str) -> keras.Model:
    """The one training loop of :func:`train_and_evaluate`, for a scheme or a task (``run``),
    under the run's dtype policy."""
    os.makedirs(workdir, exist_ok=True)
    paths = workdir_paths(workdir)
    verbosity = progress_verbosity(config.train.get("verbose", "auto"))
    with WorkdirLock(workdir):
        run.check_workdir(paths["checkpoints"])
        checkpoint_path, start_epoch = latest_readable(paths["checkpoints"])
        saved = saved_run_config(checkpoint_path, paths["config"])
        if checkpoint_path is not None:
            run.check_resume(saved, workdir)
        applied = reconcile_config(config, saved, workdir)
        if applied:  # printed even at verbose 0: the run differs from the one on disk
            say("resuming with changed settings: " + "; ".join(applied))
        model, dataset, steps = run.build(start_epoch, strategy)
        with strategy.scope():  # a by-order checkpoint builds the optimizer's slots here
            checkpoint = RunCheckpoint(paths["checkpoints"], config_json=config_json(config),
                                       by_order=run.by_order)
            if run.by_order:
                checkpoint.attach(model)
        if checkpoint_path is not None:
            checkpoint.restore(model, checkpoint_path)
            run.check_restored(model, checkpoint_path, start_epoch, steps)
            apply_learning_rates(model, config)
        epochs = config.train.epochs
        if start_epoch < epochs:  # only now: a failed restore keeps the old record
            write_config(config, paths["config"])
        elif saved is not None and not os.path.exists(paths["config"]):
            write_json_tree(checkpoint_config(checkpoint_path), paths["config"])
        if start_epoch > epochs:  # printed even at verbose 0, as the changed settings
            say(f"note: the run in {workdir} has {start_epoch} epochs done, more than "
                f"config.train.epochs={epochs}: nothing to train; its config.json still "
                "records the run as trained.")
        if verbosity:  # verbose 0 is silent, as in Keras: no banner, no summary
            say(run.banner(model, strategy, workdir, steps, start_epoch, precision_reason))
        history, elapsed, trained = None, None, 0
        if start_epoch < epochs:
            started = time.perf_counter()
            try:
                history = model.fit(
                    dataset,
                    epochs=epochs,
                    initial_epoch=start_epoch,
                    steps_per_epoch=steps,
                    callbacks=run.callbacks(model, workdir, checkpoint),
                    verbose=verbosity,
                    shuffle=False,  # the stream is already shuffled, per epoch and seeded
                )
            except KeyboardInterrupt:
                done = latest_readable(paths["checkpoints"])[1]
                step = (f" (step {model.steps_done()})" if hasattr(model, "steps_done") else "")
                raise TrainingInterrupted(
                    f"interrupted at epoch {done + 1}{step}; rerun the same command to resume "
                    f"from the end of epoch {done}."
                ) from None
            elapsed, trained = time.perf_counter() - started, epochs - start_epoch
        run.finish(model, workdir, export_dir, history, elapsed, trained, verbosity)
    return model
