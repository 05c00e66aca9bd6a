"""Crash-safe resume state: one ``tf.train.Checkpoint`` per completed epoch, written atomically.

A checkpoint holds the whole run state in one unit: every net (trained, frozen and internal such
as an EMA generator), every optimizer's slots, step count and learning rate, the scheme's state
variables (its ``step_count`` that keys the draws, growth counters, ...) and the number of
completed epochs (which fixes the data position: the data stream is a function of the epoch).
``tf.train.CheckpointManager`` writes the files under temporary names, renames them, and only
then points its ``checkpoint`` state file (itself replaced atomically) at the new checkpoint; the
previous checkpoint is kept (``max_to_keep=2``). A process killed at any moment therefore leaves
the last complete checkpoint in place; a newest checkpoint that cannot be read in full (torn or
corrupted files: every tensor is read and its checksum verified) is skipped with one warning line
in favour of the previous one.

Reference: TensorFlow, "Training checkpoints" (``tf.train.Checkpoint``, ``CheckpointManager``).
"""

from __future__ import annotations

import os

import keras
import tensorflow as tf
from absl import logging

_EPOCH_KEY = "epoch/.ATTRIBUTES/VARIABLE_VALUE"


class CorruptCheckpointError(ValueError):
    """No checkpoint in the folder can be read, though some exist."""


def _read_epoch(path: str) -> int:
    """Reads every tensor of the checkpoint at ``path`` (checksums verified); returns its epoch."""
    reader = tf.train.load_checkpoint(path)
    for name in reader.get_variable_to_shape_map():
        reader.get_tensor(name)
    return int(reader.get_tensor(_EPOCH_KEY))


def latest_readable(directory: str) -> tuple[str | None, int]:
    """The newest checkpoint of ``directory`` that reads in full, and its completed epochs.

    Returns:
        ``(path, epoch)``, or ``(None, 0)`` when the folder holds no checkpoint.

    Raises:
        CorruptCheckpointError: when checkpoints exist but none can be read.
    """
    state = tf.train.get_checkpoint_state(directory) if os.path.isdir(directory) else None
    candidates = list(reversed(state.all_model_checkpoint_paths)) if state else []
    if not candidates:
        return None, 0
    for index, path in enumerate(candidates):
        try:
            epoch = _read_epoch(path)
        except (tf.errors.OpError, ValueError, KeyError, IndexError, RuntimeError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            logging.warning("checkpoint %s is unreadable (%s); trying the previous one.",
                            os.path.basename(path), reason[:200])
            continue
        if epoch < 0:
            logging.warning("checkpoint %s records epoch %d; trying the previous one.",
                            os.path.basename(path), epoch)
            continue
        if index:
            logging.warning("resuming from the previous checkpoint %s (epoch %d).",
                            os.path.basename(path), epoch)
        return path, epoch
    raise CorruptCheckpointError(
        f"No checkpoint in {directory} can be read (all {len(candidates)} are corrupt): move that "
        "folder away to start the run afresh."
    )


class RunCheckpoint(keras.callbacks.Callback):
    """Saves the run state after every completed epoch; restores it before training resumes.

    Put it last, after :class:`NaNGuard` (a diverged epoch is never saved) and after the
    callbacks that write the epoch's samples and logs.

    Args:
        directory: checkpoint folder (``workdir/checkpoints``).
        max_to_keep: checkpoints kept; the previous one survives while the next is written.
            Defaults to `2`.
    """

    def __init__(self, directory: str, max_to_keep: int = 2):
        super().__init__()
        if max_to_keep < 2:
            raise ValueError(
                f"`max_to_keep` must be >= 2 (the previous checkpoint is the fallback). "
                f"Received: max_to_keep={max_to_keep}"
            )
        self.directory = directory
        self.max_to_keep = max_to_keep
        self._epoch = None
        self._manager = None

    def _attach(self, model: keras.Model) -> None:
        if self._manager is not None and self._checkpoint_model is model:
            return
        self._epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
        checkpoint = tf.train.Checkpoint(model=model, epoch=self._epoch)
        self._manager = tf.train.CheckpointManager(checkpoint, self.directory,
                                                   max_to_keep=self.max_to_keep)
        self._checkpoint = checkpoint
        self._checkpoint_model = model

    def restore(self, model: keras.Model, path: str) -> int:
        """Loads the checkpoint at ``path`` (from :func:`latest_readable`) into ``model``.

        Returns:
            The number of completed epochs it records.

        Raises:
            ValueError: when it does not match the model (another scheme or other shapes).
        """
        self._attach(model)
        try:
            status = self._checkpoint.read(path)
            status.assert_existing_objects_matched()
            # `save_counter` is the manager's own; objects created later restore on creation.
            status.expect_partial()
        except (AssertionError, ValueError, IndexError, RuntimeError, tf.errors.OpError) as error:
            raise ValueError(
                f"Cannot restore {path} into this model ({str(error).splitlines()[0][:200]}): it "
                "was written by another scheme or other shapes; use a new --workdir."
            ) from None
        return int(self._epoch.numpy())

    def on_train_begin(self, logs=None):
        self._attach(self.model)

    def on_epoch_end(self, epoch: int, logs=None):
        self._epoch.assign(epoch + 1)
        self._manager.save(checkpoint_number=epoch + 1)


__all__ = ["CorruptCheckpointError", "RunCheckpoint", "latest_readable"]
