"""A task (VQA) run resumes as a scheme run does: a finished run trains nothing, more epochs
continue from the last one (weights equal to an uninterrupted run), a damaged state file or a
torn newest checkpoint loses at most one epoch, a deleted ``config.json`` still refuses a changed
run, and Ctrl-C keeps the last completed epoch (in-process, fast); and ``train.py`` killed with
SIGKILL at three points of ``tests/training/crash_run.py`` resumes to the uninterrupted run's
weights, bit for bit under ``--deterministic`` (slow)."""

import json
import os
import shutil

import numpy as np
import pytest

from configs import vqa_sort_of_clevr_lstm
from tfgan_kit.training import TrainingInterrupted, train_and_evaluate


def tiny(epochs):
    config = vqa_sort_of_clevr_lstm.get_config()
    config.data.update(num_images=8, test_images=2, questions_per_image=4,
                       batch_questions_per_image=2)
    config.model.update(cnn_filters=4, embedding_dim=4, lstm_units=4, common_dim=4, hidden=(4,))
    config.train.update(batch_size=4, epochs=epochs, steps_per_epoch=2, verbose="0")
    return config


def weights(model):
    return [np.asarray(w) for w in model.weights]


def same(a, b):
    for x, y in zip(a, b, strict=True):
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-6)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A finished 2-epoch task run, and an uninterrupted 3-epoch one's weights."""
    root = tmp_path_factory.mktemp("task")
    train_and_evaluate(tiny(2), str(root / "two"))
    return root / "two", weights(train_and_evaluate(tiny(3), str(root / "three")))


@pytest.fixture
def finished(runs, tmp_path):
    shutil.copytree(runs[0], tmp_path / "run")
    return tmp_path / "run"


def files(workdir):
    return {p.name: p.read_bytes() for p in (workdir / "checkpoints").glob("ckpt-*")}


def test_a_finished_run_trains_nothing_and_more_epochs_continue_it(finished, runs):
    before, weights_file = files(finished), (finished / "model.weights.h5").read_bytes()
    model = train_and_evaluate(tiny(2), str(finished))
    assert int(model.optimizer.iterations) == 4
    assert files(finished) == before
    assert (finished / "model.weights.h5").read_bytes() == weights_file
    model = train_and_evaluate(tiny(3), str(finished))
    assert int(model.optimizer.iterations) == 6
    same(weights(model), runs[1])
    history = json.loads((finished / "history.json").read_text())
    assert [h["epoch"] for h in history] == [1, 2, 3]


@pytest.mark.parametrize("damage", ["state_deleted", "state_binary", "torn_newest"])
def test_damage_loses_at_most_the_newest_epoch(damage, finished, runs):
    checkpoints = finished / "checkpoints"
    if damage == "state_deleted":
        (checkpoints / "checkpoint").unlink()
    elif damage == "state_binary":
        (checkpoints / "checkpoint").write_bytes(bytes(range(256)))
    else:
        data = next(checkpoints.glob("ckpt-2.data-*"))
        data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    model = train_and_evaluate(tiny(3), str(finished))
    assert int(model.optimizer.iterations) == 6
    same(weights(model), runs[1])


def test_without_config_json_a_changed_run_is_refused(finished):
    os.remove(finished / "config.json")
    config = tiny(3)
    config.train.batch_size = 8
    with pytest.raises(ValueError, match=r"differs from the run in .* train.batch_size: 4 -> 8"):
        train_and_evaluate(config, str(finished))
    assert not (finished / "config.json").exists() or json.loads(
        (finished / "config.json").read_text())["train"]["batch_size"] == 4


def test_ctrl_c_keeps_the_last_completed_epoch(finished, runs, monkeypatch):
    import keras

    class CtrlC(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            raise KeyboardInterrupt

    original = keras.Model.fit

    def fit_then_interrupt(self, *args, callbacks=(), **kwargs):
        return original(self, *args, callbacks=[*callbacks, CtrlC()], **kwargs)

    monkeypatch.setattr(keras.Model, "fit", fit_then_interrupt)
    with pytest.raises(TrainingInterrupted, match=r"resume from the end of epoch 2"):
        train_and_evaluate(tiny(3), str(finished))
    monkeypatch.undo()
    same(weights(train_and_evaluate(tiny(3), str(finished))), runs[1])


TINY_FLAGS = [
    "--config=configs/vqa_sort_of_clevr_lstm.py", "--config.data.num_images=8",
    "--config.data.test_images=2", "--config.data.questions_per_image=4",
    "--config.data.batch_questions_per_image=2", "--config.model.cnn_filters=4",
    "--config.model.embedding_dim=4", "--config.model.lstm_units=4",
    "--config.model.common_dim=4", "--config.model.hidden=(4,)", "--config.train.batch_size=4",
    "--config.train.epochs=3", "--config.train.steps_per_epoch=2", "--deterministic",
]


def run_cli(workdir, crash=None):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CONFIG", "TFGAN_KIT_CRASH")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    if crash:
        env["TFGAN_KIT_CRASH"] = crash
    script = "tests/training/crash_run.py" if crash else "train.py"
    return subprocess.run([sys.executable, script, *TINY_FLAGS, f"--workdir={workdir}"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def h5_weights(path):
    import h5py

    arrays = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, item: arrays.__setitem__(name, item[()])
                     if isinstance(item, h5py.Dataset) else None)
    return arrays


@pytest.fixture(scope="module")
def uninterrupted_cli(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("task_cli")
    result = run_cli(workdir)
    assert result.returncode == 0, result.stderr[-2000:]
    return h5_weights(workdir / "model.weights.h5")


@pytest.mark.slow  # three train.py kills and reruns; the fast versions above run in-process
@pytest.mark.parametrize("point", ["mid_epoch:3", "after_write:2", "torn_write:2"])
def test_sigkill_of_a_task_run_then_rerun_equals_the_uninterrupted_run(point, uninterrupted_cli,
                                                                       tmp_path):
    """train.py on the VQA config killed (SIGKILL) at a point of tests/training/crash_run.py."""
    import signal

    killed = run_cli(tmp_path, crash=f"{point}:KILL")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    resumed = run_cli(tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resuming after epoch" in resumed.stdout
    got = h5_weights(tmp_path / "model.weights.h5")
    assert sorted(got) == sorted(uninterrupted_cli)
    for name, value in uninterrupted_cli.items():
        np.testing.assert_array_equal(got[name], value, err_msg=name)
