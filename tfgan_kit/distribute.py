"""Facts about the current ``tf.distribute`` strategy that the schemes and the trainer share."""

from __future__ import annotations

import tensorflow as tf

__all__ = ["global_batch_mean", "is_multi_worker", "replica_mean"]


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


def replica_mean(value: tf.Tensor) -> tf.Tensor:
    """The mean of ``value`` over the replicas in sync, the same on every replica; ``value``
    itself outside a strategy or with one replica.

    A state updated from a per-replica statistic (BEGAN's k, ZAQ's layer weights) stays
    identical across replicas when it is updated from this mean.
    """
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.MEAN, value)


def global_batch_mean(values: tf.Tensor) -> tf.Tensor:
    """The mean over the global batch of ``values [local batch, ...]``, differentiable.

    A loss of batch means that is not linear in them (feature matching's squared distance,
    CatGAN's marginal entropy) is the single-device loss only if the means are those of the
    global batch: under a strategy the local means are all-reduced (every replica has the same
    local batch size), whose gradient TF all-reduces back. Outside a strategy it is the mean.
    """
    return replica_mean(tf.reduce_mean(values, axis=0))
