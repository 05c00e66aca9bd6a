"""ACGAN (Odena et al. 2017): L_S + L_C for D, L_C - L_S (non-saturating) for G, two exports."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from configs import acgan_digits, acgan_mnist
from tfgan_kit.data import DataSpec
from tfgan_kit.export import export_model
from tfgan_kit.losses import acgan_discriminator_loss, acgan_generator_loss
from tfgan_kit.models import ACGAN
from tfgan_kit.nets.conditional import (
    acgan_mlp_discriminator,
    conditional_mlp_discriminator,
    conditional_mlp_generator,
)
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
K = 5
SHAPE = (4, 4, 1)


def make_acgan(d_steps=1, lr=0.1, initial=None):
    keras.utils.set_random_seed(0)
    model = ACGAN(conditional_mlp_generator(3, SHAPE, K, hidden=(16,),
                                            label_encoding="embedding", embedding_dim=4),
                  acgan_mlp_discriminator(SHAPE, K, hidden=(16,)),
                  latent_dim=3, num_classes=K, d_steps=d_steps, seed=0)
    if initial is not None:
        model.generator.set_weights(initial[0])
        model.discriminator.set_weights(initial[1])
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def batch(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, (n, *SHAPE)).astype(np.float32),
            rng.integers(0, K, n).astype(np.int32))


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn, lr=0.1):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(lr * tf.convert_to_tensor(g))  # embeddings get IndexedSlices
    return float(loss)


@pytest.mark.parametrize("d_steps", [1, 2])
def test_train_step_descends_the_acgan_losses(d_steps):
    """d_loss = -(L_S + L_C) on (x, y) and G(z, y'); g_loss = -log P(real|G) + CE(y'); the same
    draws and updates as written out here; class_accuracy is D's accuracy on the real labels."""
    model = make_acgan(d_steps)
    x, y = batch(8 * d_steps)
    z_d = [model.noise(8, stream=k) for k in range(d_steps)]
    y_d = [model.draw_labels(8, ACGAN.LABEL_STREAMS + k) for k in range(d_steps)]
    z_g = model.noise(8, stream=d_steps)
    y_g = model.draw_labels(8, ACGAN.LABEL_STREAMS + d_steps)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)

    accuracies = []

    def d_loss(k):
        real_s, real_c = d_ref(x[k::d_steps])
        fake_s, fake_c = d_ref(g_ref([z_d[k], y_d[k]]))
        accuracies.append(np.mean(np.argmax(real_c, 1) == y[k::d_steps]))
        return acgan_discriminator_loss(real_s, fake_s, real_c, fake_c, y[k::d_steps], y_d[k])

    d_losses = [sgd_step(d_ref, lambda k=k: d_loss(k)) for k in range(d_steps)]
    g_loss = sgd_step(g_ref, lambda: acgan_generator_loss(*d_ref(g_ref([z_g, y_g])), y_g))

    logs = model.train_step((tf.constant(x), tf.constant(y)))
    np.testing.assert_allclose(float(logs["d_loss"]), np.mean(d_losses), rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-5)
    np.testing.assert_allclose(float(logs["class_accuracy"]), np.mean(accuracies), atol=1e-6)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights()):
            np.testing.assert_allclose(w, r, atol=1e-6)


def test_d_loss_equals_the_loss_function_on_the_same_inputs():
    model = make_acgan()
    x, y = batch(8, seed=4)
    z, fake_labels = model.noise(8, 0), model.draw_labels(8, ACGAN.LABEL_STREAMS)
    real_s, real_c = model.discriminator(x, training=True)
    fake_s, fake_c = model.discriminator(model.generator([z, fake_labels], training=True),
                                         training=True)
    loss, logs = model.discriminator_loss(tf.constant(x), tf.constant(y), z, fake_labels)
    np.testing.assert_allclose(
        float(loss), float(acgan_discriminator_loss(real_s, fake_s, real_c, fake_c, y,
                                                    fake_labels)), rtol=1e-6)
    assert set(logs) == {"class_accuracy"}


def test_two_replicas_take_the_single_replica_step(mirrored_strategy):
    x, y = batch(16, seed=3)
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(8).repeat(2)
    single = make_acgan(lr=0.05)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    with mirrored_strategy.scope():
        mirrored = make_acgan(lr=0.05, initial=initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "discriminator"):
        for a, b in zip(getattr(single, net).weights, getattr(mirrored, net).weights, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)
    for key in ("d_loss", "class_accuracy"):
        np.testing.assert_allclose(single_logs[key], mirrored_logs[key], rtol=1e-4)


def test_config_round_trip_keras_file_and_bad_arguments(tmp_path):
    model = make_acgan(d_steps=2, lr=0.01)
    model.fit(*batch(16), batch_size=8, epochs=1, verbose=0)
    restored = ACGAN.from_config(model.get_config())
    assert (restored.num_classes, restored.d_steps) == (K, 2)
    path = str(tmp_path / "acgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, ACGAN) and int(loaded.d_optimizer.iterations) == 4
    z = np.random.default_rng(0).normal(size=(3, 3)).astype(np.float32)
    np.testing.assert_allclose(loaded.generate(z, [4, 0, 1]), model.generate(z, [4, 0, 1]),
                               atol=1e-6)
    picture = loaded.picture(None, 10, seed=0)
    assert picture.columns == 2 and picture.images.shape == (10, *SHAPE)
    with pytest.raises(ValueError, match=r"must output \[source logits \[batch, 1\], class "
                                         r"logits \[batch, 5\]\] \(role 'acgan_discriminator'\)"):
        ACGAN(model.generator, conditional_mlp_discriminator(SHAPE, K, hidden=(4,)),
              latent_dim=3, num_classes=K)
    with pytest.raises(ValueError, match=r"class logits \[batch, 7\]"):
        ACGAN(model.generator, model.discriminator, latent_dim=3, num_classes=7)


def test_export_round_trip_classifier_endpoint_and_sample_cli(tmp_path):
    model = make_acgan(lr=0.05)
    model.fit(*batch(16), batch_size=8, epochs=1, verbose=0)
    folder = str(tmp_path / "export")
    export_model(model, folder)
    loaded = tf.saved_model.load(folder)
    assert set(loaded.signatures) == {"serving_default", "classify"}
    serve = loaded.signatures["serving_default"]
    assert set(serve.structured_input_signature[1]) == {"z", "label"}
    z = tf.random.stateless_normal([4, 3], seed=[1, 1])
    for k in range(K):
        np.testing.assert_allclose(serve(z=z, label=tf.fill([4], k))["images"],
                                   model.generate(z, tf.fill([4], k)), atol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`label` must be in \[0, 5\)"):
        serve(z=z, label=tf.constant([0, 1, 2, 5], tf.int32))
    x, _ = batch(3)
    probabilities = loaded.signatures["classify"](images=tf.constant(x))["probabilities"]
    np.testing.assert_allclose(probabilities,
                               tf.nn.softmax(model.discriminator(x, training=False)[1]), atol=1e-5)

    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.sample", f"--saved_model={folder}", "--label=3",
         "--num=4", "--seed=2", f"--out={tmp_path / 'threes.png'}",
         f"--npy={tmp_path / 'threes.npy'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert Image.open(tmp_path / "threes.png").size == (2 * 5 + 1, 2 * 5 + 1)
    np.testing.assert_allclose(np.load(tmp_path / "threes.npy"),
                               model.generate(tf.random.stateless_normal([4, 3], seed=[2, 0]),
                                              [3] * 4), atol=1e-5)


def tiny(config):
    config.model.update({k: v for k, v in dict(g_hidden=(8,), d_hidden=(8,), g_base_filters=4,
                                               d_base_filters=4, latent_dim=4).items()
                         if k in config.model})
    config.train.jit_compile = False
    return config


def test_configs_have_the_paper_optimizer_and_build_through_the_registry():
    config = tiny(acgan_digits.get_config())
    assert (config.scheme, config.data.with_labels) == ("acgan", True)
    for key in ("g_optimizer", "d_optimizer"):  # Odena et al. 2017, Appendix: Adam 2e-4, 0.5
        assert dict(config.train[key]) == {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, ACGAN) and model.num_classes == 10
    assert all(np.isfinite(float(v)) for v in model.train_step(next(iter(spec.dataset))).values())
    config = tiny(acgan_mnist.get_config())
    assert (config.model.nets, config.model.dropout, config.train.batch_size) == ("cdcgan", 0.5, 100)
    x, labels = np.zeros((8, 28, 28, 1), np.float32), np.arange(8, dtype=np.int32)
    spec = DataSpec(tf.data.Dataset.from_tensors((x, labels)), "labelled", (28, 28, 1),
                    num_classes=10)
    model = get_scheme(config.scheme)(config, spec)
    assert all(np.isfinite(float(v)) for v in model.train_step((x, labels)).values())


def test_unlabelled_data_is_refused_by_the_trainer_with_the_fix(tmp_path):
    config = tiny(acgan_digits.get_config())
    config.data.with_labels = False
    with pytest.raises(ValueError, match="'acgan' trains on labelled batches, .* set "
                                         "config.data.with_labels=True"):
        train_and_evaluate(config, str(tmp_path / "run"))
