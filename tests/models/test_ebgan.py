"""EBGAN (Zhao et al. 2017): Eq. 1-2 wiring, the pulling-away term, the margin, serialization."""


import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import ebgan_digits, ebgan_grid, ebgan_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses import (
    autoencoder_energy,
    ebgan_discriminator_loss,
    ebgan_generator_loss,
    pulling_away_term,
)
from tfgan_kit.models.ebgan import EBGAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.nets.autoencoder import mlp_autoencoder
from tfgan_kit.registry import get_dataset, get_scheme

LR = 0.1


def make_ebgan(margin=1.0, pulling_away=True, seed=0):
    keras.utils.set_random_seed(seed)
    model = EBGAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                  mlp_autoencoder(2, hidden=(16,), embedding_dim=6), latent_dim=4,
                  margin=margin, pulling_away=pulling_away, seed=seed)
    model.compile(g_optimizer=keras.optimizers.SGD(LR), d_optimizer=keras.optimizers.SGD(LR))
    return model


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(LR * g)
    return float(loss)


def energy(net, x):
    return autoencoder_energy(x, net(x)[0])


def real_batch(n=8, scale=1.0):
    return tf.constant(np.random.default_rng(0).normal(size=(n, 2)) * scale, tf.float32)


def assert_same_weights(a, b):
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_allclose(x.numpy(), y.numpy(), atol=1e-6)


def numpy_pulling_away(embeddings):
    s = np.asarray(embeddings, np.float64)
    unit = s / np.linalg.norm(s, axis=1, keepdims=True)
    cos2 = (unit @ unit.T) ** 2
    n = len(s)
    return (cos2.sum() - np.trace(cos2)) / (n * (n - 1))


@pytest.mark.parametrize("pulling_away", [True, False])
def test_train_step_is_eq_1_then_eq_2_with_the_pulling_away_term(pulling_away):
    """One step = an SGD step on L_D (Eq. 1), then one on L_G (Eq. 2, + 0.1 f_PT with PT) with
    D already updated; the logs are those losses, f_PT (numpy formula) and mean energies."""
    model = make_ebgan(margin=0.3, pulling_away=pulling_away)
    real = real_batch()
    z_d, z_g = model.noise(8, stream=0), model.noise(8, stream=1)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)

    real_e, fake_e = energy(d_ref, real).numpy(), energy(d_ref, g_ref(z_d)).numpy()
    d_loss = sgd_step(d_ref, lambda: ebgan_discriminator_loss(
        energy(d_ref, real), energy(d_ref, g_ref(z_d)), 0.3))
    expected_pt = numpy_pulling_away(d_ref(g_ref(z_g))[1])

    def g_loss_fn():
        fake = g_ref(z_g)
        loss = ebgan_generator_loss(energy(d_ref, fake))
        return loss + 0.1 * pulling_away_term(d_ref(fake)[1]) if pulling_away else loss
    g_loss = sgd_step(g_ref, g_loss_fn)

    logs = model.train_step(real)
    np.testing.assert_allclose(float(logs["d_loss"]), d_loss, rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-5)
    np.testing.assert_allclose(float(logs["pulling_away"]), expected_pt, rtol=1e-5)
    np.testing.assert_allclose(float(logs["real_energy"]), real_e.mean(), rtol=1e-5)
    np.testing.assert_allclose(float(logs["fake_energy"]), fake_e.mean(), rtol=1e-5)
    # d_loss by hand: mean real energy + mean hinge of the generated energies.
    np.testing.assert_allclose(d_loss, real_e.mean() + np.maximum(0.3 - fake_e, 0).mean(),
                               rtol=1e-5)
    assert 0.0 < expected_pt < 1.0
    assert_same_weights(model.discriminator, d_ref)
    assert_same_weights(model.generator, g_ref)


def test_generated_energies_above_the_margin_contribute_nothing_to_l_d():
    """With m below every generated energy, L_D = mean real energy, and the discriminator's step
    is the step on the real energies alone (the hinge has no gradient)."""
    model = make_ebgan(margin=1e-4, pulling_away=False)
    real = real_batch(scale=3.0)
    z_d = model.noise(8, stream=0)
    fake_e = energy(model.discriminator, model.generator(z_d)).numpy()
    assert fake_e.min() > 1e-4
    d_ref = clone(model.discriminator)
    real_only = sgd_step(d_ref, lambda: tf.reduce_mean(energy(d_ref, real)))
    logs = model.train_step(real)
    np.testing.assert_allclose(float(logs["d_loss"]), real_only, rtol=1e-6)
    np.testing.assert_allclose(float(logs["d_loss"]), float(logs["real_energy"]), rtol=1e-6)
    assert_same_weights(model.discriminator, d_ref)

    # A margin above some generated energies: only those below m enter, as m - D(G(z)).
    model = make_ebgan(margin=float(np.median(fake_e)), pulling_away=False)
    real_e = energy(model.discriminator, real).numpy()
    logs = model.train_step(real)
    hinge = np.maximum(np.median(fake_e) - fake_e, 0.0)
    assert (hinge == 0).sum() >= 4
    np.testing.assert_allclose(float(logs["d_loss"]), real_e.mean() + hinge.mean(), rtol=1e-5)


def test_fit_logs_and_serialization_round_trips(tmp_path):
    model = make_ebgan(margin=0.7, pulling_away=False)
    history = model.fit(real_batch(32), batch_size=8, epochs=1, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "pulling_away", "real_energy", "fake_energy"}
    config = model.get_config()
    assert (config["margin"], config["pulling_away"], config["pt_weight"]) == (0.7, False, 0.1)
    rebuilt = EBGAN.from_config(config)
    assert (rebuilt.margin, rebuilt.pulling_away, rebuilt.latent_dim) == (0.7, False, 4)

    path = str(tmp_path / "ebgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, EBGAN) and loaded.margin == 0.7
    z = np.ones((3, 4), np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)
    x = real_batch(5).numpy()
    np.testing.assert_allclose(loaded.energy(x), model.energy(x), atol=1e-6)

    export = export_model(model, str(tmp_path / "export"))
    images = tf.saved_model.load(export).signatures["serving_default"](z=tf.constant(z))["images"]
    np.testing.assert_allclose(images, model.generate(z), atol=1e-5)


@pytest.mark.parametrize("module", [ebgan_ring, ebgan_grid, ebgan_digits])
def test_registry_builds_the_configs(module):
    config = module.get_config()
    config.train.jit_compile = False
    m = config.model
    if m.nets == "mlp":
        m.g_hidden, m.d_hidden, m.embedding_dim = (8,), (8,), 4
    else:
        m.g_base_filters, m.d_base_filters = 4, 4
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, EBGAN) and model.pulling_away
    assert model.pt_weight == 0.1 and model.margin == config.model.margin
    assert model.g_optimizer is not None and model.d_optimizer is not None
    batch = next(iter(spec.dataset))
    logs = model.train_step(batch)
    assert all(np.isfinite(float(v)) for v in logs.values())


def test_bad_arguments_are_rejected_with_the_fix():
    g, d = mlp_generator(4, 2), mlp_autoencoder(2, hidden=(4,), embedding_dim=2)
    with pytest.raises(ValueError, match="`margin` must be a positive number"):
        EBGAN(g, d, latent_dim=4, margin=0.0)
    with pytest.raises(ValueError, match="`pulling_away` must be True or False"):
        EBGAN(g, d, latent_dim=4, pulling_away="yes")
    with pytest.raises(ValueError, match="`pt_weight` must be a number >= 0"):
        EBGAN(g, d, latent_dim=4, pt_weight=-1.0)
    with pytest.raises(ValueError, match="must be an auto-encoder with two outputs"):
        EBGAN(g, mlp_discriminator(2), latent_dim=4)
    with pytest.raises(ValueError, match="`latent_dim` must be a positive integer"):
        EBGAN(g, d, latent_dim=None)
