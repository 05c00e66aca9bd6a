"""CatGAN (Springenberg 2016): Eq. 7 (+ labelled CE) for D, Eq. 8 for G; classify endpoint."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import catgan_digits, catgan_mnist
from tfgan_kit.export import export_model
from tfgan_kit.losses import catgan_discriminator_loss, catgan_generator_loss, class_cross_entropy
from tfgan_kit.models import CatGAN
from tfgan_kit.nets.classifier import bn_mlp_generator, noisy_mlp_classifier
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

K, SHAPE = 3, (4, 4, 1)


def make_catgan(lr=0.05, initial=None, supervised_weight=0.5):
    keras.utils.set_random_seed(0)
    model = CatGAN(bn_mlp_generator(3, SHAPE, hidden=(8,)),
                   noisy_mlp_classifier(SHAPE, K, hidden=(16, 8), input_noise=0.0,
                                        hidden_noise=0.0),
                   latent_dim=3, num_classes=K, supervised_weight=supervised_weight, seed=0)
    if initial is not None:
        model.generator.set_weights(initial[0])
        model.discriminator.set_weights(initial[1])
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def batch(labelled, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (8, *SHAPE)).astype(np.float32)
    if not labelled:
        return x
    return {"image": x, "labelled_image": rng.uniform(-1, 1, (4, *SHAPE)).astype(np.float32),
            "labelled_label": rng.integers(0, K, 4).astype(np.int32)}


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn, lr=0.05):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * g)


@pytest.mark.parametrize("labelled", [False, True])
def test_train_step_descends_eq7_plus_weighted_ce_then_eq8(labelled):
    model = make_catgan()
    data = batch(labelled)
    real = data["image"] if labelled else data
    z_d, z_g = model.noise(8, stream=0), model.noise(8, stream=1)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    values = {}

    def d_loss():
        real_logits = d_ref(real, training=True)["logits"]
        fake_logits = d_ref(g_ref(z_d, training=True), training=True)["logits"]
        values["d"] = catgan_discriminator_loss(real_logits, fake_logits)
        values["sup"] = (class_cross_entropy(d_ref(data["labelled_image"], training=True)
                                             ["logits"], data["labelled_label"])
                         if labelled else tf.constant(0.0))
        return values["d"] + 0.5 * values["sup"]

    def g_loss():
        values["g"] = catgan_generator_loss(d_ref(g_ref(z_g, training=True),
                                                  training=True)["logits"])
        return values["g"]

    sgd_step(d_ref, d_loss)
    sgd_step(g_ref, g_loss)
    logs = model.train_step(tf.nest.map_structure(tf.constant, data))
    for log, key in (("d_loss", "d"), ("g_loss", "g"), ("supervised_loss", "sup")):
        np.testing.assert_allclose(float(logs[log]), float(values[key]), rtol=1e-5, atol=1e-7)
    assert 0.0 <= float(logs["real_marginal_entropy"]) <= np.log(K) + 1e-6
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights(), strict=True):
            np.testing.assert_allclose(w, r, atol=1e-5)


def test_two_replicas_take_the_single_replica_step(mirrored_strategy):
    data = tf.data.Dataset.from_tensors(batch(True, seed=3)).repeat(2)
    single = make_catgan(lr=0.02)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    with mirrored_strategy.scope():
        mirrored = make_catgan(lr=0.02, initial=initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "discriminator"):
        for a, b in zip(getattr(single, net).weights, getattr(mirrored, net).weights, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)
    for key in CatGAN.log_names:
        np.testing.assert_allclose(single_logs[key], mirrored_logs[key], rtol=1e-4, atol=1e-6)


def test_keras_round_trip_export_with_classifier_and_bad_arguments(tmp_path):
    model = make_catgan()
    model.fit(batch(False), batch_size=4, epochs=1, verbose=0)
    restored = CatGAN.from_config(model.get_config())
    assert (restored.num_classes, restored.supervised_weight) == (K, 0.5)
    path = str(tmp_path / "catgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    x = batch(False, seed=5)
    np.testing.assert_allclose(loaded.classify(x), model.classify(x), atol=1e-6)
    folder = str(tmp_path / "export")
    export_model(model, folder)
    signatures = tf.saved_model.load(folder).signatures
    assert set(signatures) == {"serving_default", "classify"}
    np.testing.assert_allclose(signatures["classify"](images=tf.constant(x))["probabilities"],
                               model.classify(x), atol=1e-5)
    z = tf.random.stateless_normal([2, 3], seed=[1, 2])
    np.testing.assert_allclose(signatures["serving_default"](z=z)["images"], model.generate(z),
                               atol=1e-5)
    with pytest.raises(ValueError, match=r"CatGAN discriminator must output \{'logits': "
                                         r"\[batch, 5\]"):
        CatGAN(model.generator, model.discriminator, latent_dim=3, num_classes=5)
    with pytest.raises(ValueError, match="`supervised_weight` must be >= 0"):
        CatGAN(model.generator, model.discriminator, latent_dim=3, num_classes=K,
               supervised_weight=-1.0)


def tiny(config):
    config.model.update(g_hidden=(8,), d_hidden=(8,), latent_dim=4)
    config.data.labelled_batch_size = 10
    config.train.jit_compile = False
    return config


def test_configs_build_unsupervised_and_semi_supervised_through_the_registry(tmp_path):
    config = tiny(catgan_digits.get_config())
    assert (config.model.num_classes, config.data.labelled_per_class) == (10, None)
    spec = get_dataset(config.data.name)(config, 10)
    model = get_scheme(config.scheme)(config, spec)
    assert spec.kind == "image" and isinstance(model, CatGAN) and model.num_classes == 10
    logs = model.train_step(next(iter(spec.dataset)))
    assert float(logs["supervised_loss"]) == 0.0
    config.data.labelled_per_class = 10
    spec = get_dataset(config.data.name)(config, 10)
    model = get_scheme(config.scheme)(config, spec)
    assert spec.kind == "semi_supervised"
    assert float(model.train_step(next(iter(spec.dataset)))["supervised_loss"]) > 0.0
    mnist = catgan_mnist.get_config()
    assert (mnist.data.tfds_name, mnist.scheme) == ("mnist", "catgan")
    config.model.num_classes = None
    config.data.labelled_per_class = None
    with pytest.raises(ValueError, match="CatGAN needs the number of categories: set "
                                         "config.model.num_classes"):
        train_and_evaluate(config, str(tmp_path / "run"))
