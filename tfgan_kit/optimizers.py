"""Optimizers from config entries, and compiling a scheme with one optimizer per trained net set.

A config names each optimizer of a scheme as ``config.train.<name>_optimizer`` (``g_optimizer``,
``d_optimizer`` for a GAN): ``{"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}``.
Switching the name on the command line (``--config.train.g_optimizer.name=sgd``) works with a
config that carries another optimizer's arguments: an argument that belongs to some other Keras
optimizer is dropped with a warning naming it, while a misspelled one is an error.

Reference: Keras optimizers (https://keras.io/api/optimizers/); Radford et al. 2016, Section 4
(Adam 2e-4, beta_1 0.5, the DCGAN defaults the configs use).
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings

import keras

from tfgan_kit.errors import UserError

OPTIMIZER_NAMES = ("adadelta", "adafactor", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion",
                   "nadam", "rmsprop", "sgd")


def inner_optimizer(optimizer: keras.optimizers.Optimizer) -> keras.optimizers.Optimizer:
    """The optimizer that holds the learning rate and the slots: the wrapped one of a
    ``LossScaleOptimizer`` (mixed_float16), else ``optimizer`` itself."""
    return getattr(optimizer, "inner_optimizer", optimizer)


def set_learning_rate(optimizer: keras.optimizers.Optimizer, rate: float) -> None:
    """Assigns ``rate`` to ``optimizer``'s learning-rate variable (through a loss-scale wrapper)."""
    inner_optimizer(optimizer).learning_rate = float(rate)


def _arguments(cls) -> set[str]:
    names = set()
    for klass in cls.__mro__:
        if klass is object or "__init__" not in vars(klass):
            continue
        names |= {p.name for p in inspect.signature(klass.__init__).parameters.values()
                  if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name != "self"}
    return names


def _optimizer_class(name: str):
    if not isinstance(name, str) or name.lower() not in OPTIMIZER_NAMES:
        raise UserError(f"Unknown optimizer {name!r}: valid names are {list(OPTIMIZER_NAMES)}.")
    return type(keras.optimizers.get(name.lower()))


def build_optimizer(settings, key: str = "optimizer") -> keras.optimizers.Optimizer:
    """Builds a Keras optimizer from ``{name, learning_rate, ...}`` (e.g. Adam, beta_1 0.5).

    Args:
        settings: mapping with ``name`` (default ``"adam"``) and the optimizer's arguments.
        key: where the settings come from, for messages (``config.train.g_optimizer``).

    Returns:
        A new optimizer.

    Raises:
        ValueError: for an unknown optimizer name, an argument that no Keras optimizer takes
            (naming it and the chosen optimizer's valid arguments), or a learning rate that is
            not a positive, finite number (naming the key and the value).
    """
    settings = dict(settings)
    name = settings.pop("name", "adam")
    cls = _optimizer_class(name)
    valid = _arguments(cls)
    known = set().union(*(_arguments(_optimizer_class(n)) for n in OPTIMIZER_NAMES))
    for argument in sorted(set(settings) - valid):
        if argument not in known:
            raise UserError(
                f"Unknown argument `{argument}` in {key} for {cls.__name__}: valid arguments are "
                f"{sorted(valid)}."
            )
        warnings.warn(f"{key}: {cls.__name__} takes no `{argument}`; ignoring it.", stacklevel=2)
        del settings[argument]
    check_learning_rate(settings.get("learning_rate", 1e-3), key)
    return cls(**settings)


def check_learning_rate(value, key: str) -> None:
    """A number must be positive and finite (a schedule object is the caller's business)."""
    if isinstance(value, bool):
        raise UserError(f"{key}.learning_rate must be a positive number. Received: "
                        f"learning_rate={value!r}")
    if isinstance(value, numbers.Real) and not 0 < value < math.inf:
        raise UserError(f"{key}.learning_rate must be a positive, finite number (e.g. 2e-4). "
                        f"Received: learning_rate={value!r}")


def compile_scheme(model, config):
    """Compiles ``model`` with ``config.train.<name>_optimizer`` for each of its optimizers.

    Also passes ``train.jit_compile`` and ``train.steps_per_execution``.

    Raises:
        ValueError: when an optimizer entry is missing or one is given that the scheme lacks.
    """
    train = config.train
    keys = [f"{name}_optimizer" for name in model.optimizer_nets]
    given = [k for k in train.keys() if k.endswith("_optimizer")]
    missing, extra = sorted(set(keys) - set(given)), sorted(set(given) - set(keys))
    if missing or extra:
        raise UserError(
            f"Scheme {type(model).__name__} trains with the optimizers {keys}: "
            + (f"add config.train.{missing[0]}" if missing else
               f"remove config.train.{extra[0]}") + "."
        )
    optimizers = {k: build_optimizer(train[k], key=f"config.train.{k}") for k in keys}
    model.compile(**optimizers, jit_compile=bool(train.jit_compile),
                  steps_per_execution=int(train.get("steps_per_execution", 1)))
    return model
