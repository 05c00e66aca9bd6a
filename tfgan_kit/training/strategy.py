"""`tf.distribute` strategy by name, for ``train.py --strategy``."""

from __future__ import annotations

import os

import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.preflight import check_tf_config

STRATEGIES = ("default", "mirrored", "multi_worker")


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
    raise UserError(f"Unknown strategy {name!r}: valid values are {list(STRATEGIES)}.")
