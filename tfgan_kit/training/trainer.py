"""`train_and_evaluate(config, workdir, strategy)`: the library side of ``train.py``.

Made of small named steps: build the data spec (resuming at the backed-up epoch), build and
compile the scheme for it inside the strategy scope, assemble the callbacks, ``fit``, save the
final ``.keras`` model and export the scheme's serving endpoints. The scheme and the data set are
looked up by name in :mod:`tfgan_kit.registry`; nothing here knows a scheme's or a data set's
internals: what a batch holds, its shapes and reference points come from the data spec.

Workdir layout: ``backup/`` (resume state), ``samples/epoch_XXXX.png``, ``tensorboard/``,
``model.keras`` (final model, loadable with ``safe_mode=True``).
"""

from __future__ import annotations

import os

import keras
import tensorflow as tf

from tfgan_kit import registry
from tfgan_kit.data import DataSpec
from tfgan_kit.export import export_model
from tfgan_kit.training.callbacks import NaNGuard, ResumableBackup, SampleGrid

TRAIN_KEYS = {
    "batch_size", "epochs", "steps_per_epoch", "steps_per_execution", "jit_compile",
    "sample_every_epochs", "num_samples", "verbose",
}  # plus one `<name>_optimizer` per optimizer of the scheme


def check_config(config) -> None:
    """Rejects a config without the sections every experiment needs, or unknown train keys.

    Raises:
        ValueError: naming the missing section or the unknown key and the valid ones.
    """
    for section in ("scheme", "seed", "data", "model", "train"):
        if section not in config:
            raise ValueError(
                f"The config has no `{section}` entry: start from a file in configs/ "
                "(e.g. configs/dcgan_digits.py)."
            )
    registry.get_scheme(config.scheme)
    registry.get_dataset(config.data.name)
    unknown = {k for k in config.train.keys() if not k.endswith("_optimizer")} - TRAIN_KEYS
    if unknown:
        raise ValueError(
            f"Unknown key(s) {sorted(unknown)} in config.train: valid keys are "
            f"{sorted(TRAIN_KEYS)} and one `<name>_optimizer` per optimizer of the scheme."
        )
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if config.train.batch_size % replicas:
        raise ValueError(
            f"config.train.batch_size={config.train.batch_size} must be divisible by the "
            f"{replicas} replicas: use a multiple of {replicas}."
        )


def workdir_paths(workdir: str) -> dict[str, str]:
    """The files and folders a run writes under ``workdir``."""
    return {
        "backup": os.path.join(workdir, "backup"),
        "samples": os.path.join(workdir, "samples"),
        "tensorboard": os.path.join(workdir, "tensorboard"),
        "model": os.path.join(workdir, "model.keras"),
    }


def build_data(config, start_epoch: int) -> DataSpec:
    """The :class:`DataSpec` of the config's data: the resumable stream of epochs
    ``start_epoch .. train.epochs - 1`` and what its batches hold."""
    builder = registry.get_dataset(config.data.name)
    return builder(config, config.train.batch_size, epochs=config.train.epochs,
                   start_epoch=start_epoch, steps_per_epoch=config.train.steps_per_epoch)


def steps_per_epoch(config, spec: DataSpec) -> int:
    """Batches per epoch: ``train.steps_per_epoch`` or every full batch of one pass over the data.

    Raises:
        ValueError: when neither is known (data-free schemes need ``steps_per_epoch``).
    """
    if config.train.steps_per_epoch:
        return int(config.train.steps_per_epoch)
    count = spec.steps_per_epoch(config.train.batch_size)
    if not count:
        raise ValueError(
            "The number of batches per epoch is unknown: set config.train.steps_per_epoch."
        )
    return count


def check_batches(model, spec: DataSpec, config) -> None:
    """Rejects data whose batches the scheme cannot train on, naming what it needs.

    Raises:
        ValueError: when ``spec.kind`` is not in ``model.batch_kinds``.
    """
    if spec.kind not in model.batch_kinds:
        raise ValueError(
            f"Scheme {config.scheme!r} trains on {' or '.join(model.batch_kinds)} batches, but "
            f"data set {config.data.name!r} gives {spec.kind} batches: choose a matching "
            "config.data."
        )


def build_callbacks(config, model, workdir: str, spec: DataSpec) -> list[keras.callbacks.Callback]:
    """NaN guard first (so nothing saves a diverged state), then backup, samples, TensorBoard."""
    paths = workdir_paths(workdir)
    return [
        NaNGuard(),
        ResumableBackup(paths["backup"]),
        SampleGrid(
            paths["samples"],
            num_samples=config.train.num_samples,
            every_epochs=config.train.sample_every_epochs,
            seed=config.seed,
            spec=spec,
            tensorboard_dir=os.path.join(paths["tensorboard"], "samples"),
        ),
        keras.callbacks.TensorBoard(paths["tensorboard"], update_freq="epoch"),
        *model.training_callbacks(config, workdir),
    ]


def train_and_evaluate(config, workdir: str, strategy: tf.distribute.Strategy | None = None,
                       export_dir: str | None = None) -> keras.Model:
    """Trains the config's scheme with ``model.fit``, resuming from ``workdir`` if it holds a backup.

    Args:
        config: an experiment ``ConfigDict`` (see ``configs/``).
        workdir: output and resume folder.
        strategy: a ``tf.distribute.Strategy``; ``None`` uses the default strategy.
        export_dir: if given, the scheme's serving endpoints are exported there (SavedModel).

    Returns:
        The trained model.

    Raises:
        ValueError: for a bad config (unknown scheme, data set or key).
        tfgan_kit.training.NonFiniteLossError: when a loss diverges (the last good backup stays).
    """
    strategy = strategy or tf.distribute.get_strategy()
    with strategy.scope():
        check_config(config)
    os.makedirs(workdir, exist_ok=True)
    paths = workdir_paths(workdir)
    start_epoch = ResumableBackup.saved_epoch(paths["backup"])
    spec = build_data(config, start_epoch)
    steps = steps_per_epoch(config, spec)
    keras.utils.set_random_seed(config.seed)  # initial weights are a function of the seed
    with strategy.scope():
        model = registry.get_scheme(config.scheme)(config, spec)
    check_batches(model, spec, config)
    if start_epoch < config.train.epochs:
        model.fit(
            spec.dataset,
            epochs=config.train.epochs,
            steps_per_epoch=steps,
            callbacks=build_callbacks(config, model, workdir, spec),
            verbose=config.train.verbose,
            shuffle=False,  # the stream is already shuffled, per epoch and seeded
        )
    elif os.path.exists(os.path.join(paths["backup"], "latest.weights.h5")):
        model.load_weights(os.path.join(paths["backup"], "latest.weights.h5"))
    model.save(paths["model"])
    if export_dir:
        export_model(model, export_dir)
    return model
