"""Shared test set-up: quiet TensorFlow and two logical CPU devices for distribution tests."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

_cpus = tf.config.list_physical_devices("CPU")
try:
    tf.config.set_logical_device_configuration(
        _cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2
    )
except RuntimeError:  # devices already initialised by an earlier import
    pass


import pytest  # noqa: E402

from tfgan_kit import registry  # noqa: E402


@pytest.fixture(autouse=True)
def _registry_unchanged_by_the_test():
    """Whatever a test registers (schemes, data sets, nets, tasks) is removed after it.

    The package's own builders stay: the registry imports tfgan_kit's modules on first lookup,
    which may happen during any test, and an imported module does not register twice.
    """
    tables = (registry.SCHEMES, registry.DATASETS, registry.NETS, registry.TASKS)
    saved = [dict(table) for table in tables]
    yield
    for table, before in zip(tables, saved):
        for key in [k for k in table if k not in before]:
            if not (getattr(table[key], "__module__", None) or "").startswith("tfgan_kit."):
                del table[key]
        table.update(before)


@pytest.fixture(scope="session")
def mirrored_strategy():
    """One MirroredStrategy over the 2 logical CPUs for the whole session.

    A second MirroredStrategy over the same devices in one process can clash with the first one's
    collective instance keys ("Shape mismatch in the collective instance"): share this one.
    """
    devices = tf.config.list_logical_devices("CPU")
    if len(devices) < 2:
        pytest.fail("2 logical CPU devices are needed; TF was initialised before conftest ran.")
    return tf.distribute.MirroredStrategy([d.name for d in devices[:2]])
