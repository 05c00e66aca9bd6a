"""f-GAN (Nowozin et al. 2016): F = E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))], alternating or
Algorithm 1's single-step gradient method."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from absl import flags
from ml_collections import config_flags

from configs import fgan_digits, fgan_grid, fgan_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses.fdivergence import (
    DIVERGENCES,
    fgan_discriminator_loss,
    fgan_generator_loss,
)
from tfgan_kit.models.fgan import FGAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.registry import get_dataset, get_scheme

REAL = tf.constant(np.random.default_rng(0).normal(size=(16, 2)), tf.float32)


def make_fgan(lr=0.05, seed=0, **kwargs):
    keras.utils.set_random_seed(0)
    model = FGAN(mlp_generator(4, 2, hidden=(8,), output_activation="linear"),
                 mlp_discriminator(2, hidden=(8,)), latent_dim=4, seed=seed, **kwargs)
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def assert_same_weights(net, ref):
    for w, r in zip(net.get_weights(), ref.get_weights(), strict=True):
        np.testing.assert_allclose(w, r, atol=1e-6)


@pytest.mark.parametrize("objective", ["practical", "saddle"])
@pytest.mark.parametrize("divergence", ["kl", "pearson"])
def test_single_step_is_algorithm_1_with_sgd(divergence, objective):
    """One minibatch, one backward pass of F at (theta^t, omega^t); omega <- omega + eta dF/domega,
    theta <- theta - eta dF/dtheta (saddle), or + eta dE_Q[g_f(V)]/dtheta (practical, Sec. 3.2)."""
    eta = 0.05
    model = make_fgan(eta, divergence=divergence, method="single_step",
                      generator_objective=objective)
    z = model.noise(16, stream=0)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    g_f = DIVERGENCES[divergence].activation
    conjugate = DIVERGENCES[divergence].conjugate
    omega, theta = d_ref.trainable_variables, g_ref.trainable_variables
    with tf.GradientTape(persistent=True) as tape:  # written out from Eq. 6 and Table 2
        v_fake = d_ref(g_ref(z))
        F = tf.reduce_mean(g_f(d_ref(REAL))) - tf.reduce_mean(conjugate(g_f(v_fake)))
        practical = tf.reduce_mean(g_f(v_fake))
    grad_omega, grad_theta = tape.gradient(F, omega), tape.gradient(F, theta)
    if objective == "practical":
        grad_theta = [-g for g in tape.gradient(practical, theta)]  # theta ascends E_Q[g_f(V)]
    assert max(float(tf.reduce_max(tf.abs(g))) for g in grad_omega + grad_theta) > 1e-3
    for v, g in zip(omega, grad_omega):
        v.assign_add(eta * g)  # ascent on F
    for v, g in zip(theta, grad_theta):
        v.assign_sub(eta * g)  # descent

    logs = model.train_step(REAL)
    np.testing.assert_allclose(float(logs["divergence"]), float(F), rtol=1e-5)
    np.testing.assert_allclose(float(logs["d_loss"]), -float(F), rtol=1e-5)
    expected_g = -float(practical) if objective == "practical" else \
        -float(tf.reduce_mean(conjugate(g_f(v_fake))))
    np.testing.assert_allclose(float(logs["g_loss"]), expected_g, rtol=1e-5)
    assert_same_weights(model.discriminator, d_ref)
    assert_same_weights(model.generator, g_ref)
    assert int(model.d_optimizer.iterations) == int(model.g_optimizer.iterations) == 1


@pytest.mark.parametrize("objective", ["practical", "saddle"])
def test_alternating_wires_the_fgan_losses(objective):
    """D descends fgan_discriminator_loss (-F) on (x, z_0), then G descends fgan_generator_loss
    on fresh codes z_1 against the updated D; divergence = F before the update."""
    model = make_fgan(divergence="squared_hellinger", generator_objective=objective)
    z_d, z_g = model.noise(16, stream=0), model.noise(16, stream=1)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    with tf.GradientTape() as tape:
        d_loss = fgan_discriminator_loss(d_ref(REAL), d_ref(g_ref(z_d)), "squared_hellinger")
    for v, g in zip(d_ref.trainable_variables, tape.gradient(d_loss, d_ref.trainable_variables)):
        v.assign_sub(0.05 * g)
    with tf.GradientTape() as tape:
        g_loss = fgan_generator_loss(d_ref(g_ref(z_g)), "squared_hellinger",
                                     practical=objective == "practical")
    for v, g in zip(g_ref.trainable_variables, tape.gradient(g_loss, g_ref.trainable_variables)):
        v.assign_sub(0.05 * g)

    logs = model.train_step(REAL)
    np.testing.assert_allclose(float(logs["d_loss"]), float(d_loss), rtol=1e-5)
    np.testing.assert_allclose(float(logs["divergence"]), -float(d_loss), rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), float(g_loss), rtol=1e-5)
    assert_same_weights(model.discriminator, d_ref)
    assert_same_weights(model.generator, g_ref)


@pytest.mark.parametrize("method", ["alternating", "single_step"])
@pytest.mark.parametrize("divergence", sorted(DIVERGENCES))
def test_every_divergence_builds_and_trains_a_step(divergence, method):
    model = make_fgan(1e-3, divergence=divergence, method=method)
    before = [w.copy() for w in model.generator.get_weights()]
    logs = model.train_step(REAL)
    assert set(logs) == {"d_loss", "g_loss", "divergence"}
    assert all(np.isfinite(float(v)) for v in logs.values()), logs
    assert any(not np.allclose(a, b) for a, b in zip(before, model.generator.get_weights()))


def test_divergence_estimate_approaches_kl_from_below():
    """KL(N(0, 1) || N(1, 1)) = 1/2, attained by the linear T*(x) = 1 + log(p/q) = 1.5 - x: a
    linear variational function trained alone (generator G(z) = z + 1 frozen) brings the logged
    bound F up to about 1/2, and F on a large fresh sample stays below it."""
    keras.utils.set_random_seed(0)
    generator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    generator.set_weights([np.ones((1, 1), np.float32), np.ones(1, np.float32)])
    critic = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model = FGAN(generator, critic, latent_dim=1, divergence="kl")
    model.compile(g_optimizer=keras.optimizers.SGD(0.0),
                  d_optimizer=keras.optimizers.Adam(0.05))
    data = np.random.default_rng(0).normal(size=(20480, 1)).astype(np.float32)
    history = model.fit(data, batch_size=512, epochs=8, verbose=0).history
    assert history["divergence"][0] < 0.3 < 0.4 < history["divergence"][-1] < 0.55
    w, b = (float(np.ravel(v)[0]) for v in critic.get_weights())
    assert abs(w + 1) < 0.15 and abs(b - 1.5) < 0.15, (w, b)  # T* = 1.5 - x
    p = np.random.default_rng(1).normal(size=(200_000, 1)).astype(np.float32)
    q = p + 1.0
    bound = -float(fgan_discriminator_loss(critic(p), critic(q), "kl"))
    assert 0.45 < bound <= 0.5 + 0.01


def test_unknown_names_are_rejected_listing_the_valid_ones():
    g, d = mlp_generator(4, 2), mlp_discriminator(2)
    with pytest.raises(ValueError, match=r"`divergence` must be one of \['kl', 'reverse_kl', "
                                         r"'pearson', 'neyman', 'squared_hellinger', "
                                         r"'jensen_shannon', 'gan'\]"):
        FGAN(g, d, latent_dim=4, divergence="wasserstein")
    with pytest.raises(ValueError, match=r"`method` must be one of \['alternating', "
                                         r"'single_step'\]"):
        FGAN(g, d, latent_dim=4, method="simultaneous")
    with pytest.raises(ValueError, match=r"`generator_objective` must be one of \['practical', "
                                         r"'saddle'\]"):
        FGAN(g, d, latent_dim=4, generator_objective="non_saturating")
    with pytest.raises(ValueError, match="method='single_step' .* use d_steps=1"):
        FGAN(g, d, latent_dim=4, method="single_step", d_steps=2)
    with pytest.raises(ValueError, match=r"not compiled: call model.compile"):
        FGAN(g, d, latent_dim=4, method="single_step").train_step(REAL)


def test_single_step_one_and_two_replicas_take_the_same_step(mirrored_strategy):
    """The hand-written single step divides by the replica count like `optimize`."""
    data = tf.data.Dataset.from_tensor_slices(
        np.random.default_rng(1).normal(size=(32, 2)).astype(np.float32)).batch(16)
    kwargs = dict(divergence="jensen_shannon", method="single_step", generator_objective="saddle")
    single = make_fgan(**kwargs)
    with mirrored_strategy.scope():
        mirrored = make_fgan(**kwargs)
        mirrored.set_weights(single.get_weights())
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for name in ("d_loss", "g_loss", "divergence"):
        np.testing.assert_allclose(single_logs[name], mirrored_logs[name], rtol=1e-5)
    for a, b in zip(single.weights, mirrored.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)


def test_config_round_trip_keras_file_and_export(tmp_path):
    model = make_fgan(1e-2, divergence="reverse_kl", method="single_step",
                      generator_objective="saddle")
    model.fit(tf.random.stateless_normal((16, 2), seed=[1, 2]), batch_size=8, epochs=1,
              verbose=0)
    expected = dict(divergence="reverse_kl", method="single_step", generator_objective="saddle",
                    d_steps=1)
    config = model.get_config()
    assert {k: config[k] for k in expected} == expected and "generator_loss" not in config
    restored = FGAN.from_config(config)
    assert {k: restored.get_config()[k] for k in expected} == expected
    path = str(tmp_path / "fgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, FGAN) and loaded.method == "single_step"
    assert int(loaded.g_optimizer.iterations) == 2
    z = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)
    export_model(model, str(tmp_path / "export"))
    signature = tf.saved_model.load(str(tmp_path / "export")).signatures["serving_default"]
    np.testing.assert_allclose(signature(z=tf.constant(z))["images"], model.generate(z), atol=1e-5)


@pytest.mark.parametrize("module", [fgan_ring, fgan_grid, fgan_digits])
def test_configs_build_through_the_registry_and_train_one_step(module):
    config = module.get_config()
    assert config.scheme == "fgan" and config.model.method == "alternating"
    assert config.model.generator_objective == "practical"
    config.model.update({k: v for k, v in dict(g_hidden=(8,), d_hidden=(8,), g_base_filters=4,
                                               d_base_filters=4).items() if k in config.model})
    config.model.method = "single_step"
    config.train.jit_compile = False
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, FGAN) and model.divergence == config.model.divergence
    assert model.method == "single_step" and "f-GAN" in model.paper
    logs = model.train_step(next(iter(spec.dataset)))
    assert all(np.isfinite(float(v)) for v in logs.values())


def test_divergence_and_method_are_set_from_the_command_line():
    """train.py's flag parsing (ml_collections config_flags) sets the three choices."""
    argv = ["train.py", f"--config={fgan_ring.__file__}", "--config.model.divergence=pearson",
            "--config.model.method=single_step", "--config.model.generator_objective=saddle"]
    values = flags.FlagValues()
    config_flags.DEFINE_config_file("config", None, "config", flag_values=values, sys_argv=argv)
    values(argv)
    model = values.config.model
    assert (model.divergence, model.method, model.generator_objective) == \
        ("pearson", "single_step", "saddle")
