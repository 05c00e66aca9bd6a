"""Supervised tasks: plain ``keras.Model``s (VQA, ...) trained by ``train.py`` beside the schemes.

A config with a ``task`` entry (instead of ``scheme``) names a builder registered with
:func:`tfgan_kit.registry.register_task`; the builder returns a :class:`SupervisedTask` (a
compiled model, its training stream, how to report and export it), and :func:`train_task` runs
it: workdir lock, saved config and crash-safe checkpoints as for schemes (one checkpoint per
completed epoch under ``workdir/checkpoints``, :mod:`tfgan_kit.training.checkpoints`), the
schemes' optional
linear learning-rate decay (``config.train.decay_start_epoch``), TensorBoard, the per-epoch
logs in ``history.json``, the final weights in ``model.weights.h5``, the task's report (printed
and written to ``report.json``) and, with ``export_dir``, its SavedModel. The adversarial
scheme contract is untouched: nothing here is an ``AdversarialModel``.

Reference: the flax ``train_and_evaluate`` split (the entry point parses flags, the library
trains).
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from typing import Callable

import keras
import tensorflow as tf

from tfgan_kit import registry
from tfgan_kit.errors import UserError
from tfgan_kit.files import write_atomically, write_text_atomically
from tfgan_kit.optimizers import check_learning_rate
from tfgan_kit.training.callbacks import NaNGuard
from tfgan_kit.training.checkpoints import RunCheckpoint, checkpoint_config, latest_readable
from tfgan_kit.training.schedules import check_decay_start, learning_rate_decay
from tfgan_kit.training.workdir import WorkdirLock, config_json, reconcile_config, write_config
from tfgan_kit.training.workdir import write_json_tree

__all__ = ["SupervisedTask", "train_task", "is_task_config"]

TASK_TRAIN_KEYS = {"batch_size", "epochs", "steps_per_epoch", "optimizer", "jit_compile",
                   "verbose", "decay_start_epoch"}


@dataclasses.dataclass
class SupervisedTask:
    """What a task builder hands :func:`train_task`.

    Args:
        model: the compiled ``keras.Model`` (built inside the strategy scope).
        train: the endless, shuffled, batched training stream of ``(inputs, targets)``.
        steps_per_epoch: batches per epoch.
        report: ``report(model) -> dict`` of figures measured after training (held-out
            accuracy, ...), printed and written to ``report.json``.
        export: ``export(model, export_dir) -> export_dir`` writes the SavedModel.
        paper: the paper the model implements, for the banner.
    """

    model: keras.Model
    train: tf.data.Dataset
    steps_per_epoch: int
    report: Callable[[keras.Model], dict]
    export: Callable[[keras.Model, str], str]
    paper: str = ""


def is_task_config(config) -> bool:
    """Whether ``config`` describes a supervised task (a ``task`` entry) rather than a scheme."""
    return "task" in config and config.task is not None


def check_task_config(config) -> None:
    """Rejects a task config without its sections or with unknown ``train`` keys.

    Raises:
        ValueError: naming the missing section or the unknown key and the valid ones.
    """
    for section in ("task", "seed", "data", "model", "train"):
        if section not in config:
            raise UserError(f"The config has no `{section}` entry: start from a task config "
                            "in configs/ (e.g. configs/vqa_sort_of_clevr_lstm.py).")
    registry.get_task(config.task)
    unknown = set(config.train.keys()) - TASK_TRAIN_KEYS
    if unknown:
        raise UserError(f"Unknown key(s) {sorted(unknown)} in config.train: valid keys are "
                        f"{sorted(TASK_TRAIN_KEYS)}.")
    if hasattr(config.train.get("optimizer"), "get"):
        check_learning_rate(config.train.optimizer.get("learning_rate", 1e-3),
                            "config.train.optimizer")
    for key in ("epochs", "batch_size"):
        value = config.train.get(key)
        if not isinstance(value, int) or value < 1:
            raise UserError(f"config.train.{key} must be an integer >= 1. Received: {value!r}")
    if config.train.get("decay_start_epoch") is not None:
        check_decay_start(config.train.decay_start_epoch, config.train.epochs)
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if config.train.batch_size % replicas:
        raise UserError(f"config.train.batch_size={config.train.batch_size} must be divisible "
                        f"by the {replicas} replicas: use a multiple of {replicas}.")


class _History(keras.callbacks.Callback):
    """Appends each epoch's logs to ``history.json`` (atomically rewritten)."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def on_epoch_end(self, epoch, logs=None):
        history = []
        if os.path.exists(self.path):
            with open(self.path) as f:
                history = [h for h in json.load(f) if h["epoch"] < epoch + 1]
        history.append({"epoch": epoch + 1, **{k: float(v) for k, v in (logs or {}).items()}})
        _write_json(history, self.path)


def _write_json(value, path: str) -> None:
    write_text_atomically(path, json.dumps(value, indent=1))


def _check_legacy_backup(checkpoints: str) -> None:
    """Refuses a workdir whose task checkpoints were written by Keras' ``BackupAndRestore`` (an
    earlier tfgan_kit): they cannot be resumed, and retraining would silently start over."""
    if os.path.exists(os.path.join(checkpoints, "latest.weights.h5")) or os.path.exists(
            os.path.join(checkpoints, "training_metadata.json")):
        raise UserError(f"{checkpoints} holds a Keras BackupAndRestore backup of an earlier "
                        "tfgan_kit, which this version cannot resume: move that folder away to "
                        "start the run afresh, or pass a new --workdir.")


def _apply_learning_rate(model: keras.Model, config) -> None:
    """The config's learning rate on a restored optimizer (the checkpoint holds the old one)."""
    rate = dict(config.train.optimizer).get("learning_rate")
    if isinstance(rate, (int, float)) and not isinstance(rate, bool):
        model.optimizer.learning_rate = float(rate)


def train_task(config, workdir: str, strategy: tf.distribute.Strategy | None = None,
               export_dir: str | None = None) -> keras.Model:
    """Trains the config's supervised task with ``model.fit``, resuming from ``workdir``.

    Resume works as for the schemes: the newest readable checkpoint (model, optimizer, epoch,
    the config it was trained under) is found from the checkpoint files; the config is compared
    with the checkpoint's; the training stream continues at the restored epoch's first batch; a
    finished run trains nothing; Ctrl-C and a NaN loss keep the last completed epoch.

    Args:
        config: a task config (``task``, ``seed``, ``data``, ``model``, ``train``).
        workdir: output and resume folder.
        strategy: a ``tf.distribute.Strategy``; ``None`` uses the default strategy.
        export_dir: if given, the task's SavedModel is written there.

    Returns:
        The trained model.

    Raises:
        ValueError: for a bad config, path or checkpoint, a config change that cannot be
            resumed, or a workdir in use by another run.
        tfgan_kit.training.NonFiniteLossError: when the loss diverges.
        tfgan_kit.training.TrainingInterrupted: on Ctrl-C.
    """
    from tfgan_kit.training.trainer import TrainingInterrupted, check_paths, saved_run_config

    strategy = strategy or tf.distribute.get_strategy()
    with strategy.scope():
        check_task_config(config)
    check_paths(workdir, export_dir)
    os.makedirs(workdir, exist_ok=True)
    checkpoints = os.path.join(workdir, "checkpoints")
    config_path = os.path.join(workdir, "config.json")
    verbose = config.train.get("verbose", "auto")
    verbosity = 2 if verbose == "auto" else int(verbose)
    with WorkdirLock(workdir):
        _check_legacy_backup(checkpoints)
        checkpoint_path, start_epoch = latest_readable(checkpoints)
        saved = saved_run_config(checkpoint_path, config_path)
        applied = reconcile_config(config, saved, workdir)
        if applied and verbosity:
            print("resuming with changed settings: " + "; ".join(applied), flush=True)
        keras.utils.set_random_seed(config.seed)
        with strategy.scope():
            task = registry.get_task(config.task)(config)
        with strategy.scope():  # the optimizer is built (all its slots) inside the scope
            checkpoint = RunCheckpoint(checkpoints, config_json=config_json(config),
                                       by_order=True)
            checkpoint.attach(task.model)
        if checkpoint_path is not None:
            checkpoint.restore(task.model, checkpoint_path)
            _apply_learning_rate(task.model, config)
        epochs = config.train.epochs
        if start_epoch < epochs:
            write_config(config, config_path)
        elif saved is not None and not os.path.exists(config_path):
            write_json_tree(checkpoint_config(checkpoint_path), config_path)
        if verbosity:
            status = ("fresh run" if not start_epoch else
                      f"resuming after epoch {start_epoch}" if start_epoch < epochs else
                      f"complete: {start_epoch} epochs done")
            print(f"task {config.task}: {type(task.model).__name__} ({task.paper}), "
                  f"{task.model.count_params():,} parameters, {task.steps_per_epoch} steps x "
                  f"{epochs} epochs, batch {config.train.batch_size}; {workdir} ({status})",
                  flush=True)
            if start_epoch > epochs:
                print(f"note: the run in {workdir} has {start_epoch} epochs done, more than "
                      f"config.train.epochs={epochs}: nothing to train; its config.json still "
                      "records the run as trained.", flush=True)
        weights_path = os.path.join(workdir, "model.weights.h5")
        report_path = os.path.join(workdir, "report.json")
        trained = start_epoch < epochs
        if trained:
            started = time.perf_counter()
            # The stream is seeded: skipping the epochs done continues it where they ended.
            stream = task.train.skip(start_epoch * task.steps_per_epoch)
            try:
                task.model.fit(stream, epochs=epochs, initial_epoch=start_epoch,
                               steps_per_epoch=task.steps_per_epoch, verbose=verbosity,
                               callbacks=[*learning_rate_decay(config, task.model), NaNGuard(),
                                          keras.callbacks.TensorBoard(
                                              os.path.join(workdir, "tensorboard")),
                                          _History(os.path.join(workdir, "history.json")),
                                          checkpoint])
            except KeyboardInterrupt:
                done = latest_readable(checkpoints)[1]
                raise TrainingInterrupted(
                    f"interrupted in epoch {done + 1}; rerun the same command to resume from "
                    f"the end of epoch {done}.") from None
            elapsed = time.perf_counter() - started
            write_atomically(weights_path, task.model.save_weights)
        if trained or not os.path.exists(report_path):
            report = ({"train_seconds": round(elapsed, 1)} if trained else {})
            report.update(task.report(task.model))
            _write_json(report, report_path)
        else:
            with open(report_path) as f:
                report = json.load(f)
        if verbosity:
            print("report: " + json.dumps(report), flush=True)
        if export_dir:
            task.export(task.model, export_dir)
            if verbosity:
                print(f"exported serving_default to {export_dir}", flush=True)
    return task.model
