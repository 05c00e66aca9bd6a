"""Training glue: registries, callbacks, the `train_and_evaluate` driver behind ``train.py``."""

from tfgan_kit.training.callbacks import NaNGuard, NonFiniteLossError, ResumableBackup, SampleGrid
from tfgan_kit.training.progressive import GrowthLogger, GrowthPhase, GrowthSchedule
from tfgan_kit.training.registry import register_dataset, register_scheme
from tfgan_kit.training.trainer import train_and_evaluate

__all__ = [
    "GrowthLogger",
    "GrowthPhase",
    "GrowthSchedule",
    "NaNGuard",
    "NonFiniteLossError",
    "ResumableBackup",
    "SampleGrid",
    "register_dataset",
    "register_scheme",
    "train_and_evaluate",
]
