"""``config.train.precision``: the ``auto`` rule, and float32 losses, outputs, metrics and
variables under every Keras dtype policy (Micikevicius et al. 2018, Sections 3.1-3.3)."""

import contextlib
import io
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import gan_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses.penalties import gradient_penalty
from tfgan_kit.models import GAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.training import train_and_evaluate
from tfgan_kit.training.precision import (
    cpu_flags,
    detect_precision,
    dtype_policy,
    resolve_precision,
)
from tfgan_kit.training.trainer import check_config
from tfgan_kit.training.workdir import saved_value

POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")
COMPUTE = {"float32": "float32", "mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}


@pytest.fixture(autouse=True)
def restore_policy():
    """Every test leaves Keras' global dtype policy as it found it."""
    previous = keras.config.dtype_policy()
    yield
    keras.config.set_dtype_policy(previous)


@pytest.mark.parametrize("cpu, gpus, expected", [
    ({"avx2", "avx512f"}, [], "float32"),
    ({"avx2", "avx512_bf16"}, [], "mixed_bfloat16"),
    ({"amx_bf16"}, [], "mixed_bfloat16"),
    (set(), [(8, 0)], "mixed_bfloat16"),
    (set(), [(9, 0)], "mixed_bfloat16"),
    (set(), [(7, 0)], "mixed_float16"),
    ({"avx512_bf16"}, [(7, 5)], "mixed_float16"),  # the GPU decides, not the host CPU
    ({"avx512_bf16"}, [(6, 1)], "float32"),
    (set(), [(8, 6), (7, 5)], "mixed_float16"),  # every GPU must run it: the lowest decides
])
def test_auto_resolves_by_gpu_capability_then_cpu_flags(cpu, gpus, expected):
    policy, reason = resolve_precision("auto", cpu, gpus)
    assert policy == expected
    assert reason.startswith("auto: ")
    if gpus:
        lowest = min(gpus)
        assert f"compute capability {lowest[0]}.{lowest[1]}" in reason
    elif expected == "mixed_bfloat16":
        assert any(flag in reason for flag in cpu)


@pytest.mark.parametrize("setting", POLICIES)
def test_an_explicit_setting_is_taken_as_is(setting):
    assert resolve_precision(setting, {"avx512_bf16"}, [(8, 0)]) == (
        setting, "set in config.train.precision")
    assert detect_precision(setting)[0] == setting


def test_an_unknown_setting_names_the_valid_ones():
    message = (r"config.train.precision must be one of auto, float32, mixed_bfloat16, "
               r"mixed_float16. Received: 'bf16'")
    with pytest.raises(ValueError, match=message):
        resolve_precision("bf16", (), ())
    config = gan_ring.get_config()
    config.train.precision = "bf16"
    with pytest.raises(ValueError, match=message):
        check_config(config)


def test_cpu_flags_come_from_the_first_flags_line(tmp_path):
    path = tmp_path / "cpuinfo"
    path.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512_bf16\n\nflags\t\t: other\n")
    assert cpu_flags(str(path)) == {"fpu", "avx2", "avx512_bf16"}
    assert cpu_flags(str(tmp_path / "missing")) == frozenset()


def test_dtype_policy_restores_the_previous_policy():
    with dtype_policy("mixed_bfloat16"):
        assert keras.config.dtype_policy().name == "mixed_bfloat16"
    assert keras.config.dtype_policy().name == "float32"


@pytest.fixture(scope="module", params=POLICIES)
def trained(request, tmp_path_factory):
    """A tiny MLP GAN built, compiled, stepped once and exported under each policy."""
    policy = request.param
    with dtype_policy(policy):
        keras.utils.set_random_seed(0)
        model = GAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                    mlp_discriminator(2, hidden=(16,)), latent_dim=4)
        model.compile(g_optimizer=keras.optimizers.Adam(1e-3),
                      d_optimizer=keras.optimizers.Adam(1e-3))
        real = tf.constant(np.random.default_rng(0).normal(size=(8, 2)), tf.float32)
        z = model.noise(8)
        losses = {"d": model.discriminator_loss(real, z, 0), "g": model.generator_objective(z),
                  "gp": gradient_penalty(model.discriminator, real, model.generate(z),
                                         tf.fill([8], 0.5))}
        logs = model.train_step(real)
        export_dir = str(tmp_path_factory.mktemp(f"export_{policy}") / "saved")
        export_model(model, export_dir)
    served = tf.saved_model.load(export_dir).signatures["serving_default"](z=z)["images"]
    return policy, model, real, z, losses, logs, served


def test_nets_compute_in_the_policy_with_float32_outputs_and_variables(trained):
    policy, model, real, z, *_ = trained
    hidden = model.generator.get_layer("dense_0")
    assert hidden.compute_dtype == COMPUTE[policy]  # the policy did apply
    assert model.generator.get_layer("output").compute_dtype == "float32"
    assert model.discriminator.get_layer("logits").compute_dtype == "float32"
    assert model.generate(z).dtype == tf.float32
    assert model.discriminator(real).dtype == tf.float32
    assert {v.dtype for v in model.generator.weights + model.discriminator.weights} == {"float32"}


def test_losses_penalties_logs_and_metrics_are_float32(trained):
    policy, model, _, _, losses, logs, _ = trained
    for name, loss in losses.items():
        assert loss.dtype == tf.float32, name
        assert np.isfinite(float(loss)), name
    for name, value in logs.items():
        assert value.dtype == tf.float32, name
        assert np.isfinite(float(value)), name
    assert [m.dtype for m in model.metrics] == ["float32", "float32"]
    assert int(model.step_count) == 1


def test_mixed_float16_scales_the_loss_and_others_do_not(trained):
    policy, model, *_ = trained
    scaled = [isinstance(o, keras.optimizers.LossScaleOptimizer)
              for o in model.optimizers.values()]
    assert scaled == [policy == "mixed_float16"] * 2


def test_the_exported_serving_output_is_float32_and_matches_generate(trained):
    policy, model, _, z, _, _, served = trained
    assert served.dtype == tf.float32
    tolerance = 1e-6 if policy == "float32" else 0.05  # half-precision hidden layers
    np.testing.assert_allclose(served.numpy(), model.generate(z).numpy(), atol=tolerance)


def tiny_ring(epochs: int, precision: str):
    config = gan_ring.get_config()
    config.data.num_examples = 128
    config.model.g_hidden = (8,)
    config.model.d_hidden = (8,)
    config.train.update(batch_size=64, epochs=epochs, steps_per_epoch=2, jit_compile=False,
                        num_samples=16, verbose="2", precision=precision)
    return config


def quiet_run(config, workdir):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        model = train_and_evaluate(config, str(workdir))
    return model, buffer.getvalue().splitlines()


def test_the_trainer_applies_the_setting_says_why_and_restores_the_policy(tmp_path):
    model, lines = quiet_run(tiny_ring(1, "mixed_bfloat16"), tmp_path / "run")
    assert keras.config.dtype_policy().name == "float32"
    assert model.generator.get_layer("dense_0").compute_dtype == "bfloat16"
    assert "precision mixed_bfloat16 (set in config.train.precision), no XLA" in lines


def test_a_resume_may_switch_to_bfloat16_but_not_to_loss_scaling(tmp_path):
    workdir = tmp_path / "run"
    quiet_run(tiny_ring(1, "float32"), workdir)
    model, _ = quiet_run(tiny_ring(2, "mixed_bfloat16"), workdir)
    assert int(model.step_count) == 4
    with pytest.raises(ValueError, match=r"trained under mixed_bfloat16 and this config gives "
                                         r"mixed_float16: .* config.train.precision="
                                         r"'mixed_bfloat16', or pass a new --workdir"):
        quiet_run(tiny_ring(3, "mixed_float16"), workdir)
    assert saved_value(str(workdir / "config.json"), "train.precision") == "mixed_bfloat16"


def test_train_py_takes_the_setting_on_any_scheme_config(tmp_path):
    """configs/ files have no train.precision; train.py adds it (unset) so an override parses,
    and a bad value is one error line naming the valid ones."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run(
        [sys.executable, "train.py", "--config=configs/gan_ring.py",
         "--config.train.precision=bf16", f"--workdir={tmp_path}"],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: config.train.precision must be one of auto, float32, "
                      "mixed_bfloat16, mixed_float16. Received: 'bf16'"], result.stderr[-2000:]


def test_mixed_float16_steps_are_unscaled_like_float32_steps():
    """The loss is multiplied by the loss scale (2^15) before differentiation and the gradients
    divided by it before the update: one SGD step moves the weights as far as in float32."""
    deltas = {}
    for policy in ("float32", "mixed_float16"):
        with dtype_policy(policy):
            keras.utils.set_random_seed(1)
            model = GAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                        mlp_discriminator(2, hidden=(16,)), latent_dim=4)
            model.compile(g_optimizer=keras.optimizers.SGD(0.1),
                          d_optimizer=keras.optimizers.SGD(0.1))
            before = [w.numpy() for w in model.discriminator.trainable_weights]
            model.train_step(tf.constant(np.random.default_rng(1).normal(size=(16, 2)),
                                         tf.float32))
            after = [w.numpy() for w in model.discriminator.trainable_weights]
            deltas[policy] = np.concatenate([(a - b).ravel() for a, b in zip(after, before)])
            if policy == "mixed_float16":
                assert float(model.d_optimizer.dynamic_scale) == 2.0**15  # a finite step
    assert np.linalg.norm(deltas["float32"]) > 1e-3
    np.testing.assert_allclose(deltas["mixed_float16"], deltas["float32"], atol=1e-4)
