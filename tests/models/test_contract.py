"""The scheme contract carries schemes of awkward shapes end to end without special cases.

Both schemes live in tests/models/contract_schemes.py: train_and_evaluate -> .keras (safe_mode)
-> export -> `python -m tfgan_kit.sample`.
"""

import os
import subprocess
import sys

import keras
import ml_collections
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

from .contract_schemes import B_SHIFT, REGISTRATIONS, TeacherMatch, TwoWayTranslator


@pytest.fixture(scope="module", autouse=True)
def contract_registrations():
    """The test schemes and data set exist in the registry for this module only."""
    for table, name, builder in REGISTRATIONS:
        table[name] = builder
    yield
    for table, name, _ in REGISTRATIONS:
        table.pop(name, None)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_config(scheme: str, data: dict, model: dict, optimizers: dict, epochs: int,
                steps_per_epoch: int | None = None) -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.scheme, config.seed = scheme, 0
    config.data = ml_collections.ConfigDict(data)
    config.model = ml_collections.ConfigDict(model)
    config.train = ml_collections.ConfigDict(dict(
        batch_size=64, epochs=epochs, steps_per_epoch=steps_per_epoch, steps_per_execution=1,
        jit_compile=False, sample_every_epochs=epochs, num_samples=256, verbose=0,
        precision="float32",  # exported and in-memory outputs are compared to 1e-5
        **optimizers))
    return config


def run_sample(*args):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run([sys.executable, "-m", "tfgan_kit.sample", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def untrained(config) -> keras.Model:
    """The scheme as train_and_evaluate builds it, before any step (same seed, same weights)."""
    spec = get_dataset(config.data.name)(config, config.train.batch_size)
    keras.utils.set_random_seed(config.seed)
    return get_scheme(config.scheme)(config, spec)


def load(workdir) -> keras.Model:
    return keras.models.load_model(os.path.join(workdir, "model.keras"), safe_mode=True)


def two_way_config() -> ml_collections.ConfigDict:
    adam = {"name": "adam", "learning_rate": 5e-3, "beta_1": 0.5}
    return make_config("test_two_way", dict(name="test_unpaired_rings", num_examples=1280),
                       dict(hidden=(32, 32), cycle_weight=1.0),
                       dict(g_optimizer=adam, d_optimizer=adam), epochs=6)


@pytest.fixture(scope="module")
def two_way(tmp_path_factory):
    root = tmp_path_factory.mktemp("two_way")
    config = two_way_config()
    before = untrained(config)
    model = train_and_evaluate(config, str(root / "run"), export_dir=str(root / "export"))
    return model, before, root


def test_four_nets_two_optimizers_each_own_two(two_way):
    model, _, _ = two_way
    assert sorted(model.nets) == ["d_a", "d_b", "g_ab", "g_ba"]
    assert set(model.optimizers) == {"g", "d"}
    g_vars = {id(v) for v in model.g_ab.trainable_variables + model.g_ba.trainable_variables}
    assert {id(v) for v in model.variables_of("g")} == g_vars
    # 6 epochs of 20 steps (1280 / 64), one update per optimizer per step.
    assert int(model.g_optimizer.iterations) == int(model.d_optimizer.iterations) == 120
    assert int(model.step_count) == 120


def test_unpaired_translation_moves_a_towards_b(two_way):
    model, untrained, _ = two_way
    a = np.random.default_rng(1).normal(0, 0.05, (500, 2)).astype(np.float32)
    before = np.linalg.norm(untrained.g_ab(a).numpy().mean(0) - B_SHIFT)
    after = np.linalg.norm(model.g_ab(a).numpy().mean(0) - B_SHIFT)
    assert after < 0.5 * before, (before, after)


def test_keras_file_round_trip_holds_all_four_nets_and_both_optimizers(two_way):
    model, _, root = two_way
    loaded = load(root / "run")
    assert isinstance(loaded, TwoWayTranslator) and loaded.cycle_weight == 1.0
    assert int(loaded.d_optimizer.iterations) == 120 and loaded.get_compile_config() is not None
    for a, b in zip(model.weights, loaded.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_two_endpoints_exported_and_sampled_from_the_command_line(two_way, tmp_path):
    model, _, root = two_way
    loaded = tf.saved_model.load(str(root / "export"))
    assert {"a_to_b", "b_to_a"} <= set(loaded.signatures)
    points = np.random.default_rng(2).normal(size=(7, 2)).astype(np.float32)
    b_to_a = loaded.signatures["b_to_a"](points=tf.constant(points))["points"].numpy()
    np.testing.assert_allclose(b_to_a, model.g_ba(points).numpy(), atol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`points` of a_to_b must have "
                       r"shape \[batch, 2\]"):
        loaded.signatures["a_to_b"](points=tf.zeros((3, 5)))
    np.save(tmp_path / "a.npy", points)
    run_sample("--saved_model", str(root / "export"), "--signature", "a_to_b",
               "--input_npy", str(tmp_path / "a.npy"), "--npy", str(tmp_path / "ab.npy"),
               "--out", str(tmp_path / "ab.png"))
    np.testing.assert_allclose(np.load(tmp_path / "ab.npy"), model.g_ab(points).numpy(),
                               atol=1e-5)
    assert (tmp_path / "ab.png").exists()
    assert (root / "run" / "samples" / "epoch_0006.png").exists()  # the scheme's own picture


def test_rerunning_the_finished_command_re_exports_and_the_summary_names_a_signature(
        two_way, capsys):
    """A scheme without ``serving_default`` (CycleGAN's shape): the summary's sample line names
    the first signature and what to feed; rerunning the same command (same workdir and
    export_dir) trains nothing and writes the export again instead of refusing it."""
    _, _, root = two_way
    export = root / "export"
    before = os.path.getmtime(export / "saved_model.pb")
    config = two_way_config()
    config.train.verbose = 2
    train_and_evaluate(config, str(root / "run"), export_dir=str(export))
    out = capsys.readouterr().out
    assert "(complete: 6 epochs done)" in out
    assert (f"python -m tfgan_kit.sample --saved_model={export} --signature=a_to_b "
            "--input_npy=points=<points.npy>") in out
    assert os.path.getmtime(export / "saved_model.pb") > before
    assert {"a_to_b", "b_to_a"} <= set(tf.saved_model.load(str(export)).signatures)
    assert not [f for f in os.listdir(root) if f.startswith(".partial.")]
    # Another run may not replace it.
    with pytest.raises(ValueError, match=r"already holds a SavedModel \(of the run in "):
        train_and_evaluate(two_way_config(), str(root / "other"), export_dir=str(export))


@pytest.fixture(scope="module")
def teacher_match(tmp_path_factory):
    root = tmp_path_factory.mktemp("teacher")
    config = make_config("test_teacher_match", dict(name="none"),
                         dict(latent_dim=4, hidden=(16,), target=3.0),
                         dict(g_optimizer={"name": "adam", "learning_rate": 1e-2}),
                         epochs=3, steps_per_epoch=40)
    initial = untrained(config)
    model = train_and_evaluate(config, str(root / "run"), export_dir=str(root / "export"))
    return model, initial, root


def teacher_loss(model) -> float:
    z = np.random.default_rng(3).normal(size=(256, 4)).astype(np.float32)
    x = model.generate(z).numpy()
    return float(np.mean((x[:, 0] + 2.0 * x[:, 1] - 3.0) ** 2))  # T(x) = x_0 + 2 x_1


def test_data_free_generator_learns_against_the_frozen_teacher(teacher_match):
    model, initial, _ = teacher_match
    assert set(model.nets) == {"generator", "teacher"} and set(model.optimizers) == {"g"}
    assert not model.teacher.trainable and model.teacher.trainable_weights == []
    assert model.variables_of("g") == model.generator.trainable_variables
    for w, before in zip(model.teacher.weights, initial.teacher.weights):
        np.testing.assert_array_equal(w.numpy(), before.numpy())  # frozen: never trained
    assert teacher_loss(model) < teacher_loss(initial) / 100, (
        teacher_loss(initial), teacher_loss(model))


def test_frozen_teacher_is_saved_and_the_generator_is_served(teacher_match, tmp_path):
    model, initial, root = teacher_match
    loaded = load(root / "run")
    assert isinstance(loaded, TeacherMatch) and not loaded.teacher.trainable
    for w, before in zip(loaded.teacher.weights, initial.teacher.weights):
        np.testing.assert_array_equal(w.numpy(), before.numpy())
    run_sample("--saved_model", str(root / "export"), "--num", "10", "--seed", "4",
               "--npy", str(tmp_path / "z.npy"), "--out", str(tmp_path / "scatter.png"))
    z = tf.random.stateless_normal([10, 4], seed=[4, 0])
    np.testing.assert_allclose(np.load(tmp_path / "z.npy"), model.generate(z).numpy(), atol=1e-5)


def test_trainer_refuses_data_the_scheme_cannot_use(tmp_path):
    config = make_config("test_teacher_match", dict(name="test_unpaired_rings",
                                                    num_examples=128),
                         dict(latent_dim=4, hidden=(16,), target=3.0),
                         dict(g_optimizer={"name": "adam"}), epochs=1)
    with pytest.raises(ValueError, match="trains on none batches, but data set "
                       "'test_unpaired_rings' gives unpaired batches"):
        train_and_evaluate(config, str(tmp_path / "run"))
