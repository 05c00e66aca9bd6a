"""Checks of a run's command-line inputs that need no TensorFlow, so ``train.py`` makes them
before TensorFlow starts (a mistyped path is refused in a fraction of a second, not after the
several seconds TensorFlow takes to import): the workdir, the export folder and ``TF_CONFIG``.

A leaf module: the standard library and the leaves :mod:`tfgan_kit.files` and :mod:`tfgan_kit.errors`.
"""

from __future__ import annotations

import json
import os

from tfgan_kit.errors import UserError
from tfgan_kit.files import check_folder_writable

__all__ = ["EXPORT_RECORD", "check_export_dir", "check_tf_config", "check_workdir", "export_owner"]


def check_workdir(workdir: str) -> None:
    """Refuses a ``workdir`` that cannot hold a run, creating it if new: empty, a file, under a
    file, not writable (read-only, no permission, full disk), or with a ``.lock`` that is not a
    file.

    Raises:
        ValueError: naming the path and the fix.
    """
    if not workdir or not str(workdir).strip():
        raise UserError("--workdir is empty: pass the run's folder (created if new), e.g. "
                        "--workdir=/tmp/run.")
    if os.path.exists(workdir) and not os.path.isdir(workdir):
        raise UserError(f"--workdir={workdir} is a file: pass a folder (it is created if new).")
    try:
        os.makedirs(workdir, exist_ok=True)
    except OSError as error:
        raise UserError(f"--workdir={workdir} cannot be created ({error.strerror or error}): "
                        "pass a folder in a writable place.") from None
    lock = os.path.join(workdir, ".lock")
    if os.path.lexists(lock) and not os.path.isfile(lock):
        raise UserError(f"{lock} is not a file: remove it (it only marks a run in progress).")
    check_folder_writable(workdir, "--workdir")


#: The file a train.py export carries: the workdir of the run that wrote it (a rerun of that run
#: may replace the export; any other SavedModel is left alone).
EXPORT_RECORD = "tfgan_kit_run.json"


def export_owner(export_dir: str) -> str | None:
    """The workdir (absolute) of the train.py run that wrote the SavedModel in ``export_dir``, or
    ``None`` (no record, or an unreadable one)."""
    try:
        with open(os.path.join(export_dir, EXPORT_RECORD)) as f:
            workdir = json.load(f).get("workdir")
    except (OSError, ValueError, AttributeError):
        return None
    return workdir if isinstance(workdir, str) else None


def check_export_dir(export_dir: str, workdir: str | None = None) -> None:
    """Refuses an ``export_dir`` that is a file, cannot be written, or already holds a SavedModel
    — unless that SavedModel was written by the run in ``workdir`` (a rerun of the same command
    re-exports it).

    Raises:
        UserError: naming the path and the fix.
    """
    if os.path.exists(export_dir) and not os.path.isdir(export_dir):
        raise UserError(f"--export_dir={export_dir} is a file: pass a new folder.")
    if os.path.exists(os.path.join(export_dir, "saved_model.pb")):
        owner = export_owner(export_dir)
        if workdir is None or owner != os.path.abspath(workdir):
            whose = f"of the run in {owner}" if owner else "not written by this run"
            raise UserError(
                f"{export_dir} already holds a SavedModel ({whose}): choose a new --export_dir "
                "or delete it.")
    check_folder_writable(export_dir, "--export_dir")


def check_tf_config(text: str | None) -> None:
    """Rejects a ``TF_CONFIG`` that ``MultiWorkerMirroredStrategy`` cannot start a worker from.

    Unset or empty is valid (one worker on its own). Otherwise it must be a JSON object with a
    ``cluster`` of job name -> address lists (``worker``, optionally ``chief``) and a ``task``
    whose ``type`` is one of the cluster's jobs and whose ``index`` is inside that job's list.

    Raises:
        ValueError: naming the bad part and an example of a valid value.
    """
    if not text or not text.strip():
        return
    example = ('TF_CONFIG=\'{"cluster": {"worker": ["127.0.0.1:12345", "127.0.0.1:12346"]}, '
               '"task": {"type": "worker", "index": 0}}\'')
    try:
        value = json.loads(text)
    except ValueError as error:
        raise UserError(f"TF_CONFIG is not JSON ({error}): set it like {example}.") from None
    cluster = value.get("cluster") if isinstance(value, dict) else None
    task = value.get("task") if isinstance(value, dict) else None
    if not isinstance(cluster, dict) or not cluster or not all(
            isinstance(v, list) and v and all(isinstance(a, str) for a in v)
            for v in cluster.values()):
        raise UserError(f"TF_CONFIG has no usable `cluster` (a job name -> list of host:port "
                        f"addresses). Received: {text!r}; set it like {example}.")
    if not isinstance(task, dict) or task.get("type") not in cluster:
        raise UserError(f"TF_CONFIG's `task.type` must be one of the cluster's jobs "
                        f"{sorted(cluster)}. Received: task={task!r}; set it like {example}.")
    index, size = task.get("index"), len(cluster[task["type"]])
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < size:
        raise UserError(f"TF_CONFIG's `task.index` must be an integer in 0..{size - 1} (the "
                        f"{size} `{task['type']}` addresses). Received: index={index!r}.")
