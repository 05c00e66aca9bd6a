"""The GAN scheme (Goodfellow et al. 2014, Algorithm 1) and the AdversarialModel plumbing."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.losses import minimax_discriminator_loss, non_saturating_generator_loss
from tfgan_kit.models import GAN, AdversarialModel
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator, mlp_discriminator, mlp_generator


def make_gan(d_steps=1, generator_loss="non_saturating", seed=0, lr=1e-3):
    keras.utils.set_random_seed(seed)
    model = GAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                mlp_discriminator(2, hidden=(16,)), latent_dim=4, d_steps=d_steps,
                generator_loss=generator_loss, seed=seed)
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def weights(net):
    return [w.numpy().copy() for w in net.weights]


def sgd_step(net, loss_fn, lr):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * g)
    return float(loss)


@pytest.mark.parametrize("d_steps", [1, 2])
def test_train_step_is_algorithm_1_with_sgd(d_steps):
    """One step equals k hand-written SGD steps on D (strided minibatches), then one on G with D
    already updated; the logged d_loss is the mean of the k discriminator losses."""
    model = make_gan(d_steps=d_steps, lr=0.1)
    real = tf.constant(np.random.default_rng(0).normal(size=(8 * d_steps, 2)), tf.float32)
    z_d = [model.noise(8, stream=k) for k in range(d_steps)]
    z_g = model.noise(8, stream=d_steps)

    # Reference: the same updates written out with fresh copies of the nets.
    g_ref = keras.models.clone_model(model.generator)
    d_ref = keras.models.clone_model(model.discriminator)
    g_ref.set_weights(model.generator.get_weights())
    d_ref.set_weights(model.discriminator.get_weights())
    d_losses = [sgd_step(d_ref, lambda k=k: minimax_discriminator_loss(
        d_ref(real[k::d_steps]), d_ref(g_ref(z_d[k]))), 0.1) for k in range(d_steps)]
    g_loss = sgd_step(g_ref, lambda: non_saturating_generator_loss(d_ref(g_ref(z_g))), 0.1)
    assert d_steps == 1 or abs(d_losses[0] - d_losses[1]) > 1e-4  # the mean is informative

    logs = model.train_step(real)
    np.testing.assert_allclose(float(logs["d_loss"]), np.mean(d_losses), rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-5)
    for a, b in zip(weights(model.discriminator), weights(d_ref)):
        np.testing.assert_allclose(a, b, atol=1e-6)
    for a, b in zip(weights(model.generator), weights(g_ref)):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_d_steps_takes_k_discriminator_updates_on_fresh_minibatches():
    model = make_gan(d_steps=3)
    model.train_step(tf.zeros((12, 2)))
    assert int(model.d_optimizer.iterations) == 3
    assert int(model.g_optimizer.iterations) == 1
    with pytest.raises(ValueError, match="cannot be split into d_steps=3"):
        model.train_step(tf.zeros((10, 2)))


def test_noise_is_a_function_of_seed_step_and_stream():
    a, b = make_gan(seed=1), make_gan(seed=1)
    np.testing.assert_array_equal(a.noise(5, 0), b.noise(5, 0))
    assert not np.allclose(a.noise(5, 0), a.noise(5, 1))
    assert not np.allclose(a.noise(5, 0), make_gan(seed=2).noise(5, 0))
    before = a.noise(5, 0).numpy()
    a.train_step(tf.zeros((4, 2)))
    assert not np.allclose(before, a.noise(5, 0))
    z = a.noise(64, 0).numpy()
    assert abs(z.mean()) < 0.3 and 0.8 < z.std() < 1.2


def test_bad_arguments_are_rejected_with_the_fix():
    g, d = mlp_generator(4, 2), mlp_discriminator(2)
    with pytest.raises(ValueError, match="`latent_dim` must be a positive integer"):
        GAN(g, d, latent_dim=0)
    with pytest.raises(ValueError, match="`generator_loss` must be one of"):
        GAN(g, d, latent_dim=4, generator_loss="wasserstein")
    with pytest.raises(ValueError, match="`d_steps` must be an integer >= 1"):
        GAN(g, d, latent_dim=4, d_steps=0)
    model = GAN(g, d, latent_dim=4)
    with pytest.raises(ValueError, match=r"not compiled: call model.compile\(g_optimizer=..., d_optimizer=...\)"):
        model.train_step(tf.zeros((2, 2)))
    opt = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="must be 2 optimizer objects"):
        model.compile(g_optimizer=opt, d_optimizer=opt)
    with pytest.raises(ValueError, match="must be a keras.optimizers.Optimizer"):
        model.compile(g_optimizer="adam", d_optimizer=keras.optimizers.Adam())
    with pytest.raises(ValueError, match="is unconditional"):
        model.generate(np.zeros((1, 4), np.float32), labels=np.zeros(1))


def test_fit_logs_means_and_generate_is_inference_mode():
    model = GAN(dcgan_generator(8, 8, 1, base_filters=4), dcgan_discriminator(8, 1, base_filters=4),
                latent_dim=8)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    history = model.fit(tf.data.Dataset.from_tensor_slices(np.zeros((32, 8, 8, 1), np.float32))
                        .batch(8), epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"}
    assert len(history.history["d_loss"]) == 2
    z = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    np.testing.assert_allclose(model(z), model.generator(z, training=False), atol=1e-6)
    assert isinstance(model, AdversarialModel)


def test_keras_file_round_trip_with_safe_mode(tmp_path):
    model = make_gan(d_steps=2, generator_loss="minimax")
    model.fit(tf.zeros((16, 2)), epochs=1, batch_size=8, verbose=0)
    path = str(tmp_path / "gan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, GAN)
    assert (loaded.d_steps, loaded.generator_loss, loaded.latent_dim) == (2, "minimax", 4)
    assert int(loaded.g_optimizer.iterations) == int(model.g_optimizer.iterations) == 2
    z = np.ones((2, 4), np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)


def test_mixed_precision_wraps_optimizers_in_loss_scaling_and_trains():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = GAN(dcgan_generator(8, 16, 1, base_filters=4),
                    dcgan_discriminator(16, 1, base_filters=4), latent_dim=8)
        model.compile(g_optimizer=keras.optimizers.Adam(2e-4),
                      d_optimizer=keras.optimizers.Adam(2e-4))
        assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
        assert isinstance(model.d_optimizer, keras.optimizers.LossScaleOptimizer)
        before = [w.numpy().copy() for w in model.generator.trainable_weights]
        history = model.fit(np.random.default_rng(0).uniform(-1, 1, (16, 16, 16, 1))
                            .astype(np.float32), batch_size=8, epochs=1, verbose=0).history
        assert np.isfinite(history["d_loss"][0]) and np.isfinite(history["g_loss"][0])
        assert model.generate(np.zeros((2, 8), np.float32)).dtype == tf.float32
        assert any(not np.allclose(a, b.numpy())
                   for a, b in zip(before, model.generator.trainable_weights))
    finally:
        keras.config.set_dtype_policy("float32")


def test_optimizers_by_name_and_compile_errors_name_the_fix():
    model = make_gan()
    assert model.optimizer_nets == {"g": ("generator",), "d": ("discriminator",)}
    assert model.optimizers == {"g": model.g_optimizer, "d": model.d_optimizer}
    assert model.optimizer is model.g_optimizer  # no default RMSprop is created
    assert model.get_compile_config()["steps_per_execution"] == 1
    g, d = mlp_generator(4, 2), mlp_discriminator(2)
    with pytest.raises(ValueError, match=r"takes the optimizers \['g_optimizer', 'd_optimizer'\]"
                                         r"\. Received unknown \['q_optimizer'\]"):
        GAN(g, d, latent_dim=4).compile(g_optimizer=keras.optimizers.Adam(),
                                        d_optimizer=keras.optimizers.Adam(),
                                        q_optimizer=keras.optimizers.Adam())
    with pytest.raises(ValueError, match=r"takes the nets \['discriminator', 'generator'\]"):
        AdversarialModel({"generator": g})
