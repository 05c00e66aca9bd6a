"""Name -> builder registries for schemes, data sets and nets, so the trainer never names them.

Each module registers its own builders at import time (``tfgan_kit.models.gan`` registers the
scheme ``"gan"``, ``tfgan_kit.data.digits`` the data set ``"digits"``, ``tfgan_kit.nets.dcgan`` the
nets of family ``"dcgan"``); lookups first import every module of those three packages. This
module imports only the leaf :mod:`tfgan_kit.errors`, so any module may register without an
import cycle.

* scheme builder: ``builder(config, spec) -> compiled AdversarialModel``, called inside
  ``strategy.scope()`` with the :class:`tfgan_kit.data.DataSpec` of the training data;
* data set builder: ``builder(config, batch_size, **stream) -> DataSpec`` (``stream``: the
  resumable epoch stream's ``epochs``, ``start_epoch``, ``steps_per_epoch``);
* net builder, keyed by (family, role): ``builder(model_config, spec) -> keras.Model``, e.g.
  ``("dcgan", "generator")``;
* task builder: ``builder(config) -> tfgan_kit.types.SupervisedTask`` for experiments
  that are plain supervised ``keras.Model``s rather than adversarial schemes (a config with a
  ``task`` entry instead of ``scheme``; e.g. ``"vqa"``, registered by ``tfgan_kit.vqa.task``).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable, Hashable

from tfgan_kit.errors import UserError

SCHEMES: dict[str, Callable] = {}
DATASETS: dict[str, Callable] = {}
NETS: dict[tuple[str, str], Callable] = {}
TASKS: dict[str, Callable] = {}
_TASK_PACKAGES = ("tfgan_kit.vqa",)


def _register(table: dict, kind: str, key: Hashable) -> Callable:
    def decorator(fn: Callable) -> Callable:
        if key in table and table[key].__qualname__ != fn.__qualname__:
            raise UserError(f"{kind} {key!r} is already registered by {table[key].__module__}.")
        table[key] = fn
        return fn

    return decorator


def register_scheme(name: str) -> Callable:
    """Decorator registering ``builder(config, spec) -> compiled AdversarialModel`` as ``name``."""
    return _register(SCHEMES, "Scheme", name)


def register_dataset(name: str) -> Callable:
    """Decorator registering ``builder(config, batch_size, **stream) -> DataSpec`` as ``name``."""
    return _register(DATASETS, "Data set", name)


def register_net(family: str, role: str) -> Callable:
    """Decorator registering ``builder(model_config, spec) -> keras.Model`` for (family, role)."""
    return _register(NETS, "Net", (family, role))


def register_task(name: str) -> Callable:
    """Decorator registering ``builder(config) -> SupervisedTask`` as the task ``name``."""
    return _register(TASKS, "Task", name)


def _import_builtins(packages=("tfgan_kit.data", "tfgan_kit.models", "tfgan_kit.nets")) -> None:
    """Imports every module of the data, models and nets packages: their decorators register.

    A new scheme, data set or net module registers itself without being listed anywhere.
    """
    for package in packages:
        module = importlib.import_module(package)
        for info in pkgutil.iter_modules(module.__path__, prefix=f"{package}."):
            importlib.import_module(info.name)


def _lookup(table: dict, kind: str, name: str, config_key: str) -> Callable:
    _import_builtins()
    if name not in table:
        raise UserError(
            f"Unknown {kind} {name!r} in `{config_key}`: valid values are {sorted(table)}."
        )
    return table[name]


def get_scheme(name: str) -> Callable:
    """Returns the registered scheme builder, or a ValueError listing the valid names."""
    return _lookup(SCHEMES, "scheme", name, "config.scheme")


def get_dataset(name: str) -> Callable:
    """Returns the registered data set builder, or a ValueError listing the valid names."""
    return _lookup(DATASETS, "data set", name, "config.data.name")


def get_task(name: str) -> Callable:
    """Returns the registered task builder, or a ValueError listing the valid names."""
    _import_builtins(_TASK_PACKAGES)
    if name not in TASKS:
        raise UserError(f"Unknown task {name!r} in `config.task`: valid values are "
                        f"{sorted(TASKS)}.")
    return TASKS[name]


def registered_schemes() -> list[str]:
    """The names of every registered scheme (after importing the built-in modules), sorted."""
    _import_builtins()
    return sorted(SCHEMES)


def registered_tasks() -> list[str]:
    """The names of every registered supervised task (``config.task``), sorted."""
    _import_builtins(_TASK_PACKAGES)
    return sorted(TASKS)


def build_net(family: str, role: str, model_config, spec):
    """Builds the ``role`` net (e.g. ``"generator"``) of ``family`` for the data ``spec``.

    Raises:
        ValueError: naming the families that have a ``role`` net.
    """
    _import_builtins()
    if (family, role) not in NETS:
        families = sorted(f for f, r in NETS if r == role)
        raise UserError(
            f"Unknown net family {family!r} for the {role} in `config.model.nets`: valid "
            f"values are {families}."
        )
    return NETS[(family, role)](model_config, spec)
