"""Runs train.py and interrupts it at a chosen point (a test-only fault injector).

    TFGAN_KIT_CRASH=<point>:<n>:<KILL|INT|ENOSPC> python tests/training/crash_run.py <train.py flags>

sends SIGKILL (or SIGINT, as Ctrl-C does) to itself at the n-th time ``point`` is reached (or,
with ``ENOSPC``, raises the OSError of a full disk there):

* ``mid_epoch``: after a training batch;
* ``before_write``: a checkpoint is about to be written;
* ``after_write``: its files are complete, the checkpoint state file does not point at it yet;
* ``after_state``: the state file points at it, older checkpoints are not yet deleted;
* ``torn_write``: as ``after_state``, with the new checkpoint's data file cut in half first (a
  write the filesystem lost: the resumed run must fall back to the previous checkpoint);
* ``model_save``: the final ``model.keras`` is written to its temporary name, not yet renamed.
"""

import errno
import os
import runpy
import signal
import sys

import keras
import tensorflow as tf
from tensorflow.python.checkpoint import checkpoint_management

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POINT, COUNT, SIGNAL = os.environ["TFGAN_KIT_CRASH"].split(":")
COUNT = int(COUNT)
_seen = {"batches": 0, "saves": 0, "records": 0, "model_saves": 0}


def interrupt() -> None:
    if SIGNAL == "ENOSPC":  # a full disk: the write fails with the error the OS gives
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "checkpoints/ckpt-temp")
    os.kill(os.getpid(), getattr(signal, f"SIG{SIGNAL}"))


def tear_newest(manager) -> None:
    newest = manager.latest_checkpoint
    directory = os.path.dirname(newest)
    for name in os.listdir(directory):
        if name.startswith(os.path.basename(newest) + ".data"):
            path = os.path.join(directory, name)
            os.truncate(path, os.path.getsize(path) // 2)


_write = tf.train.Checkpoint._write
_record_state = checkpoint_management.CheckpointManager._record_state
_save = keras.Model.save
_fit = keras.Model.fit


def write(self, *args, **kwargs):
    _seen["saves"] += 1
    _seen["records"] = 0
    if POINT == "before_write" and _seen["saves"] == COUNT:
        interrupt()
    return _write(self, *args, **kwargs)


def record_state(self):
    # CheckpointManager records its state twice per save (before and after deleting old files),
    # from a callback run once the new checkpoint's files are complete.
    _seen["records"] += 1
    at_save = _seen["saves"] == COUNT and _seen["records"] == 1
    if POINT == "after_write" and at_save:
        interrupt()
    _record_state(self)
    if POINT in ("after_state", "torn_write") and at_save:
        if POINT == "torn_write":
            tear_newest(self)
        interrupt()


def save(self, *args, **kwargs):
    _save(self, *args, **kwargs)
    _seen["model_saves"] += 1
    if POINT == "model_save" and _seen["model_saves"] == COUNT:
        interrupt()


class MidEpoch(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        _seen["batches"] += 1
        if POINT == "mid_epoch" and _seen["batches"] == COUNT:
            interrupt()


tf.train.Checkpoint._write = write
checkpoint_management.CheckpointManager._record_state = record_state
keras.Model.save = save
keras.Model.fit = lambda self, *a, **k: _fit(self, *a, **{**k, "callbacks": [
    *k.get("callbacks", []), MidEpoch()]})

sys.argv = [os.path.join(ROOT, "train.py"), *sys.argv[1:]]
runpy.run_path(sys.argv[0], run_name="__main__")
