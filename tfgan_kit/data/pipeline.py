"""Batching shared by every loader: seeded shuffling, fixed-size batches, prefetching.

Two forms of the same pipeline:

* ``epochs=None`` (for ``model.fit(ds, epochs=N)``): a finite dataset, reshuffled on every pass with
  a seeded shuffle;
* ``epochs=E`` (used by the trainer): the concatenation of epochs ``start_epoch .. E-1``, epoch ``e``
  shuffled with seed ``(seed, e)``. The order of epoch ``e`` therefore does not depend on how many
  epochs this process has already run, so a run resumed at epoch ``e`` sees exactly the batches the
  uninterrupted run saw.

Batches are of a fixed size (``drop_remainder=True``): a GAN step splits its batch across replicas
and across discriminator steps, and XLA compiles one shape.
"""

from __future__ import annotations

from typing import Callable

import tensorflow as tf

from tfgan_kit.errors import UserError

# Epoch e of the resumable stream is shuffled with seed _EPOCH_SEED_STRIDE * seed + e.
_EPOCH_SEED_STRIDE = 1_000_003


def batch_examples(
    examples: tf.data.Dataset,
    batch_size: int,
    seed: int = 0,
    shuffle_buffer: int | None = None,
    epochs: int | None = None,
    start_epoch: int = 0,
    steps_per_epoch: int | None = None,
    transform: Callable | None = None,
) -> tf.data.Dataset:
    """Shuffles (seeded), batches with fixed size and prefetches a dataset of single examples.

    Args:
        examples: unbatched dataset.
        batch_size: global batch size.
        seed: shuffle seed. Defaults to `0`.
        shuffle_buffer: shuffle buffer; ``None`` shuffles the whole set (its cardinality must be
            known). Defaults to `None`.
        epochs: ``None`` for a finite, reshuffled-per-pass dataset; an int for the resumable
            stream of epochs ``start_epoch .. epochs - 1``.
        start_epoch: first epoch of the resumable stream. Defaults to `0`.
        steps_per_epoch: batches per epoch of the resumable stream; ``None`` uses every full batch.
        transform: ``transform(example, seed) -> example`` applied after shuffling, e.g. reading
            a file and random jitter; ``seed`` is a shape-[2] int64 tensor for stateless random
            ops. In the resumable stream it is ``(epoch seed, position in the epoch)``, so a
            resumed run repeats the uninterrupted run's jitter; with ``epochs=None`` it is drawn
            afresh on every pass. Defaults to `None` (examples are used as they are).

    Returns:
        A batched, prefetched ``tf.data.Dataset``.

    Raises:
        ValueError: for a non-positive batch size, a batch larger than the data set, or more
            steps per epoch than the data set holds.
    """
    if not isinstance(batch_size, int) or batch_size <= 0:
        raise UserError(f"`batch_size` must be a positive integer. Received: {batch_size!r}")
    size = int(examples.cardinality())
    if shuffle_buffer is None:
        if size < 0:
            raise UserError(
                "The data set's size is unknown: pass `shuffle_buffer` (e.g. 10000) to shuffle it."
            )
        shuffle_buffer = size
    if size >= 0 and size < batch_size:
        raise UserError(
            f"The data set has {size} examples, fewer than batch_size={batch_size}: "
            "lower the batch size."
        )
    full_batches = size // batch_size if size >= 0 else None
    if steps_per_epoch is not None and full_batches is not None and steps_per_epoch > full_batches:
        raise UserError(
            f"steps_per_epoch={steps_per_epoch} exceeds the {full_batches} full batches of "
            f"{batch_size} in the data set: lower `steps_per_epoch` or `batch_size`."
        )
    if epochs is None:
        shuffled = examples.shuffle(shuffle_buffer, seed=seed, reshuffle_each_iteration=True)
        if transform is not None:
            shuffled = shuffled.map(
                lambda *example: transform(one_example(example), tf.random.uniform(
                    [2], maxval=2**62, dtype=tf.int64)), num_parallel_calls=tf.data.AUTOTUNE)
        return shuffled.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)

    def one_epoch(epoch):
        # This function is traced in its own graph, which inherits the global seed. tf.data then
        # compares (global seed, op seed) with (0, 0) in Python, which fails for a tensor op seed
        # when the global seed is 0 (e.g. after keras.utils.set_random_seed(0)). The epoch seed
        # below is explicit, so the traced graph needs no global seed.
        tf.compat.v1.get_default_graph().seed = None
        epoch_seed = tf.constant(seed, tf.int64) * _EPOCH_SEED_STRIDE + epoch
        shuffled = examples.shuffle(shuffle_buffer, seed=epoch_seed, reshuffle_each_iteration=False)
        if transform is not None:
            shuffled = shuffled.enumerate().map(
                lambda position, example: transform(example, tf.stack([epoch_seed, position])),
                num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
        batches = shuffled.batch(batch_size, drop_remainder=True)
        return batches.take(steps_per_epoch) if steps_per_epoch is not None else batches

    stream = tf.data.Dataset.range(start_epoch, epochs).flat_map(one_epoch)
    return stream.prefetch(tf.data.AUTOTUNE)


def one_example(example: tuple):
    """A ``map`` function's arguments as one example: the element itself, or the tuple."""
    return example[0] if len(example) == 1 else example
