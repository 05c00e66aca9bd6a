"""Name -> builder registries, so `train.py` never knows a scheme's or a data set's internals.

A scheme builder takes the whole config and returns a compiled
:class:`tfgan_kit.models.AdversarialModel`; the trainer calls it inside ``strategy.scope()``.
A data set builder takes the config and the epoch-stream arguments and returns a batched dataset.
"""

from __future__ import annotations

from typing import Callable

SCHEMES: dict[str, Callable] = {}
DATASETS: dict[str, Callable] = {}


def _register(table: dict, kind: str, name: str) -> Callable:
    def decorator(fn: Callable) -> Callable:
        if name in table and table[name] is not fn:
            raise ValueError(f"{kind} {name!r} is already registered by {table[name].__module__}.")
        table[name] = fn
        return fn

    return decorator


def register_scheme(name: str) -> Callable:
    """Decorator registering ``builder(config) -> compiled AdversarialModel`` under ``name``."""
    return _register(SCHEMES, "Scheme", name)


def register_dataset(name: str) -> Callable:
    """Decorator registering ``builder(config, batch_size, **stream_args) -> Dataset``."""
    return _register(DATASETS, "Data set", name)


def _lookup(table: dict, kind: str, name: str, config_key: str) -> Callable:
    _import_builtins()
    if name not in table:
        raise ValueError(
            f"Unknown {kind} {name!r} in `{config_key}`: valid values are {sorted(table)}."
        )
    return table[name]


def get_scheme(name: str) -> Callable:
    """Returns the registered scheme builder, or a ValueError listing the valid names."""
    return _lookup(SCHEMES, "scheme", name, "config.scheme")


def get_dataset(name: str) -> Callable:
    """Returns the registered data set builder, or a ValueError listing the valid names."""
    return _lookup(DATASETS, "data set", name, "config.data.name")


def _import_builtins() -> None:
    # Importing the builder modules fills the tables.
    import tfgan_kit.training.builders  # noqa: F401
    import tfgan_kit.training.progressive  # noqa: F401  (scheme "pggan")
