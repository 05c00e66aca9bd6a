"""`tf.distribute` strategy by name, for ``train.py --strategy``."""

from __future__ import annotations

import tensorflow as tf

STRATEGIES = ("default", "mirrored", "multi_worker")


def make_strategy(name: str) -> tf.distribute.Strategy:
    """Returns the default strategy, ``MirroredStrategy`` (all local devices) or
    ``MultiWorkerMirroredStrategy`` (cluster from ``TF_CONFIG``).

    Raises:
        ValueError: for another name.
    """
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"Unknown strategy {name!r}: valid values are {list(STRATEGIES)}.")
