"""Semi-supervised GAN (Salimans et al. 2016): L_sup + L_unsup for D, feature matching for G."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import ssgan_digits, ssgan_mnist
from tfgan_kit.export import export_model
from tfgan_kit.losses import (
    feature_matching_loss,
    ssgan_generator_loss,
    ssgan_supervised_loss,
    ssgan_unsupervised_loss,
)
from tfgan_kit.models import SemiSupervisedGAN
from tfgan_kit.nets.classifier import bn_mlp_generator, noisy_mlp_classifier
from tfgan_kit.nets.mlp import mlp_discriminator
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

K, SHAPE = 3, (4, 4, 1)


def make_nets():
    keras.utils.set_random_seed(0)
    return (bn_mlp_generator(3, SHAPE, hidden=(8,)),
            noisy_mlp_classifier(SHAPE, K, hidden=(16, 8), input_noise=0.0, hidden_noise=0.0))


def make_ssgan(generator_loss="feature_matching", lr=0.05, initial=None):
    generator, discriminator = make_nets()
    model = SemiSupervisedGAN(generator, discriminator, latent_dim=3, num_classes=K,
                              generator_loss=generator_loss, unsupervised_weight=0.5, seed=0)
    if initial is not None:
        model.generator.set_weights(initial[0])
        model.discriminator.set_weights(initial[1])
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def batch(n=8, labelled=4, seed=0):
    rng = np.random.default_rng(seed)
    return {"image": rng.uniform(-1, 1, (n, *SHAPE)).astype(np.float32),
            "labelled_image": rng.uniform(-1, 1, (labelled, *SHAPE)).astype(np.float32),
            "labelled_label": rng.integers(0, K, labelled).astype(np.int32)}


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn, lr=0.05):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * g)
    return float(loss)


@pytest.mark.parametrize("generator_loss", ["feature_matching", "non_saturating"])
def test_train_step_descends_sup_plus_weighted_unsup_then_the_generator_loss(generator_loss):
    model = make_ssgan(generator_loss)
    data = batch()
    z_d, z_g = model.noise(8, stream=0), model.noise(8, stream=1)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    parts = {}

    def d_loss():
        labelled = d_ref(data["labelled_image"], training=True)["logits"]
        real = d_ref(data["image"], training=True)["logits"]
        fake = d_ref(g_ref(z_d, training=True), training=True)["logits"]
        parts["sup"] = float(ssgan_supervised_loss(labelled, data["labelled_label"]))
        parts["unsup"] = float(ssgan_unsupervised_loss(real, fake))
        parts["accuracy"] = np.mean(np.argmax(labelled, 1) == data["labelled_label"])
        return (ssgan_supervised_loss(labelled, data["labelled_label"])
                + 0.5 * ssgan_unsupervised_loss(real, fake))

    def g_loss():
        fake = d_ref(g_ref(z_g, training=True), training=True)
        if generator_loss == "non_saturating":
            return ssgan_generator_loss(fake["logits"])
        real = d_ref(data["image"], training=True)["features"]
        return feature_matching_loss(real, fake["features"])

    d_value = sgd_step(d_ref, d_loss)
    g_value = sgd_step(g_ref, g_loss)
    logs = model.train_step({k: tf.constant(v) for k, v in data.items()})
    np.testing.assert_allclose(float(logs["d_loss"]), d_value, rtol=1e-5)
    np.testing.assert_allclose(float(logs["supervised_loss"]), parts["sup"], rtol=1e-5)
    np.testing.assert_allclose(float(logs["unsupervised_loss"]), parts["unsup"], rtol=1e-5)
    np.testing.assert_allclose(float(logs["labelled_accuracy"]), parts["accuracy"], atol=1e-6)
    np.testing.assert_allclose(float(logs["g_loss"]), g_value, rtol=1e-5)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights(), strict=True):
            np.testing.assert_allclose(w, r, atol=1e-5)


def test_two_replicas_take_the_single_replica_step(mirrored_strategy):
    data = tf.data.Dataset.from_tensors(batch(seed=3)).repeat(2)
    single = make_ssgan(lr=0.02)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    with mirrored_strategy.scope():
        mirrored = make_ssgan(lr=0.02, initial=initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "discriminator"):
        for a, b in zip(getattr(single, net).weights, getattr(mirrored, net).weights, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)
    for key in SemiSupervisedGAN.log_names:
        np.testing.assert_allclose(single_logs[key], mirrored_logs[key], rtol=1e-4, atol=1e-6)


def test_keras_round_trip_export_with_classifier_and_bad_arguments(tmp_path):
    model = make_ssgan()
    model.fit(tf.data.Dataset.from_tensors(batch()).repeat(2), epochs=1, verbose=0)
    restored = SemiSupervisedGAN.from_config(model.get_config())
    assert (restored.num_classes, restored.generator_loss, restored.unsupervised_weight) == (
        K, "feature_matching", 0.5)
    path = str(tmp_path / "ssgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    x = batch(seed=5)["image"]
    np.testing.assert_allclose(loaded.classify(x), model.classify(x), atol=1e-6)
    folder = str(tmp_path / "export")
    export_model(model, folder)
    signatures = tf.saved_model.load(folder).signatures
    assert set(signatures) == {"serving_default", "classify"}
    probabilities = signatures["classify"](images=tf.constant(x))["probabilities"]
    np.testing.assert_allclose(probabilities, model.classify(x), atol=1e-5)
    np.testing.assert_allclose(np.sum(probabilities, axis=1), 1.0, atol=1e-5)
    z = tf.random.stateless_normal([2, 3], seed=[1, 2])
    np.testing.assert_allclose(signatures["serving_default"](z=z)["images"], model.generate(z),
                               atol=1e-5)
    generator, discriminator = make_nets()
    with pytest.raises(ValueError, match=r"must output \{'logits': \[batch, 4\], ...\}"):
        SemiSupervisedGAN(generator, discriminator, latent_dim=3, num_classes=4)
    with pytest.raises(ValueError, match="Feature matching needs a discriminator that also "
                                         "outputs 'features'"):
        SemiSupervisedGAN(generator, keras.Model(discriminator.inputs,
                                                 {"logits": discriminator.output["logits"]}),
                          latent_dim=3, num_classes=K)
    with pytest.raises(ValueError, match="`generator_loss` must be one of"):
        SemiSupervisedGAN(generator, discriminator, latent_dim=3, num_classes=K,
                          generator_loss="minimax")
    with pytest.raises(ValueError, match="must output"):
        SemiSupervisedGAN(generator, mlp_discriminator(SHAPE), latent_dim=3, num_classes=K)


def test_configs_build_through_the_registry_and_unlabelled_data_is_refused(tmp_path):
    config = ssgan_digits.get_config()
    assert (config.data.labelled_per_class, config.model.d_hidden) == (10, (1000, 500, 250,
                                                                            250, 250))
    config.model.update(g_hidden=(8,), d_hidden=(8,), latent_dim=4)
    config.data.labelled_batch_size = 10
    config.train.jit_compile = False
    spec = get_dataset(config.data.name)(config, 10)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, SemiSupervisedGAN) and model.num_classes == 10
    assert all(np.isfinite(float(v)) for v in model.train_step(next(iter(spec.dataset))).values())
    mnist = ssgan_mnist.get_config()
    assert (mnist.data.tfds_name, mnist.data.labelled_per_class, mnist.scheme) == (
        "mnist", 10, "ssgan")
    config.data.labelled_per_class = None
    with pytest.raises(ValueError, match="'ssgan' trains on semi_supervised batches, .* set "
                                         r"config.data.labelled_per_class"):
        train_and_evaluate(config, str(tmp_path / "run"))
