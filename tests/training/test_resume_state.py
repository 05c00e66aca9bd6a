"""Resume finds its checkpoints from their own files, compares configs with the checkpoint's, and
never throws finished training away.

The ``checkpoint`` state file is a hint: deleted or overwritten (text, binary) on a finished run,
a rerun must still resume from the newest checkpoint, keep ``ckpt-2`` / ``ckpt-3`` until it has
restored the newest one, and end exactly where an uninterrupted run ends. Without
``config.json``, the checkpoint's own copy of the config still refuses a change of seed or batch
size. A lower ``train.epochs`` than the epochs done trains nothing and keeps the record true.
"""

import json
import os
import shutil

import numpy as np
import pytest

from configs import gan_ring
from tfgan_kit.training import train_and_evaluate


def tiny_ring(epochs):
    config = gan_ring.get_config()
    config.train.update(epochs=epochs, steps_per_epoch=3, batch_size=32, num_samples=50,
                        jit_compile=False, verbose="0")
    config.model.g_hidden = config.model.d_hidden = (8,)
    return config


def weights(model):
    return [np.asarray(w) for w in model.weights]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A finished 3-epoch run, and the weights of an uninterrupted 4-epoch run."""
    root = tmp_path_factory.mktemp("runs")
    train_and_evaluate(tiny_ring(3), str(root / "three"))
    four = train_and_evaluate(tiny_ring(4), str(root / "four"))
    return root / "three", weights(four)


@pytest.fixture
def finished(runs, tmp_path):
    workdir = tmp_path / "run"
    shutil.copytree(runs[0], workdir)
    return workdir


def checkpoint_files(workdir):
    return {name: (workdir / "checkpoints" / name).read_bytes()
            for name in os.listdir(workdir / "checkpoints") if name.startswith("ckpt-")}


@pytest.mark.parametrize("damage", ["deleted", "text", "binary", "empty"])
def test_a_damaged_state_file_loses_no_training(damage, finished, runs):
    state = finished / "checkpoints" / "checkpoint"
    before = checkpoint_files(finished)
    assert sorted(name.split(".")[0] for name in before) == ["ckpt-2", "ckpt-2", "ckpt-3", "ckpt-3"]
    if damage == "deleted":
        state.unlink()
    else:
        state.write_bytes({"text": b"this is not a checkpoint state\n", "empty": b"",
                           "binary": bytes(range(256)) * 4}[damage])
    model = train_and_evaluate(tiny_ring(3), str(finished))  # complete: nothing retrained
    assert int(model.step_count) == 9
    assert checkpoint_files(finished) == before  # nothing deleted or rewritten
    model = train_and_evaluate(tiny_ring(4), str(finished))  # resumes at epoch 3
    assert int(model.step_count) == 12
    for got, want in zip(weights(model), runs[1]):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    names = sorted(os.listdir(finished / "checkpoints"))
    assert "ckpt-4.index" in names and "ckpt-3.index" in names  # rotation works again


def test_without_config_json_the_checkpoint_still_refuses_a_changed_run(finished, runs):
    (finished / "config.json").unlink()
    before = checkpoint_files(finished)
    changed = tiny_ring(4)
    changed.seed = 1
    changed.train.batch_size = 64
    with pytest.raises(ValueError, match=r"differs from the run in .* in seed: 0 -> 1, "
                                         r"train.batch_size: 32 -> 64"):
        train_and_evaluate(changed, str(finished))
    assert checkpoint_files(finished) == before
    train_and_evaluate(tiny_ring(3), str(finished))  # nothing to train: the record comes back
    assert json.loads((finished / "config.json").read_text())["train"]["epochs"] == 3
    model = train_and_evaluate(tiny_ring(4), str(finished))
    for got, want in zip(weights(model), runs[1]):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def test_fewer_epochs_than_done_train_nothing_and_keep_the_record(finished, capsys):
    before = checkpoint_files(finished)
    model = train_and_evaluate(tiny_ring(1), str(finished))
    assert int(model.step_count) == 9
    out = capsys.readouterr().out
    assert "has 3 epochs done, more than config.train.epochs=1: nothing to train" in out
    assert json.loads((finished / "config.json").read_text())["train"]["epochs"] == 3
    assert checkpoint_files(finished) == before


def test_a_config_of_another_scheme_is_one_error(tmp_path):
    config = tiny_ring(1)
    config.scheme = "pix2pix"
    with pytest.raises(ValueError, match=r"(Scheme 'pix2pix' needs the setting|pix2pix trains on)"):
        train_and_evaluate(config, str(tmp_path / "run"))
