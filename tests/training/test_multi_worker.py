"""Distributed training through ``train.py --strategy=multi_worker|mirrored``.

The slow test: two worker processes on localhost, each with its own ``TF_CONFIG`` task and its own workdir, run
``configs/gan_ring.py`` with tiny overrides. Under ``MultiWorkerMirroredStrategy`` the workers
start from the same initial weights and all-reduce their gradients, so they must end with
identical weights. The run is done in two launches on the same workdirs: epoch 1, then a resumed
epoch 2, which gives the second launch known initial weights (the first launch's final model)
against which "training happened" is checked, and checks resume under multi-worker too.

Identical weights alone would also come from two workers that silently trained alone on the
same data, so each worker must log a 2-worker cluster, and after epoch 1 the workers' weights
must equal those of a single process (default strategy) trained on the same global batches: the
two workers' half batches and noise slices together make up exactly one global step.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
STEPS_PER_EPOCH = 3
TIMEOUT_SECONDS = 420
OVERRIDES = [
    "--config=configs/gan_ring.py",
    f"--config.train.steps_per_epoch={STEPS_PER_EPOCH}",
    "--config.train.batch_size=32",
    "--config.train.jit_compile=False",
    "--config.train.num_samples=100",
    "--config.train.sample_every_epochs=1",
]
# The banner's training line (stdout): the global batch split over the cluster's replicas.
STRATEGY_LINE = re.compile(r"global batch 32 \((\d+) per replica x (\d+) replicas, "
                           r"MultiWorkerMirroredStrategy, (\d+) workers\)")


def free_ports(count: int) -> list[int]:
    """Ports the OS reports free right now (all sockets held open together, so they differ)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def child_env(tf_config: dict | None) -> dict[str, str]:
    """The parent's environment with the given TF_CONFIG (or none) and no device-count settings.

    pytest's two logical CPU devices (tests/conftest.py) are an in-process setting and are not
    inherited; an XLA flag forcing host devices would be, so it is removed as well.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CONFIG", "CUDA_VISIBLE_DEVICES")}
    flags = [f for f in env.pop("XLA_FLAGS", "").split()
             if not f.startswith("--xla_force_host_platform_device_count")]
    if flags:
        env["XLA_FLAGS"] = " ".join(flags)
    if tf_config is not None:
        env["TF_CONFIG"] = json.dumps(tf_config)
    env["CUDA_VISIBLE_DEVICES"] = "-1"
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return env


def tail(path: Path, lines: int = 25) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def run_together(jobs: dict[str, tuple[list[str], dict]], logdir: Path) -> dict[str, str]:
    """Runs ``train.py`` once per job ``{name: (flags, env)}`` at once; returns each one's stdout.

    Fails (killing the others) as soon as one exits non-zero, or when the timeout passes, with
    every process's stderr tail in the message.
    """
    procs, logs = {}, {}
    for name, (flags, env) in jobs.items():
        logs[name] = logdir / f"{name}.err"
        with open(logdir / f"{name}.out", "w") as stdout, open(logs[name], "w") as stderr:
            script = [] if not flags[0].startswith("--") else ["train.py"]  # or a launcher
            procs[name] = subprocess.Popen([sys.executable, *script, *flags], cwd=REPO,
                                           env=env, stdout=stdout, stderr=stderr)

    def report(reason: str) -> str:
        return reason + "".join(
            f"\n--- {name} (exit {p.returncode}) stderr tail ---\n{tail(logs[name])}"
            for name, p in procs.items()
        )

    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while None in [p.poll() for p in procs.values()]:  # a list: poll every process
            if any(p.returncode not in (None, 0) for p in procs.values()):
                pytest.fail(report("a train.py process exited non-zero"))
            if time.monotonic() > deadline:
                pytest.fail(report(f"train.py did not finish within {TIMEOUT_SECONDS} s"))
            time.sleep(0.5)
        if any(p.returncode != 0 for p in procs.values()):
            pytest.fail(report("a train.py process exited non-zero"))
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
    return {name: (logdir / f"{name}.out").read_text(errors="replace") for name in logs}


def worker_jobs(workdirs: list[Path], epochs: int) -> dict[str, tuple[list[str], dict]]:
    """One ``--strategy=multi_worker`` job per workdir, on a fresh localhost cluster."""
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(len(workdirs))]}
    return {
        f"epochs{epochs}_worker{index}": (
            [*OVERRIDES, "--strategy=multi_worker", f"--config.train.epochs={epochs}",
             f"--workdir={workdir}"],
            child_env({"cluster": cluster, "task": {"type": "worker", "index": index}}),
        )
        for index, workdir in enumerate(workdirs)
    }


def load_nets_weights(workdir: Path) -> tuple[dict[str, np.ndarray], object]:
    """Loads ``workdir/model.keras`` (safe mode); returns {name: G and D weight}, and the model."""
    import keras

    import tfgan_kit.models  # noqa: F401  (registers the scheme classes for deserialization)

    model = keras.models.load_model(workdir / "model.keras", safe_mode=True)
    weights = {}
    for net in (model.generator, model.discriminator):
        for variable in net.weights:
            weights[f"{net.name}/{variable.path}"] = np.asarray(variable)
    return weights, model


def assert_same_weights(first: dict, second: dict, what: str, atol: float = 1e-6) -> None:
    assert sorted(first) == sorted(second), f"{what}: the nets differ in structure"
    for name in first:
        np.testing.assert_allclose(first[name], second[name], rtol=0, atol=atol,
                                   err_msg=f"{what}: weight {name} differs")


@pytest.mark.slow
def test_two_workers_train_to_identical_weights(tmp_path):
    workdirs = [tmp_path / "worker0", tmp_path / "worker1"]

    # Launch 1: epoch 1 (3 steps) on both workers, beside a single-process reference run.
    jobs = worker_jobs(workdirs, epochs=1)
    jobs["reference"] = (
        [*OVERRIDES, "--strategy=default", "--config.train.epochs=1",
         f"--workdir={tmp_path / 'reference'}"],
        child_env(None),
    )
    stdouts = run_together(jobs, tmp_path)
    for name, stdout in stdouts.items():
        if name == "reference":
            continue
        match = STRATEGY_LINE.search(stdout)
        assert match, f"{name} did not print a 2-worker training line:\n{stdout}"
        assert match.groups() == ("16", "2", "2"), match.group(0)
    after_epoch1 = [load_nets_weights(w)[0] for w in workdirs]
    assert_same_weights(*after_epoch1, "workers after epoch 1")
    reference, _ = load_nets_weights(tmp_path / "reference")
    # Float sums in another order (all-reduce of two half-batch gradients): ~1e-7 seen.
    assert_same_weights(after_epoch1[0], reference, "2 workers vs 1 process", atol=1e-5)
    # Dense biases start at zero: each must have moved in the 3 steps.
    for name, value in after_epoch1[0].items():
        if name.endswith("/bias"):
            assert np.abs(value).max() > 1e-6, f"{name} is still at its initial zeros"

    # Launch 2: the same workdirs with epochs=2 resume at epoch 1 and train 3 more steps.
    run_together(worker_jobs(workdirs, epochs=2), tmp_path)
    loaded = [load_nets_weights(w) for w in workdirs]
    final = [weights for weights, _ in loaded]
    assert_same_weights(*final, "workers after epoch 2")
    for name, value in final[0].items():
        assert np.abs(value - after_epoch1[0][name]).max() > 1e-6, (
            f"{name} did not change during the resumed epoch 2"
        )
    for index, (_, model) in enumerate(loaded):
        # 3 steps restored from the epoch-1 backup + 3 new ones (a failed restore gives 3).
        assert int(model.g_optimizer.iterations) == 2 * STEPS_PER_EPOCH, f"worker {index}"
        assert int(model.d_optimizer.iterations) == 2 * STEPS_PER_EPOCH, f"worker {index}"
    for workdir in workdirs:
        assert sorted(p.name for p in (workdir / "samples").glob("epoch_*")) == [
            "epoch_0001.png", "epoch_0002.png"
        ]


SMOKE = [
    "--config=configs/gan_ring.py",  # as it stands (steps_per_execution 10), with tiny nets
    "--config.model.g_hidden=(16,)",
    "--config.model.d_hidden=(16,)",
    "--config.train.steps_per_epoch=2",
    "--config.train.batch_size=16",
    "--config.train.epochs=1",
    "--config.train.jit_compile=False",
    "--config.train.num_samples=50",
    "--config.train.sample_every_epochs=1",
]


def test_distributed_runs_through_train_py_match_one_process(tmp_path):
    """A small, fast guard of the headline capability, in the default suite: at once, two
    ``multi_worker`` workers, one worker with a one-worker ``TF_CONFIG``, ``mirrored`` over two
    logical CPU devices, and the single-process reference, each running the ring config as it
    stands with tiny nets for 2 steps. Every distributed run must end with the reference's
    weights: same global batches and draws, gradients all-reduced instead of summed in one
    process (the order of float sums differs: 1e-7 seen)."""
    workdirs = {name: tmp_path / name for name in ("worker0", "worker1", "one_worker",
                                                   "mirrored", "reference")}
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(3)]}
    jobs = {
        f"worker{index}": (
            [*SMOKE, "--strategy=multi_worker", f"--workdir={workdirs[f'worker{index}']}"],
            child_env({"cluster": {"worker": cluster["worker"][:2]},
                       "task": {"type": "worker", "index": index}}))
        for index in range(2)
    }
    jobs["one_worker"] = (
        [*SMOKE, "--strategy=multi_worker", f"--workdir={workdirs['one_worker']}"],
        child_env({"cluster": {"worker": cluster["worker"][2:]},
                   "task": {"type": "worker", "index": 0}}))
    jobs["mirrored"] = (
        ["tests/training/two_cpu_train.py", *SMOKE, "--strategy=mirrored",
         f"--workdir={workdirs['mirrored']}"], child_env(None))
    jobs["reference"] = ([*SMOKE, f"--workdir={workdirs['reference']}"], child_env(None))
    stdouts = run_together(jobs, tmp_path)
    assert "8 per replica x 2 replicas, MultiWorkerMirroredStrategy, 2 workers" in (
        stdouts["worker0"])
    assert "1 replica, MultiWorkerMirroredStrategy, 1 worker)" in stdouts["one_worker"]
    assert "8 per replica x 2 replicas, MirroredStrategy" in stdouts["mirrored"]
    reference, _ = load_nets_weights(workdirs["reference"])
    for name in ("worker0", "worker1", "one_worker", "mirrored"):
        assert_same_weights(load_nets_weights(workdirs[name])[0], reference,
                            f"{name} vs 1 process", atol=1e-5)
    initial = {name: value for name, value in reference.items() if name.endswith("/bias")}
    assert all(np.abs(value).max() > 1e-6 for value in initial.values()), "no training happened"
