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

The checkpoint files are the truth, the ``checkpoint`` state file only a hint: the checkpoints
are found from their own ``ckpt-N.index`` files (newest readable first), so a state file that is
deleted, truncated or overwritten loses nothing; it is rewritten from the files before the next
save. Each checkpoint also carries the run's config (JSON), so a resumed run can compare its
config with the one the checkpoint was trained under even when ``config.json`` is gone.

Reference: TensorFlow, "Training checkpoints" (``tf.train.Checkpoint``, ``CheckpointManager``).
"""

from __future__ import annotations

import json
import os
import re

import keras
import tensorflow as tf
from absl import logging

from tfgan_kit.errors import UserError

_EPOCH_KEY = "epoch/.ATTRIBUTES/VARIABLE_VALUE"
_CONFIG_KEY = "config/.ATTRIBUTES/VARIABLE_VALUE"
_PREFIX = "ckpt"
_INDEX = re.compile(rf"^{_PREFIX}-(\d+)\.index$")


class CorruptCheckpointError(UserError):
    """No checkpoint in the folder can be read, though some exist."""


def _read_epoch(path: str) -> int:
    """Reads every tensor of the checkpoint at ``path`` (checksums verified); returns its epoch."""
    reader = tf.train.load_checkpoint(path)
    for name in reader.get_variable_to_shape_map():
        reader.get_tensor(name)
    return int(reader.get_tensor(_EPOCH_KEY))


def _state_hint(directory: str) -> list[str]:
    """The checkpoint paths the ``checkpoint`` state file lists ([] if it is absent or unreadable:
    deleted, truncated, overwritten with text or binary bytes)."""
    try:
        state = tf.train.get_checkpoint_state(directory)
    except Exception as error:  # noqa: BLE001 -- a damaged hint is ignored, whatever the parser says
        logging.warning("%s is unreadable (%s); finding the checkpoints from their files.",
                        os.path.join(directory, "checkpoint"), str(error).splitlines()[0][:100]
                        if str(error) else type(error).__name__)
        return []
    return list(state.all_model_checkpoint_paths) if state else []


def checkpoint_paths(directory: str) -> list[str]:
    """Every checkpoint of ``directory``, oldest first: those whose ``ckpt-N.index`` file exists,
    with any other the state file lists (ordered by their number ``N``)."""
    if not os.path.isdir(directory):
        return []
    found = {os.path.join(directory, name[:-len(".index")]) for name in os.listdir(directory)
             if _INDEX.match(name)}
    for path in _state_hint(directory):
        path = path if os.path.isabs(path) else os.path.join(directory, path)
        if os.path.exists(path + ".index"):
            found.add(path)

    def number(path: str) -> int:
        match = re.search(r"-(\d+)$", path)
        return int(match.group(1)) if match else -1

    return sorted(found, key=number)


def latest_readable(directory: str) -> tuple[str | None, int]:
    """The newest checkpoint of ``directory`` that reads in full, and its completed epochs.

    Checkpoints are found from their files (:func:`checkpoint_paths`), not only from the state
    file.

    Returns:
        ``(path, epoch)``, or ``(None, 0)`` when the folder holds no checkpoint.

    Raises:
        CorruptCheckpointError: when checkpoints exist but none can be read.
    """
    candidates = list(reversed(checkpoint_paths(directory)))
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


def checkpoint_config(path: str) -> dict | None:
    """The run config (a JSON tree) that the checkpoint at ``path`` was saved under, or ``None``
    for a checkpoint that carries none."""
    reader = tf.train.load_checkpoint(path)
    if not reader.has_tensor(_CONFIG_KEY):
        return None
    text = reader.get_tensor(_CONFIG_KEY)
    text = text.decode() if isinstance(text, bytes) else str(text)
    return json.loads(text) if text else None


def _rewrite_state(directory: str) -> None:
    """Points the state file at the checkpoints found on disk when it is missing, damaged or out of
    step with them, so that ``CheckpointManager`` (which reads it) keeps and rotates them."""
    paths = checkpoint_paths(directory)
    if not paths:
        return
    listed = [os.path.basename(p) for p in _state_hint(directory)]
    if listed == [os.path.basename(p) for p in paths]:
        return
    tf.compat.v1.train.update_checkpoint_state(  # written atomically
        directory, model_checkpoint_path=paths[-1],
        all_model_checkpoint_paths=paths)


class RunCheckpoint(keras.callbacks.Callback):
    """Saves the run state after every completed epoch; restores it before training resumes.

    Put it last, after :class:`NaNGuard` (a diverged epoch is never saved) and after the
    callbacks that write the epoch's samples and logs.

    Args:
        directory: checkpoint folder (``workdir/checkpoints``).
        max_to_keep: checkpoints kept; the previous one survives while the next is written.
            Defaults to `2`.
        config_json: the run's config as JSON, saved in every checkpoint (read back by
            :func:`checkpoint_config`). Defaults to `None` (an empty string is saved).
        by_order: save the model's weights and its optimizer's variables as two ordered lists
            instead of the model's object graph. A plain subclassed ``keras.Model`` (a task)
            holds layers in Python lists, which the object graph does not restore (seen with
            Keras 3.15: the list-held layers kept their initial weights); its optimizer is built
            first so that every slot exists. Defaults to `False` (the schemes' object graph).
    """

    def __init__(self, directory: str, max_to_keep: int = 2, config_json: str | None = None,
                 by_order: bool = False):
        super().__init__()
        if max_to_keep < 2:
            raise UserError(
                f"`max_to_keep` must be >= 2 (the previous checkpoint is the fallback). "
                f"Received: max_to_keep={max_to_keep}"
            )
        self.directory = directory
        self.max_to_keep = max_to_keep
        self.config_json = config_json or ""
        self.by_order = by_order
        self._epoch = None
        self._manager = None

    def attach(self, model: keras.Model) -> None:
        """Binds the checkpoint to ``model`` (done by :meth:`restore` and when training begins;
        call it inside the strategy scope for a ``by_order`` checkpoint)."""
        if self._manager is not None and self._checkpoint_model is model:
            return
        self._epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
        self._config = tf.Variable(self.config_json, dtype=tf.string, trainable=False,
                                   name="config")
        checkpoint = tf.train.Checkpoint(model=self._state(model), epoch=self._epoch,
                                         config=self._config)
        _rewrite_state(self.directory)  # the manager trusts the state file: make it true first
        self._manager = tf.train.CheckpointManager(checkpoint, self.directory,
                                                   max_to_keep=self.max_to_keep,
                                                   checkpoint_name=_PREFIX)
        self._checkpoint = checkpoint
        self._checkpoint_model = model

    def _state(self, model: keras.Model):
        """What is saved of ``model``: the model itself, or its variables in order."""
        if not self.by_order:
            return model
        optimizer = model.optimizer
        if not optimizer.built:
            optimizer.build(model.trainable_variables)
        return tf.train.Checkpoint(
            weights=[getattr(v, "value", v) for v in model.weights],
            optimizer=[getattr(v, "value", v) for v in optimizer.variables])

    def restore(self, model: keras.Model, path: str) -> int:
        """Loads the checkpoint at ``path`` (from :func:`latest_readable`) into ``model``.

        Returns:
            The number of completed epochs it records.

        Raises:
            ValueError: when it does not match the model (another scheme or other shapes).
        """
        self.attach(model)
        checkpoint = self._checkpoint
        if checkpoint_config(path) is None:  # written before checkpoints carried the config
            checkpoint = tf.train.Checkpoint(model=self._state(model), epoch=self._epoch)
        try:
            status = checkpoint.read(path)
            status.assert_existing_objects_matched()
            # `save_counter` is the manager's own; objects created later restore on creation.
            status.expect_partial()
        except (AssertionError, ValueError, IndexError, RuntimeError, tf.errors.OpError) as error:
            raise UserError(
                f"Cannot restore {path} into this model ({str(error).splitlines()[0][:200]}): it "
                "was written by another scheme or other shapes; use a new --workdir."
            ) from None
        self._config.assign(self.config_json)  # the next save records this run's config
        return int(self._epoch.numpy())

    def on_train_begin(self, logs=None):
        self.attach(self.model)

    def on_epoch_end(self, epoch: int, logs=None):
        self._epoch.assign(epoch + 1)
        self._manager.save(checkpoint_number=epoch + 1)


__all__ = ["CorruptCheckpointError", "RunCheckpoint", "checkpoint_config", "checkpoint_paths",
           "latest_readable"]
