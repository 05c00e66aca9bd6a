"""Facts about the current ``tf.distribute`` strategy that the schemes and the trainer share."""

from __future__ import annotations

import tensorflow as tf

__all__ = ["is_multi_worker"]


def is_multi_worker(strategy: tf.distribute.Strategy | None = None) -> bool:
    """Whether ``strategy`` (default: the current one) spans two or more workers.

    The same test as Keras' own (``keras/src/backend/tensorflow/trainer.py``): a
    ``MultiWorkerMirroredStrategy`` of one worker reduces and loops like ``MirroredStrategy``;
    only a real cluster takes Keras' cross-worker code paths (and their limits: scalar logs
    cannot be reduced, ``steps_per_execution > 1`` fails).
    """
    strategy = strategy or tf.distribute.get_strategy()
    return (isinstance(strategy, (tf.distribute.MultiWorkerMirroredStrategy,
                                  tf.distribute.experimental.MultiWorkerMirroredStrategy))
            and strategy.extended._in_multi_worker_mode())
