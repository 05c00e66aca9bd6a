"""What a data builder hands the trainer: a :class:`DataSpec`, and the accessors of a batch.

A spec says what the training stream is and what one batch holds, so the trainer, the callbacks
and the scheme builders never test a data set's name. Batch kinds and their structure:

============  ===============================  ==========================================
kind          one batch                        read with
============  ===============================  ==========================================
``image``     ``x`` (images or 2-D points)     :func:`samples`
``labelled``  ``(x, label)``                   :func:`samples`, :func:`labels`
``paired``    ``(source, target)``             :func:`pair`
``unpaired``  ``(a, b)``                       :func:`pair`
``none``      ``zeros [batch]`` (placeholder)  :func:`batch_size` (data-free schemes)
============  ===============================  ==========================================

``semi_supervised`` batches are dicts ``{"image", "labelled_image", "labelled_label"}``:
unlabelled images (read with :func:`samples`) and a labelled minibatch (read with
:func:`tfgan_kit.data.semi_supervised.labelled_batch`).

Dicts are accepted too (``{"image", "label"}``, ``{"source", "target"}``, ``{"a", "b"}``), as
tensorflow-datasets yields them.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.registry import register_dataset

BATCH_KINDS = ("image", "labelled", "paired", "unpaired", "none", "semi_supervised")


@dataclasses.dataclass(frozen=True)
class DataSpec:
    """A training data set and what it holds.

    Args:
        dataset: the batched training stream (for ``none``: placeholder batches, see
            :func:`placeholder_batches`).
        kind: one of ``BATCH_KINDS``: what a batch holds.
        sample_shape: shape of one sample, e.g. ``(32, 32, 1)`` or ``(2,)`` (for ``paired`` and
            ``unpaired``: of the source / ``a`` samples).
        target_shape: shape of one target / ``b`` sample; ``None`` when it equals
            ``sample_shape`` or the kind has no second domain.
        num_classes: number of classes of labelled data; ``None`` if unlabelled.
        num_examples: examples in one pass (``None``: unknown or no data); with the batch size
            it gives the steps of one epoch.
        reference_points: ``[m, 2]`` mixture centres of 2-D data (drawn on scatter plots and
            used for mode coverage); ``None`` otherwise.
        examples: the unbatched, unshuffled examples (same structure as a batch), read by
            :meth:`preview`; ``None`` for data-free specs.
        reference_std: the (isotropic) standard deviation of every mixture component when
            ``reference_points`` are mixture centres: mode coverage counts a sample as high
            quality within ``3 * reference_std`` of its centre (PacGAN, Lin et al. 2018,
            Sec. 5.1), and scatter plots draw that circle; ``None`` otherwise.

    Raises:
        ValueError: for an unknown ``kind``.
    """

    dataset: tf.data.Dataset
    kind: str
    sample_shape: tuple[int, ...]
    target_shape: tuple[int, ...] | None = None
    num_classes: int | None = None
    num_examples: int | None = None
    reference_points: np.ndarray | None = None
    examples: tf.data.Dataset | None = None
    reference_std: float | None = None

    def __post_init__(self):
        if self.kind not in BATCH_KINDS:
            raise UserError(f"`kind` must be one of {BATCH_KINDS}. Received: kind={self.kind!r}")
        if self.reference_std is not None:
            if self.reference_points is None or not float(self.reference_std) > 0:
                raise UserError(
                    "`reference_std` is the std of the mixture whose centres are "
                    "`reference_points`: it needs them and must be positive. Received: "
                    f"reference_std={self.reference_std!r}, reference_points "
                    f"{'missing' if self.reference_points is None else 'given'}"
                )
            object.__setattr__(self, "reference_std", float(self.reference_std))
        object.__setattr__(self, "sample_shape", tuple(int(s) for s in self.sample_shape))

    def preview(self, count: int):
        """The first ``count`` examples as one batch (fixed: the same on every call and resume).

        Returns ``None`` for data-free specs.
        """
        if self.examples is None:
            return None
        return next(iter(self.examples.take(count).batch(count)))

    def steps_per_epoch(self, batch_size: int) -> int | None:
        """Full batches in one pass over the data, or ``None`` when the size is unknown."""
        return None if self.num_examples is None else self.num_examples // batch_size


def placeholder_batches(batch_size: int) -> tf.data.Dataset:
    """The endless stream of a data-free scheme: ``zeros [batch_size]`` per step.

    ``tf.distribute`` splits it like real data, so :func:`batch_size` gives the local batch.
    """
    return tf.data.Dataset.from_tensors(tf.zeros([batch_size])).repeat()


@register_dataset("none")
def no_data_spec(config, batch_size: int, **stream) -> DataSpec:
    """No data, for data-free schemes (a generator against a frozen net): placeholder batches.

    The stream is endless: set ``config.train.steps_per_epoch``.
    """
    del config, stream
    return DataSpec(placeholder_batches(batch_size), "none", ())


def _part(data, key: str, index: int, what: str):
    if isinstance(data, dict):
        if key not in data:
            raise UserError(
                f"The batch has no {what}: a dict batch with keys {sorted(data)} lacks {key!r}."
            )
        return data[key]
    if isinstance(data, (tuple, list)):
        if len(data) <= index:
            raise UserError(
                f"The batch has no {what}: it holds {len(data)} tensor(s). Use a data set whose "
                "batches carry it (e.g. `with_labels=True` for labels)."
            )
        return data[index]
    if index == 0:
        return data
    raise UserError(
        f"The batch has no {what}: it is a single tensor. Use a data set whose batches carry it "
        "(e.g. `with_labels=True` for labels)."
    )


def samples(data) -> tf.Tensor:
    """The samples of an ``image`` or ``labelled`` batch: ``x``, ``(x, y)[0]`` or ``x["image"]``."""
    return _part(data, "image", 0, "images")


def labels(data) -> tf.Tensor:
    """The int labels of a ``labelled`` batch: ``(x, y)[1]`` or ``x["label"]``.

    Raises:
        ValueError: when the batch carries no labels.
    """
    return _part(data, "label", 1, "labels")


def pair(data) -> tuple[tf.Tensor, tf.Tensor]:
    """``(source, target)`` of a ``paired`` batch or ``(a, b)`` of an ``unpaired`` one."""
    if isinstance(data, dict):
        first, second = ("source", "target") if "source" in data else ("a", "b")
        return _part(data, first, 0, first), _part(data, second, 1, second)
    return _part(data, "", 0, "first domain"), _part(data, "", 1, "second domain")


def batch_size(data):
    """The local (per-replica) batch size: the leading dimension of the batch's first tensor."""
    first = tf.nest.flatten(data)[0]
    return tf.shape(first)[0]
