"""Training glue: callbacks and the `train_and_evaluate` driver behind ``train.py``.

The registries are :mod:`tfgan_kit.registry`; the progressive growth schedule is
:mod:`tfgan_kit.models.growth`.
"""

from tfgan_kit.training.callbacks import (
    ModeCoverageLog,
    NaNGuard,
    NonFiniteLossError,
    ProgressFigures,
    SampleGrid,
)
from tfgan_kit.training.checkpoints import CorruptCheckpointError, RunCheckpoint, latest_readable
from tfgan_kit.training.trainer import TrainingInterrupted, train_and_evaluate
from tfgan_kit.training.workdir import WorkdirLock
from tfgan_kit.training.precision import detect_precision, resolve_precision

__all__ = [
    "CorruptCheckpointError",
    "ModeCoverageLog",
    "NaNGuard",
    "NonFiniteLossError",
    "ProgressFigures",
    "RunCheckpoint",
    "SampleGrid",
    "TrainingInterrupted",
    "WorkdirLock",
    "latest_readable",
    "train_and_evaluate",
    "detect_precision",
    "resolve_precision",
]
