"""Supervised tasks (VQA, ...): plain ``keras.Model``s trained by the one trainer beside the schemes.

A config with a ``task`` entry (instead of ``scheme``) names a builder registered with
:func:`tfgan_kit.registry.register_task`; the builder returns a
:class:`tfgan_kit.types.SupervisedTask` (a compiled model, its training stream, how to report
and export it). :class:`TaskRun` tells :func:`tfgan_kit.training.train_and_evaluate` what is
particular to a task: its config check, its callbacks (the schemes' optional learning-rate
decay, NaN guard, TensorBoard, the per-epoch logs in ``history.json``) and its outputs (the
final weights in ``model.weights.h5``, the task's report printed and written to
``report.json``, its SavedModel). Everything else — workdir lock, config record and
reconciliation on resume, crash-safe checkpoints (the model's variables in order), Ctrl-C and
NaN handling — is the schemes' loop.

Reference: the flax ``train_and_evaluate`` split (the entry point parses flags, the library
trains).
"""

from __future__ import annotations

import json
import os

import keras
import tensorflow as tf

from tfgan_kit import registry
from tfgan_kit.errors import UserError
from tfgan_kit.files import write_atomically, write_text_atomically
from tfgan_kit.optimizers import check_learning_rate
from tfgan_kit.training.callbacks import NaNGuard
from tfgan_kit.training.schedules import check_decay_start, learning_rate_decay
from tfgan_kit.training.workdir import export_run

__all__ = ["TaskRun", "check_task_config", "is_task_config"]

TASK_TRAIN_KEYS = {"batch_size", "epochs", "steps_per_epoch", "optimizer", "jit_compile",
                   "verbose", "decay_start_epoch"}


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


class TaskRun:
    """What the trainer's loop needs of a supervised task (see the module docstring)."""

    by_order = True  # the model's variables and the optimizer's slots, saved as ordered lists

    def __init__(self, config):
        self.config = config
        self.task = None

    def check_config(self) -> None:
        check_task_config(self.config)

    def precision(self) -> tuple[str, str]:
        """The caller's dtype policy: a task config has no ``train.precision``."""
        return keras.config.dtype_policy().name, "the caller's policy (tasks set none)"

    def check_workdir(self, checkpoints: str) -> None:
        _check_legacy_backup(checkpoints)

    def check_resume(self, saved: dict | None, workdir: str) -> None:
        """Nothing beyond the config comparison."""

    def build(self, start_epoch: int, strategy) -> tuple[keras.Model, tf.data.Dataset, int]:
        keras.utils.set_random_seed(self.config.seed)
        with strategy.scope():
            self.task = registry.get_task(self.config.task)(self.config)
        task = self.task
        # The stream is seeded: skipping the epochs done continues it where they ended.
        return task.model, task.train.skip(start_epoch * task.steps_per_epoch), task.steps_per_epoch

    def check_restored(self, model, checkpoint_path: str, start_epoch: int, steps: int) -> None:
        """The epoch count is the checkpoint's own (no step counter to compare)."""

    def banner(self, model, strategy, workdir: str, steps: int, start_epoch: int,
               precision_reason: str) -> str:
        epochs = self.config.train.epochs
        status = ("fresh run" if not start_epoch else
                  f"resuming after epoch {start_epoch}" if start_epoch < epochs else
                  f"complete: {start_epoch} epochs done")
        return (f"task {self.config.task}: {type(model).__name__} ({self.task.paper}), "
                f"{model.count_params():,} parameters, {steps} steps x {epochs} epochs, batch "
                f"{self.config.train.batch_size}; {workdir} ({status})")

    def callbacks(self, model, workdir: str, checkpoint) -> list[keras.callbacks.Callback]:
        return [*learning_rate_decay(self.config, model), NaNGuard(),
                keras.callbacks.TensorBoard(os.path.join(workdir, "tensorboard")),
                _History(os.path.join(workdir, "history.json")), checkpoint]

    def finish(self, model, workdir: str, export_dir: str | None, history, elapsed,
               trained: int, verbosity: int) -> None:
        del history
        report_path = os.path.join(workdir, "report.json")
        if trained:
            write_atomically(os.path.join(workdir, "model.weights.h5"), model.save_weights)
        if trained or not os.path.exists(report_path):
            report = {"train_seconds": round(elapsed, 1)} if trained else {}
            report.update(self.task.report(model))
            _write_json(report, report_path)
        else:
            with open(report_path) as f:
                report = json.load(f)
        if verbosity:
            print("report: " + json.dumps(report), flush=True)
        if export_dir:
            export_run(export_dir, workdir, lambda folder: self.task.export(model, folder))
            if verbosity:
                print(f"exported serving_default to {export_dir}", flush=True)
