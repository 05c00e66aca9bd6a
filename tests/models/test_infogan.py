"""InfoGAN (Chen et al. 2016): -V - lambda L_I for D+Q, -log D(G) - lambda L_I for G, exports."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import infogan_digits, infogan_mnist
from tfgan_kit.data import DataSpec
from tfgan_kit.export import export_model
from tfgan_kit.losses import (
    infogan_mutual_information,
    minimax_discriminator_loss,
    non_saturating_generator_loss,
)
from tfgan_kit.models import InfoGAN
from tfgan_kit.nets.infogan import infogan_discriminator, infogan_generator
from tfgan_kit.registry import get_dataset, get_scheme

NOISE, CODES, CONTINUOUS = 3, (4, 2), 2
SHAPE = (8, 8, 1)


def make_infogan(lr=0.01, initial=None, learn_std=False):
    keras.utils.set_random_seed(0)
    model = InfoGAN(infogan_generator(NOISE + sum(CODES) + CONTINUOUS, image_size=8),
                    infogan_discriminator(CODES, CONTINUOUS, image_size=8, learn_std=learn_std),
                    latent_dim=NOISE, categorical_codes=CODES, continuous_codes=CONTINUOUS,
                    lambda_categorical=1.0, lambda_continuous=0.1, seed=0)
    if initial is not None:
        model.generator.set_weights(initial[0])
        model.discriminator.set_weights(initial[1])
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def images(n, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, *SHAPE)).astype(np.float32)


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn, lr=0.01):
    with tf.GradientTape() as tape:
        loss, parts = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * g)
    return parts


def np_latent(z, categorical, continuous):
    """[z, one-hot c_1, one-hot c_2, continuous], written out in numpy."""
    one_hots = [np.eye(k, dtype=np.float32)[np.asarray(categorical)[:, i]]
                for i, k in enumerate(CODES)]
    return np.concatenate([np.asarray(z), *one_hots, np.asarray(continuous)], axis=1)


def information(outputs, categorical, continuous):
    logits = [outputs["categorical"][:, :4], outputs["categorical"][:, 4:]]
    return infogan_mutual_information(logits, [categorical[:, 0], categorical[:, 1]],
                                      outputs["continuous"], None, continuous)


def test_train_step_descends_v_minus_lambda_mutual_information():
    """D+Q: -V - (1 * L_I(cat) + 0.1 * L_I(cont)) on G(z, c); G: -log D(G) - the same on fresh
    codes; the draws are the model's, the latent is built here; logs are the GAN terms and L_I."""
    model = make_infogan()
    x = images(8)
    d_codes = [t.numpy() for t in model.draw_codes(8, 0)]
    g_codes = [t.numpy() for t in model.draw_codes(8, InfoGAN.G_STREAMS)]
    for z, categorical, continuous in (d_codes, g_codes):
        assert categorical.shape == (8, 2) and categorical.max() < 4 and categorical.min() >= 0
        assert categorical[:, 1].max() < 2 and np.abs(continuous).max() <= 1
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)

    def d_loss():
        fake = g_ref(np_latent(*d_codes), training=True)
        real_out, fake_out = d_ref(x, training=True), d_ref(fake, training=True)
        value = minimax_discriminator_loss(real_out["source"], fake_out["source"])
        info = information(fake_out, d_codes[1], d_codes[2])
        return value - info.categorical - 0.1 * info.continuous, value

    def g_loss():
        fake_out = d_ref(g_ref(np_latent(*g_codes), training=True), training=True)
        value = non_saturating_generator_loss(fake_out["source"])
        info = information(fake_out, g_codes[1], g_codes[2])
        return value - info.categorical - 0.1 * info.continuous, (value, info)

    d_value = sgd_step(d_ref, d_loss)
    g_value, info = sgd_step(g_ref, g_loss)
    logs = model.train_step(tf.constant(x))
    np.testing.assert_allclose(float(logs["d_loss"]), float(d_value), rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), float(g_value), rtol=1e-5)
    np.testing.assert_allclose(float(logs["mi_categorical"]), float(info.categorical), rtol=1e-5)
    np.testing.assert_allclose(float(logs["mi_continuous"]), float(info.continuous), rtol=1e-5)
    assert float(logs["mi_categorical"]) <= math.log(4) + math.log(2)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights(), strict=True):
            np.testing.assert_allclose(w, r, atol=1e-5)


def test_learned_std_reaches_the_loss():
    model = make_infogan(learn_std=True)
    z, categorical, continuous = model.draw_codes(4, 0)
    outputs = model.discriminator(model.generate(z, categorical=categorical,
                                                 continuous=continuous))
    got = model.mutual_information(outputs, categorical, continuous)
    std = np.exp(outputs["continuous_log_std"].numpy())
    log_q = (-0.5 * ((continuous.numpy() - outputs["continuous"].numpy()) / std) ** 2
             - np.log(std) - 0.5 * np.log(2 * np.pi)).sum(1).mean() + 2 * np.log(2)
    np.testing.assert_allclose(float(got.continuous), log_q, rtol=1e-5)


def test_two_replicas_take_the_single_replica_step(mirrored_strategy):
    data = tf.data.Dataset.from_tensor_slices(images(16, seed=3)).batch(8).repeat(2)
    single = make_infogan(lr=0.005)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    with mirrored_strategy.scope():
        mirrored = make_infogan(lr=0.005, initial=initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "discriminator"):
        for a, b in zip(getattr(single, net).weights, getattr(mirrored, net).weights, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-4)
    for key in InfoGAN.log_names:
        np.testing.assert_allclose(single_logs[key], mirrored_logs[key], rtol=1e-4, atol=1e-5)


def test_config_round_trip_keras_file_picture_and_bad_arguments(tmp_path):
    model = make_infogan()
    model.fit(images(16), batch_size=8, epochs=1, verbose=0)
    restored = InfoGAN.from_config(model.get_config())
    assert (restored.categorical_codes, restored.continuous_codes) == (CODES, CONTINUOUS)
    assert (restored.lambda_categorical, restored.lambda_continuous) == (1.0, 0.1)
    path = str(tmp_path / "infogan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, InfoGAN) and int(loaded.d_optimizer.iterations) == 2
    z, categorical, continuous = model.draw_codes(3, 7)
    np.testing.assert_allclose(
        loaded.generate(z, categorical=categorical, continuous=continuous),
        model.generate(z, categorical=categorical, continuous=continuous), atol=1e-6)
    picture = loaded.picture(None, 8, seed=0)  # 4 rows (first code's values) of 2
    assert picture.columns == 2 and picture.images.shape == (8, *SHAPE)
    np.testing.assert_allclose(picture.images[:2], loaded.picture(None, 8, seed=0).images[:2])
    with pytest.raises(ValueError, match=r"width 14, but z \(3\) plus .* make 11: build"):
        InfoGAN(infogan_generator(14, 8), model.discriminator, latent_dim=3,
                categorical_codes=CODES, continuous_codes=CONTINUOUS)
    with pytest.raises(ValueError, match=r"must output a dict with widths \{'source': 1, "
                                         r"'categorical': 6, 'continuous': 3\}"):
        InfoGAN(infogan_generator(12, 8), model.discriminator, latent_dim=3,
                categorical_codes=CODES, continuous_codes=3)
    with pytest.raises(ValueError, match=r"cardinalities >= 2, e.g. \(10,\)"):
        InfoGAN(model.generator, model.discriminator, latent_dim=3, categorical_codes=(1,))
    with pytest.raises(ValueError, match="`lambda_continuous` must be >= 0"):
        InfoGAN(model.generator, model.discriminator, latent_dim=NOISE, categorical_codes=CODES,
                continuous_codes=CONTINUOUS, lambda_continuous=-1.0)
    with pytest.raises(ValueError, match="Pass `categorical`"):
        model.generate(z, continuous=continuous)
    with pytest.raises(ValueError, match="InfoGAN takes codes, not labels"):
        model.generate(z, [1, 2, 3])


def test_export_round_trip_with_codes_and_encoder(tmp_path):
    model = make_infogan()
    model.fit(images(16), batch_size=8, epochs=1, verbose=0)
    folder = str(tmp_path / "export")
    export_model(model, folder)
    loaded = tf.saved_model.load(folder)
    assert set(loaded.signatures) == {"serving_default", "encode"}
    serve = loaded.signatures["serving_default"]
    assert set(serve.structured_input_signature[1]) == {"z", "categorical", "continuous"}
    z, _, continuous = model.draw_codes(4, 0)
    for value in range(CODES[0]):
        categorical = tf.constant([[value, 0], [value, 1], [value, 0], [value, 1]], tf.int32)
        np.testing.assert_allclose(
            serve(z=z, categorical=categorical, continuous=continuous)["images"],
            model.generate(z, categorical=categorical, continuous=continuous), atol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`categorical\[:, 1\]` must be in "
                                                             r"\[0, 2\)"):
        serve(z=z, categorical=tf.constant([[0, 2]] * 4, tf.int32), continuous=continuous)
    encoded = loaded.signatures["encode"](images=tf.constant(images(3)))
    outputs = model.discriminator(images(3), training=False)
    np.testing.assert_allclose(encoded["categorical_probabilities"][:, :4],
                               tf.nn.softmax(outputs["categorical"][:, :4]), atol=1e-5)
    np.testing.assert_allclose(encoded["categorical_probabilities"][:, 4:],
                               tf.nn.softmax(outputs["categorical"][:, 4:]), atol=1e-5)
    np.testing.assert_allclose(encoded["continuous_mean"], outputs["continuous"], atol=1e-5)


def test_configs_have_the_paper_settings_and_build_through_the_registry():
    config = infogan_digits.get_config()
    assert (config.model.latent_dim, tuple(config.model.categorical_codes),
            config.model.continuous_codes) == (62, (10,), 2)  # Section 7.1
    assert (config.model.lambda_categorical, config.model.lambda_continuous) == (1.0, 0.1)
    assert config.train.d_optimizer.learning_rate == 2e-4  # Appendix C: D 2e-4, G 1e-3
    assert config.train.g_optimizer.learning_rate == 1e-3
    config.model.latent_dim = 4
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, InfoGAN) and model.generator.inputs[0].shape[-1] == 16
    assert all(np.isfinite(float(v)) for v in model.train_step(next(iter(spec.dataset))).values())
    config = infogan_mnist.get_config()
    config.model.latent_dim = 4
    assert (config.data.tfds_name, config.train.batch_size) == ("mnist", 128)
    x = np.zeros((4, 28, 28, 1), np.float32)
    model = get_scheme(config.scheme)(config, DataSpec(tf.data.Dataset.from_tensors(x), "image",
                                                       (28, 28, 1)))
    assert model.generate(np.zeros((2, 4)), categorical=[[1], [2]],
                          continuous=np.zeros((2, 2))).shape == (2, 28, 28, 1)
    assert all(np.isfinite(float(v)) for v in model.train_step(x).values())
