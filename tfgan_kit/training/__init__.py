"""Training glue: callbacks and the `train_and_evaluate` driver behind ``train.py``.

The registries live in :mod:`tfgan_kit.registry` and the growth schedule in
:mod:`tfgan_kit.models.growth`; both are re-exported here for convenience.
"""

from tfgan_kit.models.growth import GrowthLogger, GrowthPhase, GrowthSchedule
from tfgan_kit.registry import register_dataset, register_net, register_scheme
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
from tfgan_kit.training.tasks import SupervisedTask, train_task
from tfgan_kit.training.precision import detect_precision, resolve_precision

__all__ = [
    "CorruptCheckpointError",
    "GrowthLogger",
    "GrowthPhase",
    "GrowthSchedule",
    "ModeCoverageLog",
    "NaNGuard",
    "NonFiniteLossError",
    "ProgressFigures",
    "RunCheckpoint",
    "SampleGrid",
    "TrainingInterrupted",
    "WorkdirLock",
    "register_dataset",
    "register_net",
    "latest_readable",
    "register_scheme",
    "train_and_evaluate",
    "SupervisedTask",
    "train_task",
    "detect_precision",
    "resolve_precision",
]
