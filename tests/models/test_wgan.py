"""WGAN (Arjovsky et al. 2017, Algorithm 1): critic loss, generator loss, clipping per critic step."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import wgan_digits, wgan_grid, wgan_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses import wasserstein_discriminator_loss, wasserstein_generator_loss
from tfgan_kit.models.wgan import WGAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.registry import get_dataset, get_scheme


def make_wgan(d_steps=2, clip_value=0.01, d_optimizer=None, g_optimizer=None, initial=None):
    keras.utils.set_random_seed(0)
    model = WGAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                 mlp_discriminator(2, hidden=(16,)), latent_dim=4, d_steps=d_steps,
                 clip_value=clip_value, seed=0)
    if initial is not None:
        model.generator.set_weights(initial[0])
        model.discriminator.set_weights(initial[1])
    model.compile(g_optimizer=g_optimizer or keras.optimizers.SGD(0.1),
                  d_optimizer=d_optimizer or keras.optimizers.SGD(0.1))
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


def clip(net, c):
    for v in net.trainable_variables:
        v.assign(tf.clip_by_value(v, -c, c))


def test_train_step_is_algorithm_1_with_clipping_after_every_critic_step():
    """n_critic=2 and a huge lr: each critic step starts from the clipped weights of the last."""
    lr, c = 50.0, 0.01
    model = make_wgan(d_steps=2, clip_value=c, d_optimizer=keras.optimizers.SGD(lr),
                      g_optimizer=keras.optimizers.SGD(lr))
    clip(model.discriminator, c)  # start inside the box, as a run after its first critic step
    real = tf.constant(np.random.default_rng(0).normal(size=(16, 2)), tf.float32)
    z_d = [model.noise(8, stream=k) for k in range(2)]
    z_g = model.noise(8, stream=2)

    def critic_loss(d, g, k):  # written out: E[f(G(z))] - E[f(x)]
        return lambda: tf.reduce_mean(d(g(z_d[k]))) - tf.reduce_mean(d(real[k::2]))

    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    d_losses = []
    for k in range(2):
        d_losses.append(sgd_step(d_ref, critic_loss(d_ref, g_ref, k), lr))
        clip(d_ref, c)
    g_loss = sgd_step(g_ref, lambda: -tf.reduce_mean(d_ref(g_ref(z_g))), lr)
    # Clipping only once, after both critic steps, gives another critic.
    d_late = clone(model.discriminator)
    for k in range(2):
        sgd_step(d_late, critic_loss(d_late, model.generator, k), lr)
    clip(d_late, c)
    assert any(not np.allclose(a, b, atol=1e-6)
               for a, b in zip(d_late.get_weights(), d_ref.get_weights()))

    logs = model.train_step(real)
    np.testing.assert_allclose(float(logs["d_loss"]), np.mean(d_losses), rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-5, atol=1e-9)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights()):
            np.testing.assert_allclose(w, r, atol=1e-6)
    weights = np.concatenate([w.ravel() for w in model.discriminator.get_weights()])
    assert np.abs(weights).max() <= np.float32(c) and np.isclose(np.abs(weights), c).mean() > 0.5


def test_critic_weights_stay_in_the_box_after_every_step_of_fit():
    c = 0.05
    model = make_wgan(d_steps=2, clip_value=c, d_optimizer=keras.optimizers.RMSprop(1e-2),
                      g_optimizer=keras.optimizers.RMSprop(1e-2))
    extremes = []

    class Check(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            extremes.append(max(float(np.abs(v.numpy()).max())
                                for v in model.discriminator.trainable_variables))

    data = tf.random.stateless_normal((64, 2), seed=[0, 1])
    model.fit(data, batch_size=16, epochs=2, verbose=0, callbacks=[Check()])
    assert len(extremes) == 8 and int(model.d_optimizer.iterations) == 16
    assert max(extremes) <= np.float32(c) and min(extremes) == pytest.approx(c)  # clipping was active


def test_losses_come_from_tfgan_kit_losses():
    model = make_wgan()
    real = tf.constant(np.random.default_rng(1).normal(size=(8, 2)), tf.float32)
    z = model.noise(8, stream=0)
    d_real, d_fake = model.discriminator(real), model.discriminator(model.generator(z))
    np.testing.assert_allclose(float(model.discriminator_loss(real, z, 0)),
                               float(wasserstein_discriminator_loss(d_real, d_fake)), rtol=1e-6)
    np.testing.assert_allclose(float(model.generator_objective(z)),
                               float(wasserstein_generator_loss(d_fake)), rtol=1e-6)


def test_clipping_under_two_replicas_equals_one_replica(mirrored_strategy):
    data = tf.data.Dataset.from_tensor_slices(
        np.random.default_rng(0).normal(size=(16, 2)).astype(np.float32)).batch(16).repeat(3)
    single = make_wgan(clip_value=0.05)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    with mirrored_strategy.scope():
        mirrored = make_wgan(clip_value=0.05, initial=initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "discriminator"):
        for a, b in zip(getattr(single, net).weights, getattr(mirrored, net).weights, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5, err_msg=a.path)
    np.testing.assert_allclose(single_logs["d_loss"], mirrored_logs["d_loss"], rtol=1e-4)
    assert max(np.abs(w).max() for w in mirrored.discriminator.get_weights()) <= np.float32(0.05)


@pytest.mark.parametrize("clip_value", [0, -0.01, "0.01", None, True])
def test_bad_clip_value_is_rejected(clip_value):
    with pytest.raises(ValueError, match="`clip_value` must be a positive number"):
        WGAN(mlp_generator(4, 2), mlp_discriminator(2), latent_dim=4, clip_value=clip_value)
    with pytest.raises(ValueError, match="`d_steps` must be an integer >= 1"):
        WGAN(mlp_generator(4, 2), mlp_discriminator(2), latent_dim=4, d_steps=0)


def test_config_round_trip_keras_file_and_export(tmp_path):
    model = make_wgan(d_steps=2, clip_value=0.02, d_optimizer=keras.optimizers.RMSprop(5e-5),
                      g_optimizer=keras.optimizers.RMSprop(5e-5))
    model.fit(tf.random.stateless_normal((16, 2), seed=[1, 2]), batch_size=8, epochs=1,
              verbose=0)
    restored = WGAN.from_config(model.get_config())
    assert (restored.d_steps, restored.clip_value) == (2, 0.02)
    path = str(tmp_path / "wgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, WGAN) and (loaded.d_steps, loaded.clip_value) == (2, 0.02)
    assert isinstance(loaded.d_optimizer, keras.optimizers.RMSprop)
    z = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)
    export_model(model, str(tmp_path / "export"))
    signature = tf.saved_model.load(str(tmp_path / "export")).signatures["serving_default"]
    np.testing.assert_allclose(signature(z=tf.constant(z))["images"], model.generate(z), atol=1e-5)


@pytest.mark.parametrize("module", [wgan_ring, wgan_grid, wgan_digits])
def test_configs_have_the_paper_defaults_and_build_through_the_registry(module):
    config = module.get_config()
    assert config.scheme == "wgan"
    # The paper's c = 0.01 on images; the 2-D mixtures' configs measured c = 0.1 (docstrings).
    clip = 0.1 if config.data.name.startswith("gaussian") else 0.01
    assert (config.model.d_steps, config.model.clip_value) == (5, clip)
    for key in ("g_optimizer", "d_optimizer"):
        assert config.train[key]["name"] == "rmsprop"
    config.model.update({k: v for k, v in dict(g_hidden=(8,), d_hidden=(8,), g_base_filters=4,
                                               d_base_filters=4).items() if k in config.model})
    config.train.jit_compile = False
    spec = get_dataset(config.data.name)(config, 10)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, WGAN) and (model.d_steps, model.clip_value) == (5, clip)
    logs = model.train_step(next(iter(spec.dataset)))
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert int(model.d_optimizer.iterations) == 5
    assert max(np.abs(w.numpy()).max() for w in model.discriminator.trainable_weights) \
        <= np.float32(clip)
