"""What a run prints: the banner (fresh, resumed, complete), the summary, and the progress mode."""

import contextlib
import io
import os
import re

import numpy as np
import pytest

from configs import gan_ring
from tfgan_kit.training import detect_precision, train_and_evaluate
from tfgan_kit.training.trainer import progress_verbosity


def tiny_ring(epochs: int):
    config = gan_ring.get_config()
    config.data.num_examples = 640
    config.model.g_hidden = (16,)
    config.model.d_hidden = (16,)
    config.train.update(batch_size=64, epochs=epochs, steps_per_epoch=5, jit_compile=False,
                        sample_every_epochs=1, num_samples=200, verbose="2")
    config.train.precision = None  # the trainer's default, which the banner explains
    return config


def line(lines, prefix):
    found = [text for text in lines if text.startswith(prefix)]
    assert len(found) == 1, f"no single line starting with {prefix!r} in:\n" + "\n".join(lines)
    return found[0]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One workdir run three times: 2 epochs fresh, resumed to 3 (+ export), rerun when done."""
    workdir = tmp_path_factory.mktemp("report") / "run"
    export_dir = str(workdir) + "_export"
    outputs = []
    for epochs, export in ((2, None), (3, export_dir), (3, None)):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            model = train_and_evaluate(tiny_ring(epochs), str(workdir), export_dir=export)
        outputs.append(buffer.getvalue().splitlines())
    return workdir, export_dir, model, outputs


def test_banner_names_scheme_data_nets_batch_devices_and_a_fresh_start(runs):
    workdir, _, model, (fresh, _, _) = runs
    assert line(fresh, "tfgan_kit gan: ").endswith(
        'Goodfellow et al. 2014, "Generative Adversarial Nets", Algorithm 1')
    assert line(fresh, "data ") == ("data      gaussian_ring: 640 examples of shape (2,), "
                                    "8 mixture modes")
    counts = {name: sum(int(np.prod(w.shape)) for w in getattr(model, name).weights)
              for name in ("generator", "discriminator")}
    assert line(fresh, "nets ") == (f"nets      generator {counts['generator']:,} params, "
                                    f"discriminator {counts['discriminator']:,} params")
    # gan_ring's steps_per_execution 10 does not divide 5 steps: 5 per call, exact epochs.
    assert line(fresh, "training ") == ("training  2 epochs x 5 steps, global batch 64 "
                                        "(1 replica, default strategy), 5 steps per call")
    policy, reason = detect_precision("auto")  # the default, resolved on this machine
    assert line(fresh, "precision ") == (
        f"precision {policy} (config.train.precision unset, so {reason}), no XLA")
    assert line(fresh, "workdir ") == f"workdir   {workdir} (fresh run)"


def test_resume_and_complete_lines_say_where_the_run_stands(runs):
    workdir, _, _, (_, resumed, again) = runs
    assert line(resumed, "workdir ") == f"workdir   {workdir} (resuming after epoch 2 (step 10))"
    assert re.fullmatch(r"done: 3 epochs, 15 steps \(1 epochs in \d+ s in this run\)",
                        line(resumed, "done: "))
    assert line(again, "workdir ") == f"workdir   {workdir} (complete: 3 epochs done)"
    assert line(again, "already complete: ") == (
        "already complete: 15 steps; raise --config.train.epochs above the epochs done to train "
        "further")
    assert not any(text.startswith("done: ") for text in again)


def test_summary_gives_paths_losses_and_next_commands(runs):
    workdir, export_dir, _, (fresh, resumed, _) = runs
    final = line(resumed, "final ")
    values = dict(re.findall(r"(d_loss|g_loss) (-?\d+\.\d+)", final))
    assert set(values) == {"d_loss", "g_loss"}
    assert all(np.isfinite(float(v)) for v in values.values())
    assert line(resumed, "model ") == f"model     {workdir}/model.keras"
    assert os.path.isfile(os.path.join(workdir, "model.keras"))
    assert line(resumed, "logs ") == f"logs      {workdir}/tensorboard"
    assert line(resumed, "export ") == f"export    {export_dir} (SavedModel)"
    assert line(resumed, "exported ").startswith("exported serving_default in ")
    assert f"  tensorboard --logdir {workdir}/tensorboard" in resumed
    assert (f"  python -m tfgan_kit.sample --saved_model={export_dir} "
            f"--out={workdir}/sample.png") in resumed
    # Without an export, the summary says how to export without retraining.
    assert any(text.strip().startswith("python train.py") and "--export_dir=DIR" in text
               for text in fresh)


def test_verbose_0_is_silent(tmp_path, capsys):
    config = tiny_ring(1)
    config.train.verbose = "0"
    train_and_evaluate(config, str(tmp_path / "run"))
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("tty, setting, expected", [
    (True, "auto", 1), (False, "auto", 2), (True, 2, 2), (False, "0", 0)])
def test_progress_is_a_bar_on_a_terminal_and_one_line_per_epoch_otherwise(
        monkeypatch, tty, setting, expected):
    class Stream(io.StringIO):
        def isatty(self):
            return tty

    monkeypatch.setattr("sys.stdout", Stream())
    assert progress_verbosity(setting) == expected
