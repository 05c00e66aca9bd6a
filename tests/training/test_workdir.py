"""What a resumed run may change, the workdir lock, and bad invocations refused before training."""

import os

import pytest

from configs import gan_ring
from tfgan_kit.training import WorkdirLock, train_and_evaluate


def tiny_ring(epochs=1):
    config = gan_ring.get_config()
    config.train.update(epochs=epochs, steps_per_epoch=3, batch_size=32, num_samples=50,
                        jit_compile=False, verbose="0")
    config.model.g_hidden = config.model.d_hidden = (8,)
    return config


def test_a_new_learning_rate_is_applied_on_resume_and_listed(tmp_path, capsys):
    train_and_evaluate(tiny_ring(epochs=1), str(tmp_path))
    config = tiny_ring(epochs=2)
    config.train.g_optimizer.learning_rate = 5e-4
    model = train_and_evaluate(config, str(tmp_path))
    out = capsys.readouterr().out
    assert "resuming with changed settings: train.epochs: 1 -> 2; " \
           "train.g_optimizer.learning_rate: 0.001 -> 0.0005" in out
    assert float(model.g_optimizer.learning_rate) == pytest.approx(5e-4)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(1e-3)
    assert int(model.step_count) == 6  # resumed: 3 restored steps + 3 new ones


def test_a_change_of_shapes_is_refused_with_the_changed_keys(tmp_path):
    train_and_evaluate(tiny_ring(), str(tmp_path))
    config = tiny_ring(epochs=2)
    config.model.g_hidden = (16,)
    config.train.batch_size = 64
    with pytest.raises(ValueError, match=r"differs from the run in .* in model.g_hidden: \[8\] -> "
                                         r"\[16\], train.batch_size: 32 -> 64: .* new --workdir"):
        train_and_evaluate(config, str(tmp_path))


def test_two_runs_cannot_share_a_workdir(tmp_path):
    with WorkdirLock(str(tmp_path)):
        with pytest.raises(ValueError, match=rf"is in use by PID {os.getpid()} on host .*: wait "
                                             "for that run to end or pass another --workdir"):
            train_and_evaluate(tiny_ring(), str(tmp_path))
    assert not os.path.exists(tmp_path / "checkpoints")
    train_and_evaluate(tiny_ring(), str(tmp_path))  # released: the run goes ahead


@pytest.mark.parametrize("key, value, message", [
    ("epochs", 0, r"config.train.epochs must be an integer >= 1. Received: 0"),
    ("steps_per_epoch", -1, r"config.train.steps_per_epoch must be a positive integer, or None"),
    ("batch_size", 0, r"config.train.batch_size must be an integer >= 1"),
])
def test_bad_numbers_are_refused_before_training(key, value, message, tmp_path):
    config = tiny_ring()
    config.train[key] = value
    with pytest.raises(ValueError, match=message):
        train_and_evaluate(config, str(tmp_path / "run"))
    assert not os.path.exists(tmp_path / "run")


def test_bad_paths_are_refused_before_training(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ValueError, match="--workdir=.* is a file: pass a folder"):
        train_and_evaluate(tiny_ring(), str(a_file))
    with pytest.raises(ValueError, match="--export_dir=.* is a file: pass a new folder"):
        train_and_evaluate(tiny_ring(), str(tmp_path / "run"), export_dir=str(a_file))
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "saved_model.pb").write_bytes(b"")
    with pytest.raises(ValueError, match="already holds a SavedModel"):
        train_and_evaluate(tiny_ring(), str(tmp_path / "run"), export_dir=str(tmp_path / "export"))
    assert not os.path.exists(tmp_path / "run")


def test_a_checkpoint_whose_step_counter_disagrees_with_its_epoch_is_refused(tmp_path):
    import tensorflow as tf

    model = train_and_evaluate(tiny_ring(epochs=1), str(tmp_path))  # 1 epoch of 3 steps
    model.step_count.assign(5)
    checkpoint = tf.train.Checkpoint(model=model, epoch=tf.Variable(1, dtype=tf.int64))
    tf.train.CheckpointManager(checkpoint, str(tmp_path / "checkpoints"), 2).save(2)
    saved_config = (tmp_path / "config.json").read_text()
    config = tiny_ring(epochs=2)
    config.train.g_optimizer.learning_rate = 5e-4  # a change a resumed run may take
    with pytest.raises(ValueError, match=r"ckpt-2 is inconsistent: 1 epochs of 3 steps but 5 "
                                         r"steps recorded"):
        train_and_evaluate(config, str(tmp_path))
    # the refused resume leaves the saved config describing the saved checkpoint
    assert (tmp_path / "config.json").read_text() == saved_config
