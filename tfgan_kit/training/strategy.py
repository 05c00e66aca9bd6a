"""`tf.distribute` strategy by name, for ``train.py --strategy``."""

from __future__ import annotations

import json
import os

import tensorflow as tf

STRATEGIES = ("default", "mirrored", "multi_worker")


def check_tf_config(text: str | None) -> None:
    """Rejects a ``TF_CONFIG`` that ``MultiWorkerMirroredStrategy`` cannot start a worker from.

    Unset or empty is valid (one worker on its own). Otherwise it must be a JSON object with a
    ``cluster`` of ``worker`` (and optionally ``chief``) address lists and a ``task`` whose
    ``type`` is one of the cluster's jobs and whose ``index`` is inside that job's list.

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
        raise ValueError(f"TF_CONFIG is not JSON ({error}): set it like {example}.") from None
    cluster = value.get("cluster") if isinstance(value, dict) else None
    task = value.get("task") if isinstance(value, dict) else None
    if not isinstance(cluster, dict) or not cluster or not all(
            isinstance(v, list) and v and all(isinstance(a, str) for a in v)
            for v in cluster.values()):
        raise ValueError(f"TF_CONFIG has no usable `cluster` (a job name -> list of host:port "
                         f"addresses). Received: {text!r}; set it like {example}.")
    if not isinstance(task, dict) or task.get("type") not in cluster:
        raise ValueError(f"TF_CONFIG's `task.type` must be one of the cluster's jobs "
                         f"{sorted(cluster)}. Received: task={task!r}; set it like {example}.")
    index, size = task.get("index"), len(cluster[task["type"]])
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < size:
        raise ValueError(f"TF_CONFIG's `task.index` must be an integer in 0..{size - 1} (the "
                         f"{size} `{task['type']}` addresses). Received: index={index!r}.")


def make_strategy(name: str) -> tf.distribute.Strategy:
    """Returns the default strategy, ``MirroredStrategy`` (all local devices) or
    ``MultiWorkerMirroredStrategy`` (cluster from ``TF_CONFIG``).

    Raises:
        ValueError: for another name, or a ``TF_CONFIG`` that cannot describe this worker.
    """
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        check_tf_config(os.environ.get("TF_CONFIG"))
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"Unknown strategy {name!r}: valid values are {list(STRATEGIES)}.")
