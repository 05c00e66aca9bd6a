"""LSGAN (Mao et al. 2017): least-squares losses with codes (a, b, c) on Algorithm 1's updates."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import lsgan_digits, lsgan_grid, lsgan_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses import least_squares_discriminator_loss, least_squares_generator_loss
from tfgan_kit.models.lsgan import LSGAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.registry import get_dataset, get_scheme


def make_lsgan(labels="0-1-1", d_steps=1, lr=0.1):
    keras.utils.set_random_seed(0)
    model = LSGAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                  mlp_discriminator(2, hidden=(16,)), latent_dim=4, d_steps=d_steps,
                  labels=labels, seed=0)
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def sgd_step(net, loss_fn, lr):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * g)
    return float(loss)


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


@pytest.mark.parametrize("labels, codes", [("0-1-1", (0, 1, 1)), ("-1-1-0", (-1, 1, 0)),
                                           ((0.5, 2.0, 1.5), (0.5, 2.0, 1.5))])
def test_train_step_is_eq_2_with_the_codes(labels, codes):
    """One step = k SGD steps on D's least-squares loss, then one on G's, with codes (a, b, c)."""
    a, b, c = codes
    model = make_lsgan(labels, d_steps=2)
    assert (model.fake_label, model.real_label, model.generator_target) == codes
    real = tf.constant(np.random.default_rng(0).normal(size=(16, 2)), tf.float32)
    z_d = [model.noise(8, stream=k) for k in range(2)]
    z_g = model.noise(8, stream=2)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    # Written out: 0.5 E[(D(x) - b)^2] + 0.5 E[(D(G(z)) - a)^2] and 0.5 E[(D(G(z)) - c)^2].
    d_losses = [sgd_step(d_ref, lambda k=k: 0.5 * tf.reduce_mean((d_ref(real[k::2]) - b) ** 2)
                         + 0.5 * tf.reduce_mean((d_ref(g_ref(z_d[k])) - a) ** 2), 0.1)
                for k in range(2)]
    g_loss = sgd_step(g_ref, lambda: 0.5 * tf.reduce_mean((d_ref(g_ref(z_g)) - c) ** 2), 0.1)

    logs = model.train_step(real)
    np.testing.assert_allclose(float(logs["d_loss"]), np.mean(d_losses), rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-5)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights()):
            np.testing.assert_allclose(w, r, atol=1e-6)


def test_losses_come_from_tfgan_kit_losses():
    model = make_lsgan("-1-1-0")
    real = tf.constant(np.random.default_rng(1).normal(size=(8, 2)), tf.float32)
    z = model.noise(8, stream=0)
    d_real, d_fake = model.discriminator(real), model.discriminator(model.generator(z))
    np.testing.assert_allclose(
        float(model.discriminator_loss(real, z, 0)),
        float(least_squares_discriminator_loss(d_real, d_fake, real_label=1.0, fake_label=-1.0)),
        rtol=1e-6)
    np.testing.assert_allclose(float(model.generator_objective(z)),
                               float(least_squares_generator_loss(d_fake, target=0.0)), rtol=1e-6)


@pytest.mark.parametrize("labels", ["0-0-1", "1-0", (0, 1), (0, 1, "x"), None, (0, True, 1)])
def test_bad_labels_are_rejected_with_the_choices(labels):
    with pytest.raises(ValueError, match=r"`labels` must be one of \['-1-1-0', '0-1-1'\] or "
                                         r"three numbers \(a, b, c\)"):
        LSGAN(mlp_generator(4, 2), mlp_discriminator(2), latent_dim=4, labels=labels)


@pytest.mark.parametrize("labels", ["-1-1-0", (0.0, 1.0, 0.5)])
def test_config_round_trip_keras_file_and_export(labels, tmp_path):
    model = make_lsgan(labels, d_steps=2, lr=1e-2)
    model.fit(tf.random.stateless_normal((16, 2), seed=[1, 2]), batch_size=8, epochs=1,
              verbose=0)
    restored = LSGAN.from_config(model.get_config())
    assert (restored.fake_label, restored.real_label, restored.generator_target, restored.d_steps) \
        == (model.fake_label, model.real_label, model.generator_target, 2)
    path = str(tmp_path / "lsgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, LSGAN) and loaded.get_config()["labels"] == model.get_config()["labels"]
    assert int(loaded.d_optimizer.iterations) == 4
    z = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)
    export_model(model, str(tmp_path / "export"))
    signature = tf.saved_model.load(str(tmp_path / "export")).signatures["serving_default"]
    np.testing.assert_allclose(signature(z=tf.constant(z))["images"], model.generate(z), atol=1e-5)


@pytest.mark.parametrize("module", [lsgan_ring, lsgan_grid, lsgan_digits])
def test_configs_build_through_the_registry_and_train_one_step(module):
    config = module.get_config()
    assert config.scheme == "lsgan"
    config.model.update({k: v for k, v in dict(g_hidden=(8,), d_hidden=(8,), g_base_filters=4,
                                               d_base_filters=4).items() if k in config.model})
    config.train.jit_compile = False
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, LSGAN) and model.labels == config.model.labels
    logs = model.train_step(next(iter(spec.dataset)))
    assert all(np.isfinite(float(v)) for v in logs.values())
