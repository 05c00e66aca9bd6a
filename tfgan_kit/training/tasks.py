"""Supervised tasks: plain ``keras.Model``s (VQA, ...) trained by ``train.py`` beside the schemes.

A config with a ``task`` entry (instead of ``scheme``) names a builder registered with
:func:`tfgan_kit.registry.register_task`; the builder returns a :class:`SupervisedTask` (a
compiled model, its training stream, how to report and export it), and :func:`train_task` runs
it: workdir lock and saved config as for schemes, ``fit`` with resumable epochs
(``keras.callbacks.BackupAndRestore`` under ``workdir/checkpoints``), the schemes' optional
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
from tfgan_kit.training.schedules import check_decay_start, learning_rate_decay
from tfgan_kit.training.workdir import WorkdirLock, reconcile_config

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
            raise ValueError(f"The config has no `{section}` entry: start from a task config "
                             "in configs/ (e.g. configs/vqa_sort_of_clevr_lstm.py).")
    registry.get_task(config.task)
    unknown = set(config.train.keys()) - TASK_TRAIN_KEYS
    if unknown:
        raise ValueError(f"Unknown key(s) {sorted(unknown)} in config.train: valid keys are "
                         f"{sorted(TASK_TRAIN_KEYS)}.")
    for key in ("epochs", "batch_size"):
        value = config.train.get(key)
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"config.train.{key} must be an integer >= 1. Received: {value!r}")
    if config.train.get("decay_start_epoch") is not None:
        check_decay_start(config.train.decay_start_epoch, config.train.epochs)
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if config.train.batch_size % replicas:
        raise ValueError(f"config.train.batch_size={config.train.batch_size} must be divisible "
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
        with open(self.path + ".tmp", "w") as f:
            json.dump(history, f, indent=1)
        os.replace(self.path + ".tmp", self.path)


def train_task(config, workdir: str, strategy: tf.distribute.Strategy | None = None,
               export_dir: str | None = None) -> keras.Model:
    """Trains the config's supervised task with ``model.fit``, resuming from ``workdir``.

    Args:
        config: a task config (``task``, ``seed``, ``data``, ``model``, ``train``).
        workdir: output and resume folder.
        strategy: a ``tf.distribute.Strategy``; ``None`` uses the default strategy.
        export_dir: if given, the task's SavedModel is written there.

    Returns:
        The trained model.

    Raises:
        ValueError: for a bad config or path, or a workdir in use by another run.
    """
    from tfgan_kit.export.saved_model import check_export_dir

    strategy = strategy or tf.distribute.get_strategy()
    with strategy.scope():
        check_task_config(config)
    if os.path.exists(workdir) and not os.path.isdir(workdir):
        raise ValueError(f"--workdir={workdir} is a file: pass a folder (it is created if new).")
    if export_dir:
        check_export_dir(export_dir)
    os.makedirs(workdir, exist_ok=True)
    checkpoints = os.path.join(workdir, "checkpoints")
    verbose = config.train.get("verbose", "auto")
    verbosity = 2 if verbose == "auto" else int(verbose)
    with WorkdirLock(workdir):
        reconcile_config(config, os.path.join(workdir, "config.json"),
                         resuming=os.path.isdir(checkpoints))
        keras.utils.set_random_seed(config.seed)
        with strategy.scope():
            task = registry.get_task(config.task)(config)
        if verbosity:
            print(f"task {config.task}: {type(task.model).__name__} ({task.paper}), "
                  f"{task.model.count_params():,} parameters, {task.steps_per_epoch} steps x "
                  f"{config.train.epochs} epochs, batch {config.train.batch_size}", flush=True)
        started = time.perf_counter()
        task.model.fit(task.train, epochs=config.train.epochs,
                       steps_per_epoch=task.steps_per_epoch, verbose=verbosity,
                       callbacks=[*learning_rate_decay(config, task.model),
                                  keras.callbacks.BackupAndRestore(checkpoints),
                                  keras.callbacks.TensorBoard(os.path.join(workdir, "tensorboard")),
                                  _History(os.path.join(workdir, "history.json"))])
        elapsed = time.perf_counter() - started
        task.model.save_weights(os.path.join(workdir, "model.weights.h5"))
        report = {"train_seconds": round(elapsed, 1), **task.report(task.model)}
        with open(os.path.join(workdir, "report.json"), "w") as f:
            json.dump(report, f, indent=1)
        if verbosity:
            print("report: " + json.dumps(report), flush=True)
        if export_dir:
            task.export(task.model, export_dir)
            if verbosity:
                print(f"exported serving_default to {export_dir}", flush=True)
    return task.model
