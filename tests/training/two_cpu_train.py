"""Runs train.py in a process that sees two logical CPU devices (a test-only launcher).

    python tests/training/two_cpu_train.py <train.py flags> --strategy=mirrored

so ``--strategy=mirrored`` finds two replicas on a one-CPU machine, as on a two-GPU one.
"""

import os
import runpy
import sys

import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
tf.config.set_logical_device_configuration(
    tf.config.list_physical_devices("CPU")[0], [tf.config.LogicalDeviceConfiguration()] * 2)
sys.argv = [os.path.join(ROOT, "train.py"), *sys.argv[1:]]
sys.path.insert(0, ROOT)
runpy.run_path(sys.argv[0], run_name="__main__")
