"""Linear learning-rate decay to zero over the last epochs of a run, as a ``fit`` callback.

Several papers hold the learning rate for most of training and then decay it linearly to zero:
Zhu et al. 2017 (CycleGAN, Sec. 4: 100 epochs at 2e-4, then linearly to 0 over the next 100) and
the WGAN-GP authors' code (Gulrajani et al. 2017, linear decay of Adam's rate over training). On
the 2-D mixtures the decay also ends a run in a low-noise regime, where the samples settle on the
modes instead of jittering around them.

The rate of each optimizer is a pure function of the epoch, computed from the rate in the
config, so a resumed run continues on the same schedule.

Reference: Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial
Networks", ICCV 2017, Sec. 4 (Training details).
"""

from __future__ import annotations

import numbers
from typing import Mapping

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.optimizers import set_learning_rate


def linear_decay_factor(epoch: int, start_epoch: int, epochs: int) -> float:
    """Multiplier of the base rate for 0-based ``epoch``: 1 before ``start_epoch``, then linear.

    Epochs ``start_epoch, ..., epochs - 1`` use ``1 - (epoch - start_epoch + 1) /
    (epochs - start_epoch + 1)``: the last epoch still trains (at a small rate), and the rate
    would reach 0 one epoch after the run (CycleGAN's rule, ``1 - max(0, e - n) / (n_decay + 1)``
    with 1-based epochs).

    Args:
        epoch: 0-based epoch index.
        start_epoch: number of epochs at the full rate.
        epochs: total epochs of the run.

    Returns:
        The factor in (0, 1].
    """
    if epoch < start_epoch:
        return 1.0
    return 1.0 - (epoch - start_epoch + 1) / (epochs - start_epoch + 1)


def check_decay_start(start_epoch, epochs: int) -> int:
    """``start_epoch`` as an int in [0, epochs), else a ValueError naming the fix."""
    if (not isinstance(start_epoch, numbers.Integral) or isinstance(start_epoch, bool)
            or not 0 <= start_epoch < epochs):
        raise UserError(
            "`config.train.decay_start_epoch` must be an integer in [0, config.train.epochs = "
            f"{epochs}) (or None for a constant rate). Received: {start_epoch!r}"
        )
    return int(start_epoch)


def model_optimizers(model) -> dict:
    """Optimizer name -> optimizer: a scheme's ``model.optimizers``, or ``{"optimizer":
    model.optimizer}`` for a plain ``keras.Model`` (a task)."""
    optimizers = getattr(model, "optimizers", None)
    if isinstance(optimizers, Mapping):
        return dict(optimizers)
    return {"optimizer": model.optimizer}


def config_learning_rates(config, model) -> dict[str, float]:
    """Optimizer name -> the config's learning rate (``config.train.<name>_optimizer``, or
    ``config.train.optimizer`` for a task), for the optimizers whose config gives a number."""
    rates = {}
    for name in model_optimizers(model):
        key = name if name == "optimizer" else f"{name}_optimizer"
        rate = dict(config.train[key]).get("learning_rate")
        if isinstance(rate, numbers.Real) and not isinstance(rate, bool):
            rates[name] = float(rate)
    return rates


def apply_learning_rates(model, config) -> None:
    """Sets each optimizer's learning rate from the config (a restored checkpoint holds the old
    one). Other hyperparameters (``beta_1``, ...) are not checkpointed and come from the config."""
    optimizers = model_optimizers(model)
    for name, rate in config_learning_rates(config, model).items():
        set_learning_rate(optimizers[name], rate)


class LinearLearningRateDecay(keras.callbacks.Callback):
    """Sets every optimizer's rate to ``base * linear_decay_factor(epoch, ...) * factor(epoch)``
    at each epoch's start.

    A pure function of the epoch and the config's rates, so a resumed run keeps the schedule.

    Args:
        base_rates: optimizer name (as in ``model.optimizers``; ``"optimizer"`` for a plain
            ``keras.Model`` with one ``model.optimizer``) -> base learning rate.
        start_epoch: epochs at the full rate before the decay begins, or ``None`` for no
            linear decay.
        epochs: total epochs of the run (the rate reaches 0 one epoch after the last).
        factor: ``factor(epoch) -> float``, a further multiplier (a scheme's
            ``learning_rate_factor``, e.g. ZAQ's step decay). Defaults to `None` (1).

    Raises:
        ValueError: for a ``start_epoch`` outside ``[0, epochs)``.
    """

    def __init__(self, base_rates: Mapping[str, float], start_epoch: int | None, epochs: int,
                 factor=None):
        super().__init__()
        self.start_epoch = None if start_epoch is None else check_decay_start(start_epoch, epochs)
        self.epochs = int(epochs)
        self.base_rates = {name: float(rate) for name, rate in base_rates.items()}
        self.factor = factor

    def on_epoch_begin(self, epoch: int, logs=None):
        factor = 1.0 if self.start_epoch is None else linear_decay_factor(
            epoch, self.start_epoch, self.epochs)
        if self.factor is not None:
            factor *= float(self.factor(epoch))
        for name, optimizer in model_optimizers(self.model).items():
            if name in self.base_rates:
                set_learning_rate(optimizer, self.base_rates[name] * factor)


def learning_rate_decay(config, model) -> list[keras.callbacks.Callback]:
    """``[LinearLearningRateDecay]`` when ``config.train.decay_start_epoch`` is set or the model
    declares a ``learning_rate_factor`` (a scheme), else ``[]``.

    The base rates are the config's: ``config.train.<name>_optimizer.learning_rate`` for each of
    a scheme's ``model.optimizers``, ``config.train.optimizer.learning_rate`` for a task's plain
    ``keras.Model``.
    """
    start = config.train.get("decay_start_epoch")
    factor = getattr(model, "learning_rate_factor", None)
    if start is None and factor is None:
        return []
    return [LinearLearningRateDecay(config_learning_rates(config, model), start,
                                    config.train.epochs, factor)]
