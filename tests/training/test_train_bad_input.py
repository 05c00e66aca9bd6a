"""Every bad input to ``train.py`` ends in one ``error:`` line, a non-zero exit, and no change to
what an earlier run saved.

Each row runs ``train.py`` in a subprocess against a copy of one finished tiny run (so "nothing
saved was lost" is checked on real checkpoints, samples, config and model) and asserts: the exit
code, exactly one stderr line starting with ``error:`` that matches the row's words, no
traceback, and every file of the workdir byte-for-byte unchanged (``.lock`` aside: a run that
takes the lock writes its PID there).

Conditions this machine cannot make are injected: a full disk by
``tests/training/crash_run.py``'s ``ENOSPC`` point (the checkpoint write raises the OS's
``OSError``); a read-only file system by monkeypatching ``tempfile.mkstemp`` in-process (tests run as root,
so permissions do not stop writes, and mounting a read-only tmpfs needs privileges the CI lacks).
"""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = [
    "--config=configs/gan_ring.py",
    "--config.train.steps_per_epoch=2",
    "--config.train.batch_size=16",
    "--config.train.epochs=1",
    "--config.train.num_samples=50",
    "--config.train.sample_every_epochs=1",
    "--config.train.jit_compile=False",
    "--config.model.g_hidden=(8,)",
    "--config.model.d_hidden=(8,)",
]
BAD_FILES = {
    "random_bytes.py": bytes(range(1, 256)) * 3,
    "syntax_error.py": b"def get_config(:\n",
    "no_get_config.py": b"x = 1\n",
    "raising.py": b"def get_config():\n    raise RuntimeError('boom')\n",
    "returns_dict.py": b"def get_config():\n    return {'scheme': 'gan'}\n",
}


def run(args, env_extra=None, script="train.py", timeout=300):
    env = {k: v for k, v in os.environ.items() if k != "TF_CONFIG"}
    env.update({"TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": "-1", **(env_extra or {})})
    return subprocess.run([sys.executable, script, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def assert_one_error(result, *words):
    assert result.returncode != 0, result.stdout[-1000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """One finished tiny ring run (1 epoch), made through train.py."""
    workdir = tmp_path_factory.mktemp("finished") / "run"
    result = run([*TINY, f"--workdir={workdir}"])
    assert result.returncode == 0, result.stderr[-2000:]
    return workdir


@pytest.fixture
def workdir(finished, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(finished, copy)
    return copy


@pytest.fixture
def bad_configs(tmp_path):
    folder = tmp_path / "configs"
    folder.mkdir()
    for name, content in BAD_FILES.items():
        (folder / name).write_bytes(content)
    return folder


def _rows():
    """(id, train.py flags after TINY, env, expected words); {configs} / {workdir} / {tmp} are
    filled in per test."""
    config_rows = [
        ("config_random_bytes", ["--config={configs}/random_bytes.py"], {},
         ["random_bytes.py is not valid Python", "pass a file of configs/"]),
        ("config_syntax_error", ["--config={configs}/syntax_error.py"], {},
         ["syntax_error.py is not valid Python (line 1)"]),
        ("config_no_get_config", ["--config={configs}/no_get_config.py"], {},
         ["defines no get_config() function"]),
        ("config_get_config_raises", ["--config={configs}/raising.py"], {},
         ["raising.py failed to load: RuntimeError: boom"]),
        ("config_not_a_configdict", ["--config={configs}/returns_dict.py"], {},
         ["returned 'dict', not an ml_collections.ConfigDict"]),
        ("config_missing_file", ["--config={configs}/nope.py"], {}, ["nope.py: no such file"]),
        ("unknown_config_key", ["--config.train.lerning_rate=1"], {},
         ["unknown config key `train.lerning_rate`"]),
        ("scheme_of_another_config", ["--config.scheme=pix2pix"], {},
         ["pix2pix"]),
        ("negative_learning_rate", ["--config.train.g_optimizer.learning_rate=-0.001"], {},
         ["learning_rate", "-0.001"]),
        ("zero_epochs", ["--config.train.epochs=0"], {}, ["config.train.epochs must be"]),
    ]
    path_rows = [
        ("workdir_empty", ["--workdir="], {}, ["--workdir is empty"]),
        ("workdir_under_a_file", ["--workdir={workdir}/config.json/run"], {},
         ["config.json/run", "cannot be created"]),
        ("export_dir_under_a_file", ["--export_dir={workdir}/config.json/export"], {},
         ["--export_dir=", "is under the file"]),
        ("tf_config_not_json", ["--strategy=multi_worker"], {"TF_CONFIG": "{cluster: nope"},
         ["TF_CONFIG is not JSON"]),
        ("tf_config_index_outside", ["--strategy=multi_worker"],
         {"TF_CONFIG": json.dumps({"cluster": {"worker": ["127.0.0.1:1"]},
                                   "task": {"type": "worker", "index": 3}})},
         ["task.index` must be an integer in 0..0", "index=3"]),
    ]
    return config_rows + path_rows


@pytest.mark.parametrize("name, flags, env, words", _rows(), ids=[r[0] for r in _rows()])
def test_bad_input_is_one_error_line_and_loses_nothing(name, flags, env, words, workdir,
                                                       bad_configs, tmp_path):
    before = snapshot(workdir)
    fill = {"configs": bad_configs, "workdir": workdir, "tmp": tmp_path}
    flags = [f.format(**fill) for f in flags]
    workdir_flag = [] if any(f.startswith("--workdir=") for f in flags) else [
        f"--workdir={workdir}"]
    # A resumed run (--config.train.epochs=2 on the 1-epoch run) unless the row sets epochs.
    epochs = [] if any("epochs" in f for f in flags) else ["--config.train.epochs=2"]
    result = run([*TINY, *epochs, *workdir_flag, *flags], env)
    assert_one_error(result, *words)
    assert snapshot(workdir) == before


def test_lock_that_is_a_folder(workdir):
    os.remove(workdir / ".lock")
    (workdir / ".lock").mkdir()
    before = snapshot(workdir)
    assert_one_error(run([*TINY, "--config.train.epochs=2", f"--workdir={workdir}"]),
                     ".lock is not a file: remove it")
    assert snapshot(workdir) == before


def test_full_disk_during_a_checkpoint_is_one_line_and_the_rerun_resumes(workdir):
    """ENOSPC injected at the first checkpoint write of the resumed epoch 2 (crash_run.py)."""
    before = snapshot(workdir / "checkpoints")
    result = run([*TINY, "--config.train.epochs=2", f"--workdir={workdir}"],
                 {"TFGAN_KIT_CRASH": "before_write:1:ENOSPC"}, script="tests/training/crash_run.py")
    assert_one_error(result, "No space left on device", "checkpoint is intact",
                     "rerun the same command")
    assert snapshot(workdir / "checkpoints") == before
    result = run([*TINY, "--config.train.epochs=2", f"--workdir={workdir}"])
    assert result.returncode == 0 and "resuming after epoch 1" in result.stdout


def test_ctrl_c_during_start_up_is_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TF_CONFIG"}
    process = subprocess.Popen([sys.executable, "train.py", *TINY, f"--workdir={tmp_path}"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(1.0)  # importing TensorFlow: long before any training
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
    assert [line for line in err.splitlines() if line.strip()] == [
        "interrupted before training started; nothing was written."], err[-2000:]


@pytest.mark.parametrize("flag", ["workdir", "export_dir"])
def test_a_read_only_place_is_refused_before_training(flag, tmp_path, monkeypatch):
    """In-process: creating a file under ``tmp_path/ro`` raises EROFS (a read-only mount), as
    the write probe of :func:`tfgan_kit.files.check_folder_writable` would see it."""
    import tempfile

    from configs import gan_ring
    from tfgan_kit.training import train_and_evaluate

    read_only = str(tmp_path / "ro")
    os.makedirs(read_only)
    real_mkstemp = tempfile.mkstemp

    def read_only_mkstemp(*args, dir=None, **kwargs):
        if dir is not None and str(dir).startswith(read_only):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only_mkstemp)
    config = gan_ring.get_config()
    paths = {"workdir": str(tmp_path / "run"), "export_dir": None}
    paths[flag] = os.path.join(read_only, "out")
    with pytest.raises(ValueError, match=rf"--{flag}=.*out is not writable \(Read-only file "
                                         "system"):
        train_and_evaluate(config, paths["workdir"], export_dir=paths["export_dir"])
    assert not os.path.exists(os.path.join(str(tmp_path / "run"), "checkpoints"))
