"""Kill train.py (SIGKILL, Ctrl-C) at many points; every rerun ends where an uninterrupted run does.

The fault injector is tests/training/crash_run.py. Runs are `--deterministic`, so "where an
uninterrupted run ends" is bit-exact: identical weights, step counters and sample files.
"""

import os
import signal
import subprocess
import sys

import keras
import numpy as np
import pytest

import tfgan_kit.models  # noqa: F401  (registers the scheme classes for load_model)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RING = [
    "--config=configs/gan_ring.py", "--config.train.steps_per_epoch=4",
    "--config.train.batch_size=64", "--config.train.num_samples=100",
    "--config.train.sample_every_epochs=1", "--config.train.jit_compile=False",
    "--config.model.g_hidden=(16,)", "--config.model.d_hidden=(16,)",
    "--config.train.epochs=3", "--deterministic",
    # One step per call of the train function, so that batch callbacks (the mid-epoch kill)
    # see every step; gan_ring's 10 would run an epoch of 4 steps in one call.
    "--config.train.steps_per_execution=1",
]


def run(workdir, crash=None):
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CONFIG", "TFGAN_KIT_CRASH")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    script = ["tests/training/crash_run.py"] if crash else ["train.py"]
    if crash:
        env["TFGAN_KIT_CRASH"] = crash
    return subprocess.run([sys.executable, *script, *RING, f"--workdir={workdir}"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def final_state(workdir):
    model = keras.models.load_model(os.path.join(workdir, "model.keras"), safe_mode=True)
    samples = sorted(f for f in os.listdir(os.path.join(workdir, "samples"))
                     if f.startswith("epoch_"))
    return [w.numpy() for w in model.weights], int(model.step_count), samples


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("straight")
    result = run(workdir)
    assert result.returncode == 0, result.stderr[-2000:]
    return final_state(workdir)


def check_resumes_exactly(workdir, uninterrupted):
    result = run(workdir)
    assert result.returncode == 0, result.stderr[-2000:]
    weights, steps, samples = final_state(workdir)
    expected_weights, expected_steps, expected_samples = uninterrupted
    assert steps == expected_steps == 12 and samples == expected_samples
    for got, want in zip(weights, expected_weights):
        np.testing.assert_array_equal(got, want)
    return result


KILL_POINTS = ["mid_epoch:6", "before_write:2", "after_write:2", "after_state:2", "torn_write:2",
               "model_save:1"]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_sigkill_anywhere_then_rerun_equals_the_uninterrupted_run(point, uninterrupted, tmp_path):
    killed = run(tmp_path, crash=f"{point}:KILL")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert not os.path.exists(tmp_path / "model.keras")
    resumed = check_resumes_exactly(tmp_path, uninterrupted)
    if point.startswith("torn_write"):
        assert "ckpt-2 is unreadable" in resumed.stderr


@pytest.mark.parametrize("point", ["mid_epoch:6", "after_write:2", "model_save:1"])
def test_ctrl_c_stops_with_one_line_and_exit_130_then_resumes(point, uninterrupted, tmp_path):
    stopped = run(tmp_path, crash=f"{point}:INT")
    assert stopped.returncode == 130, stopped.stderr[-2000:]
    assert "Traceback" not in stopped.stderr
    last = stopped.stderr.strip().splitlines()[-1]
    assert "rerun the same command to resume" in last
    if point == "mid_epoch:6":  # 4 steps per epoch: the 6th batch is in epoch 2
        assert last.startswith("interrupted at epoch 2 (step 6)")
    check_resumes_exactly(tmp_path, uninterrupted)
