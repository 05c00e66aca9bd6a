"""`train_and_evaluate(config, workdir, strategy)`: the library side of ``train.py``.

Made of small named steps: build the data stream (resuming at the backed-up epoch), build and
compile the scheme inside the strategy scope, assemble the callbacks, ``fit``, save the final
``.keras`` model and export the generator. The scheme and the data set are looked up by name in
:mod:`tfgan_kit.training.registry`; nothing here knows a scheme's internals.

Workdir layout: ``backup/`` (resume state), ``samples/epoch_XXXX.png``, ``tensorboard/``,
``model.keras`` (final model, loadable with ``safe_mode=True``).
"""

from __future__ import annotations

import os

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.data import grid_centers, ring_centers
from tfgan_kit.export import save_generator
from tfgan_kit.training import registry
from tfgan_kit.training.callbacks import NaNGuard, ResumableBackup, SampleGrid

TRAIN_KEYS = {
    "batch_size", "epochs", "steps_per_epoch", "steps_per_execution", "g_optimizer",
    "d_optimizer", "jit_compile", "sample_every_epochs", "num_samples", "verbose",
}


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
    unknown = set(config.train.keys()) - TRAIN_KEYS
    if unknown:
        raise ValueError(
            f"Unknown key(s) {sorted(unknown)} in config.train: valid keys are "
            f"{sorted(TRAIN_KEYS)}."
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


def build_dataset(config, start_epoch: int) -> tf.data.Dataset:
    """The resumable stream of epochs ``start_epoch .. train.epochs - 1`` of the config's data."""
    builder = registry.get_dataset(config.data.name)
    return builder(config, config.train.batch_size, epochs=config.train.epochs,
                   start_epoch=start_epoch, steps_per_epoch=config.train.steps_per_epoch)


def steps_per_epoch(config, start_epoch: int) -> int:
    """Batches per epoch: ``train.steps_per_epoch`` or every full batch of one data epoch."""
    if config.train.steps_per_epoch:
        return int(config.train.steps_per_epoch)
    del start_epoch
    one_pass = registry.get_dataset(config.data.name)(config, config.train.batch_size)
    count = int(one_pass.cardinality())
    if count <= 0:
        raise ValueError(
            "The number of batches per epoch is unknown: set config.train.steps_per_epoch."
        )
    return count


def sample_reference(config) -> np.ndarray | None:
    """Mixture centres drawn on 2-D scatter plots, when the data is a Gaussian mixture."""
    d = config.data
    if d.name == "gaussian_ring":
        return ring_centers(d.n_modes, d.radius)
    if d.name == "gaussian_grid":
        return grid_centers(d.side, d.spacing)
    return None


def build_callbacks(config, model, workdir: str) -> list[keras.callbacks.Callback]:
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
            reference=sample_reference(config),
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
        export_dir: if given, the trained generator is exported there as a SavedModel.

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
    steps = steps_per_epoch(config, start_epoch)
    dataset = build_dataset(config, start_epoch)
    keras.utils.set_random_seed(config.seed)  # initial weights are a function of the seed
    with strategy.scope():
        model = registry.get_scheme(config.scheme)(config)
    if start_epoch < config.train.epochs:
        model.fit(
            dataset,
            epochs=config.train.epochs,
            steps_per_epoch=steps,
            callbacks=build_callbacks(config, model, workdir),
            verbose=config.train.verbose,
            shuffle=False,  # the stream is already shuffled, per epoch and seeded
        )
    elif os.path.exists(os.path.join(paths["backup"], "latest.weights.h5")):
        model.load_weights(os.path.join(paths["backup"], "latest.weights.h5"))
    model.save(paths["model"])
    if export_dir:
        save_generator(model, export_dir)
    return model
