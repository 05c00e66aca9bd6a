"""A run's workdir: its lock, its saved config, and what a resumed run may change.

* :class:`WorkdirLock`: an exclusive ``fcntl`` lock on ``workdir/.lock`` held for the whole run,
  so two runs on one workdir cannot overwrite each other's checkpoints; the operating system
  releases it when the process ends, even on SIGKILL, so a crash leaves no stale lock.
* :func:`reconcile_config`: the run's config is saved as ``workdir/config.json`` and in every
  checkpoint; a resumed run compares its config with the checkpoint's (``config.json``'s for a
  checkpoint that carries none). Changes that alter what the checkpoint holds (data, nets, batch
  size, scheme, seed) are refused with one line listing them; changes of optimizer
  hyperparameters, epochs, sampling, logging, compilation and precision (the variables are
  float32 under every policy) are applied and listed.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket

from absl import logging

from tfgan_kit.errors import UserError
from tfgan_kit.files import replace_folder_atomically, write_text_atomically
from tfgan_kit.preflight import EXPORT_RECORD

# Dotted config keys a resumed run may change (prefix match on whole components).
CHANGEABLE = ("train.epochs", "train.sample_every_epochs", "train.num_samples", "train.verbose",
              "train.jit_compile", "train.steps_per_execution", "train.decay_start_epoch",
              "train.precision")


def _changeable(key: str) -> bool:
    parts = key.split(".")
    if len(parts) >= 2 and parts[0] == "train" and parts[1].endswith("_optimizer"):
        return True
    return any(key == c or key.startswith(c + ".") for c in CHANGEABLE)


class WorkdirLock:
    """Exclusive lock on ``workdir/.lock`` for the duration of a run (a context manager).

    Raises:
        ValueError: when another process holds it, naming that process's PID and host.
    """

    def __init__(self, workdir: str):
        self.path = os.path.join(workdir, ".lock")
        self._file = None

    def __enter__(self) -> "WorkdirLock":
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "an unknown process"
            handle.close()
            raise UserError(
                f"{os.path.dirname(self.path)} is in use by {holder}: wait for that run to end "
                "or pass another --workdir."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"PID {os.getpid()} on host {socket.gethostname()}\n")
        handle.flush()
        self._file = handle
        return self

    def __exit__(self, *exc) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def _flatten(tree, prefix: str = "") -> dict:
    if isinstance(tree, dict):
        flat = {}
        for key, value in tree.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
        return flat
    return {prefix[:-1]: tree}


def _config_tree(config) -> dict:
    return json.loads(config.to_json_best_effort(sort_keys=True))


def write_config(config, path: str) -> None:
    """Writes ``config`` as JSON at ``path`` atomically (temporary file, then rename)."""
    write_text_atomically(path, config_json(config))


def write_json_tree(tree: dict, path: str) -> None:
    """Writes a saved config's JSON tree at ``path`` atomically."""
    write_text_atomically(path, json.dumps(tree, indent=2, sort_keys=True))


def saved_value(path: str, key: str):
    """The value of dotted ``key`` in the saved config ``path`` (``None`` if absent/unreadable)."""
    return (read_config(path) or {}).get(key)


def read_config(path: str) -> dict | None:
    """The flattened config saved at ``path`` (``config.json``), or ``None`` if it is absent or
    unreadable (a warning line says which)."""
    if not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return _flatten(json.load(f))
    except (OSError, ValueError) as error:
        logging.warning("%s is unreadable (%s); it will be rewritten.", path, error)
        return None


def flat_config(tree: dict | None) -> dict | None:
    """A saved config's JSON tree (from a checkpoint) flattened to dotted keys."""
    return None if tree is None else _flatten(tree)


def config_json(config) -> str:
    """``config`` as the JSON saved in ``config.json`` and in every checkpoint."""
    return config.to_json_best_effort(indent=2, sort_keys=True)


def reconcile_config(config, saved: dict | None, workdir: str) -> list[str]:
    """Compares a resumed run's ``config`` with the config its checkpoint was trained under.

    Args:
        config: this invocation's config.
        saved: the run's saved config, flattened (the checkpoint's own, else ``config.json``'s;
            ``None`` when neither is readable: nothing to compare).
        workdir: the run's folder, named in the message.

    Returns:
        The changed keys that are applied (``"train.g_optimizer.learning_rate: 0.001 -> 0.0005"``).

    Raises:
        ValueError: listing the changed keys a resumed run cannot take.
    """
    if saved is None:
        return []
    current = _flatten(_config_tree(config))
    changed = sorted(k for k in set(saved) | set(current) if saved.get(k) != current.get(k))
    refused = [k for k in changed if not _changeable(k)]
    if refused:
        details = ", ".join(f"{k}: {saved.get(k)!r} -> {current.get(k)!r}" for k in refused)
        raise UserError(
            f"The config differs from the run in {workdir} in {details}: these change what its "
            "checkpoint holds. Revert them, or pass a new --workdir."
        )
    return [f"{k}: {saved.get(k)!r} -> {current.get(k)!r}" for k in changed]


def export_run(export_dir: str, workdir: str, write) -> str:
    """Writes a run's SavedModel with ``write(folder)`` into a new folder that records the run's
    workdir (:data:`tfgan_kit.preflight.EXPORT_RECORD`), then puts it in ``export_dir``'s place
    (:func:`tfgan_kit.files.replace_folder_atomically`): a rerun of the same command re-exports,
    and an interrupted export never leaves a half-written SavedModel. Returns ``export_dir``."""
    def write_with_record(folder: str) -> None:
        write(folder)
        write_text_atomically(os.path.join(folder, EXPORT_RECORD),
                              json.dumps({"workdir": os.path.abspath(workdir)}))

    return replace_folder_atomically(export_dir, write_with_record)
