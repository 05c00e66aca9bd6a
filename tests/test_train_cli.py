"""train.py end to end in subprocesses: outputs, exact resume, and one-line errors on bad input."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import tfgan_kit.models  # noqa: F401  (registers the scheme classes for load_model)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TINY_DCGAN = [
    "--config=configs/dcgan_digits.py",
    "--config.train.epochs=1",
    "--config.train.steps_per_epoch=2",
    "--config.train.batch_size=16",
    "--config.train.num_samples=16",
    "--config.model.g_base_filters=8",
    "--config.model.d_base_filters=8",
]
TINY_RING = [
    "--config=configs/gan_ring.py",
    "--config.train.steps_per_epoch=5",
    "--config.train.batch_size=64",
    "--config.train.num_samples=200",
    "--config.train.sample_every_epochs=1",
    "--config.train.jit_compile=False",
    "--config.model.g_hidden=(32, 32)",
    "--config.model.d_hidden=(32, 32)",
    "--deterministic",
]


def run_train(*args, check=True):
    env = {k: v for k, v in os.environ.items() if k != "TF_CONFIG"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    result = subprocess.run([sys.executable, "train.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        pytest.fail(f"train.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def epoch_pictures(workdir):
    return sorted(f for f in os.listdir(workdir / "samples") if f.startswith("epoch_"))


def model_weights(workdir):
    model = keras.models.load_model(os.path.join(workdir, "model.keras"), safe_mode=True)
    return model, [w.numpy() for w in model.weights]


def test_train_py_writes_samples_checkpoint_model_and_saved_model(tmp_path):
    workdir, export_dir = tmp_path / "run", tmp_path / "export"
    run_train(*TINY_DCGAN, f"--workdir={workdir}", f"--export_dir={export_dir}")
    assert (workdir / "samples" / "epoch_0001.png").exists()
    assert (workdir / "checkpoints" / "checkpoint").exists() and (workdir / "config.json").exists()
    assert (export_dir / "saved_model.pb").exists()
    assert any((workdir / "tensorboard").rglob("events.out.tfevents*"))
    model, _ = model_weights(workdir)
    assert model.generate(np.zeros((2, 100), np.float32)).shape == (2, 32, 32, 1)


def test_resume_in_a_new_process_matches_an_uninterrupted_run(tmp_path):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    run_train(*TINY_RING, "--config.train.epochs=4", f"--workdir={straight}")
    run_train(*TINY_RING, "--config.train.epochs=2", f"--workdir={resumed}")
    assert epoch_pictures(resumed) == ["epoch_0001.png", "epoch_0002.png"]
    first_half = os.path.getmtime(resumed / "samples" / "epoch_0002.png")
    run_train(*TINY_RING, "--config.train.epochs=4", f"--workdir={resumed}")
    # Sample numbering continues, and the first run's samples were not rewritten.
    assert epoch_pictures(resumed) == [f"epoch_000{i}.png" for i in range(1, 5)]
    assert {"progress.png", "progress.gif", "history.json"} <= set(os.listdir(resumed / "samples"))
    assert os.path.getmtime(resumed / "samples" / "epoch_0002.png") == first_half
    a_model, a = model_weights(straight)
    b_model, b = model_weights(resumed)
    assert int(a_model.g_optimizer.iterations) == int(b_model.g_optimizer.iterations) == 20
    for wa, wb in zip(a, b):
        np.testing.assert_array_equal(wa, wb)


def _single_error_line(result):
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return lines[0]


def test_unknown_config_key_names_the_valid_keys(tmp_path):
    line = _single_error_line(run_train(*TINY_DCGAN, "--config.train.lerning_rate=1",
                                        f"--workdir={tmp_path}", check=False))
    assert "train.lerning_rate" in line and "'batch_size'" in line


def test_unknown_scheme_names_the_valid_schemes(tmp_path):
    line = _single_error_line(run_train(*TINY_DCGAN, "--config.scheme=gam",
                                        f"--workdir={tmp_path}", check=False))
    assert "'gam'" in line and "'gan'" in line


def test_unprepared_tfds_dataset_says_how_to_prepare_it(tmp_path):
    line = _single_error_line(run_train(
        "--config=configs/dcgan_mnist.py", f"--config.data.data_dir={tmp_path / 'tfds'}",
        f"--workdir={tmp_path / 'run'}", check=False))
    assert "tfds build mnist" in line


def test_corrupt_checkpoint_is_reported_and_left_in_place(tmp_path):
    checkpoints = tmp_path / "checkpoints"
    checkpoints.mkdir()
    (checkpoints / "checkpoint").write_text('model_checkpoint_path: "ckpt-1"\n'
                                            'all_model_checkpoint_paths: "ckpt-1"\n')
    (checkpoints / "ckpt-1.index").write_bytes(b"garbage")
    line = _single_error_line(run_train(*TINY_DCGAN, "--config.train.epochs=2",
                                        f"--workdir={tmp_path}", check=False))
    assert "No checkpoint in" in line and "corrupt" in line and "move that folder away" in line
    assert (checkpoints / "ckpt-1.index").read_bytes() == b"garbage"


def test_missing_config_file_is_one_line(tmp_path):
    line = _single_error_line(run_train("--config=configs/nope.py", f"--workdir={tmp_path}",
                                        check=False))
    assert "--config=configs/nope.py: no such file" in line
