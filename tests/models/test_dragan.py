"""DRAGAN (Kodali et al. 2017): GAN losses + lambda E[(||grad D(x + delta)|| - k)^2] at real data."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import dragan_digits, dragan_grid, dragan_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses import minimax_discriminator_loss, non_saturating_generator_loss
from tfgan_kit.losses.penalties import (
    dragan_penalty,
    dragan_perturbation_normal,
    dragan_perturbation_uniform,
)
from tfgan_kit.models.dragan import DRAGAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.registry import get_dataset, get_scheme


def make_dragan(discriminator=None, lr=0.1, seed=0, **kwargs):
    keras.utils.set_random_seed(0)
    model = DRAGAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                   discriminator or mlp_discriminator(2, hidden=(16,)), latent_dim=4, seed=seed,
                   **kwargs)
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn, lr):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * g)
    return float(loss)


REAL = tf.constant(np.random.default_rng(0).normal(size=(16, 2)), tf.float32)


@pytest.mark.parametrize("perturbation, d_steps", [("uniform", 1), ("uniform", 2),
                                                   ("normal", 1)])
def test_train_step_penalises_the_perturbed_real_data(perturbation, d_steps):
    """The logged penalty is dragan_penalty at real + delta, delta built by the losses helper
    from the draws of the step's extra streams; D descends GAN loss + 10 * penalty (SGD
    replayed by hand), G the non-saturating loss."""
    model = make_dragan(perturbation=perturbation, d_steps=d_steps,
                        perturbation_scale=None if perturbation == "uniform" else 0.3)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    penalties, d_losses = [], []
    for k in range(d_steps):
        x, z = REAL[k::d_steps], model.noise(16 // d_steps, stream=k)
        if perturbation == "uniform":
            u = model.draw(model.extra_stream(k, 0), 16 // d_steps, (2,), "uniform")
            alpha = model.draw(model.extra_stream(k, 1), 16 // d_steps, (), "uniform")
            delta = dragan_perturbation_uniform(x, u, alpha, c=0.5)
        else:
            delta = dragan_perturbation_normal(
                model.draw(model.extra_stream(k, 0), 16 // d_steps, (2,)), 0.3)
        assert 0 < float(tf.reduce_max(tf.abs(delta)))
        penalties.append(float(dragan_penalty(d_ref, x, delta)))
        d_losses.append(sgd_step(d_ref, lambda x=x, z=z, delta=delta: minimax_discriminator_loss(
            d_ref(x), d_ref(g_ref(z))) + 10.0 * dragan_penalty(d_ref, x, delta), 0.1))
    z_g = model.noise(16 // d_steps, stream=d_steps)
    g_loss = sgd_step(g_ref, lambda: non_saturating_generator_loss(d_ref(g_ref(z_g))), 0.1)

    logs = model.train_step(REAL)
    assert np.mean(penalties) > 1e-3
    np.testing.assert_allclose(float(logs["gradient_penalty"]), np.mean(penalties), rtol=1e-5)
    np.testing.assert_allclose(float(logs["d_loss"]), np.mean(d_losses), rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-5)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights()):
            np.testing.assert_allclose(w, r, atol=1e-6)


@pytest.mark.parametrize("target_norm", [1.0, 2.5])
@pytest.mark.parametrize("perturbation", ["uniform", "normal"])
def test_linear_critic_penalty_is_norm_of_w_minus_k_squared(perturbation, target_norm):
    """||grad_x (w.x + b)|| = ||w|| everywhere: the penalty is (||w|| - k)^2, whatever delta."""
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.set_weights([np.array([[0.3], [-1.2]], np.float32), np.array([0.7], np.float32)])
    model = make_dragan(critic, perturbation=perturbation, target_norm=target_norm)
    logs = model.train_step(REAL)
    expected = (np.hypot(0.3, 1.2) - target_norm) ** 2
    np.testing.assert_allclose(float(logs["gradient_penalty"]), expected, rtol=1e-5)


def test_perturbation_is_around_real_data_and_scaled_by_the_batch_std():
    """Uniform: 0 <= delta / (c std(x)) < 1 (alpha, u in [0, 1)); normal: std sqrt(c)."""
    model = make_dragan()
    real = tf.constant(np.random.default_rng(3).normal(size=(512, 2)) * 4.0, tf.float32)
    delta = model.perturbation_of(real, step=0).numpy()
    ratio = delta / (0.5 * float(tf.math.reduce_std(real)))
    assert ratio.min() >= 0 and ratio.max() < 1 and 0.2 < ratio.mean() < 0.3  # E[alpha u] = 1/4
    normal = make_dragan(perturbation="normal", perturbation_scale=4.0)
    assert normal.perturbation_scale == 4.0 and make_dragan(perturbation="normal") \
        .perturbation_scale == 10.0  # the paper's c ~ 10
    assert abs(normal.perturbation_of(real, 0).numpy().std() - 2.0) < 0.15


def test_one_and_two_replicas_take_the_same_step(mirrored_strategy):
    """Draws on the step's streams and std(x) of the global minibatch: replica-count free."""
    data = tf.data.Dataset.from_tensor_slices(
        np.random.default_rng(1).normal(size=(32, 2)).astype(np.float32)).batch(16)
    single = make_dragan()
    initial = [single.generator.get_weights(), single.discriminator.get_weights()]
    with mirrored_strategy.scope():
        mirrored = make_dragan()
        mirrored.generator.set_weights(initial[0])
        mirrored.discriminator.set_weights(initial[1])
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for name in ("d_loss", "g_loss", "gradient_penalty"):
        np.testing.assert_allclose(single_logs[name], mirrored_logs[name], rtol=1e-5)
    for a, b in zip(single.weights, mirrored.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)


def test_bad_arguments_are_rejected_with_the_fix():
    g, d = mlp_generator(4, 2), mlp_discriminator(2)
    with pytest.raises(ValueError, match=r"`perturbation` must be one of \['normal', 'uniform'\]"):
        DRAGAN(g, d, latent_dim=4, perturbation="gaussian")
    with pytest.raises(ValueError, match="`penalty_weight` must be a number >= 0"):
        DRAGAN(g, d, latent_dim=4, penalty_weight=-1.0)
    with pytest.raises(ValueError, match="`target_norm` must be a number >= 0"):
        DRAGAN(g, d, latent_dim=4, target_norm="1")
    with pytest.raises(ValueError, match=r"`perturbation_scale` \(the paper's c\) must be a "
                                         "positive number"):
        DRAGAN(g, d, latent_dim=4, perturbation_scale=0.0)
    with pytest.raises(ValueError, match="`d_steps` must be an integer >= 1"):
        DRAGAN(g, d, latent_dim=4, d_steps=0)


def test_config_round_trip_keras_file_and_export(tmp_path):
    model = make_dragan(lr=1e-2, penalty_weight=5.0, target_norm=0.5, perturbation="normal",
                        perturbation_scale=0.1, d_steps=2)
    model.fit(tf.random.stateless_normal((16, 2), seed=[1, 2]), batch_size=8, epochs=1,
              verbose=0)
    expected = dict(penalty_weight=5.0, target_norm=0.5, perturbation="normal",
                    perturbation_scale=0.1, d_steps=2, generator_loss="non_saturating")
    config = model.get_config()
    assert {k: config[k] for k in expected} == expected
    restored = DRAGAN.from_config(config)
    assert {k: restored.get_config()[k] for k in expected} == expected
    path = str(tmp_path / "dragan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, DRAGAN) and loaded.perturbation_scale == 0.1
    assert int(loaded.d_optimizer.iterations) == 4
    z = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)
    export_model(model, str(tmp_path / "export"))
    signature = tf.saved_model.load(str(tmp_path / "export")).signatures["serving_default"]
    np.testing.assert_allclose(signature(z=tf.constant(z))["images"], model.generate(z), atol=1e-5)


@pytest.mark.parametrize("module", [dragan_ring, dragan_grid, dragan_digits])
def test_configs_build_through_the_registry_and_train_one_step(module):
    config = module.get_config()
    # The paper's lambda 10 on images; the 2-D mixtures' configs measured lambda 1 (docstrings).
    expected = 1.0 if config.data.name.startswith("gaussian") else 10.0
    assert config.scheme == "dragan" and config.model.penalty_weight == expected
    assert config.model.target_norm == 1.0
    config.model.update({k: v for k, v in dict(g_hidden=(8,), d_hidden=(8,), g_base_filters=4,
                                               d_base_filters=4).items() if k in config.model})
    config.train.jit_compile = False
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, DRAGAN) and model.perturbation == config.model.perturbation
    assert "DRAGAN" in model.paper
    logs = model.train_step(next(iter(spec.dataset)))
    assert set(logs) == {"d_loss", "g_loss", "gradient_penalty"}
    assert all(np.isfinite(float(v)) for v in logs.values())
