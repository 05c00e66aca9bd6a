"""Training glue: callbacks and the `train_and_evaluate` driver behind ``train.py``.

The registries live in :mod:`tfgan_kit.registry` and the growth schedule in
:mod:`tfgan_kit.models.growth`; both are re-exported here for convenience.
"""

from tfgan_kit.models.growth import GrowthLogger, GrowthPhase, GrowthSchedule
from tfgan_kit.registry import register_dataset, register_net, register_scheme
from tfgan_kit.training.callbacks import NaNGuard, NonFiniteLossError, ResumableBackup, SampleGrid
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
    "register_net",
    "register_scheme",
    "train_and_evaluate",
]
