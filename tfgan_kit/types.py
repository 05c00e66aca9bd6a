"""What a scheme or task hands the outside world: serving endpoints, the picture of its samples, and
a supervised task's declaration.

A scheme declares these; ``tfgan_kit.export``, ``python -m tfgan_kit.sample`` and the
``SampleGrid`` callback use them, so a scheme of any shape (two generators, an image input, a
classifier as the product) is exported and drawn without special cases.

A leaf module (it imports only the leaf :mod:`tfgan_kit.errors`), so export, the command lines
and the schemes share these types without importing each other.

Reference: the scheme contract of :mod:`tfgan_kit.models.base` (scheme-owned serving and pictures).
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError

__all__ = ["Endpoint", "Picture", "SupervisedTask"]


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """One serving signature: ``fn(**inputs) -> {output name: tensor}``.

    Args:
        fn: takes one keyword argument per input (in ``inputs`` order) and returns a dict of
            tensors (cast to float32 on export unless integer).
        inputs: input name -> ``tf.TensorSpec`` with a ``None`` batch dimension; every other
            static dimension is checked at serving time with a message naming the shape.
    """

    fn: Callable[..., dict]
    inputs: dict[str, tf.TensorSpec]


@dataclasses.dataclass(frozen=True)
class Picture:
    """What ``SampleGrid`` draws at an epoch end (see :func:`tfgan_kit.figures.render`).

    Exactly one of ``images`` / ``points`` is set.

    Args:
        images: ``[n, h, w, c]`` in [-1, 1], tiled row by row.
        columns: images per row (``None``: as square as possible); a conditional scheme uses one
            row per class, a translation scheme ``input | output | target`` columns.
        points: ``[n, 2]`` samples of 2-D data, drawn as a scatter plot.
        reference: ``[m, 2]`` points drawn over the scatter (e.g. mixture centres).
    """

    images: np.ndarray | None = None
    columns: int | None = None
    points: np.ndarray | None = None
    reference: np.ndarray | None = None

    def __post_init__(self):
        if (self.images is None) == (self.points is None):
            raise UserError("A Picture holds exactly one of `images` and `points`.")


@dataclasses.dataclass
class SupervisedTask:
    """What a task builder (:func:`tfgan_kit.registry.register_task`) hands the trainer.

    Args:
        model: the compiled ``keras.Model`` (built inside the strategy scope).
        train: the endless, shuffled, seeded, batched training stream of ``(inputs, targets)``.
        steps_per_epoch: batches per epoch.
        report: ``report(model) -> dict`` of figures measured after training (held-out
            accuracy, ...), printed and written to ``report.json``.
        export: ``export(model, export_dir) -> export_dir`` writes the SavedModel.
        paper: the paper the model implements, for the banner.
    """

    model: keras.Model
    train: tf.data.Dataset
    steps_per_epoch: int
    report: Callable[[keras.Model], dict]
    export: Callable[[keras.Model, str], str]
    paper: str = ""
