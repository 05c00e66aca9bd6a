"""Conditional GAN (Mirza & Osindero 2014): labelled Algorithm 1, serving (z, label), pictures."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from configs import cgan_digits, cgan_mnist
from tfgan_kit.data import DataSpec
from tfgan_kit.export import export_model
from tfgan_kit.losses import minimax_discriminator_loss, non_saturating_generator_loss
from tfgan_kit.models import ConditionalGAN
from tfgan_kit.nets.conditional import conditional_mlp_discriminator, conditional_mlp_generator
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training import train_and_evaluate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
K = 5  # classes
SHAPE = (4, 4, 1)


def make_cgan(d_steps=1, lr=0.1, conditioning="concat", initial=None, **kwargs):
    keras.utils.set_random_seed(0)
    model = ConditionalGAN(
        conditional_mlp_generator(3, SHAPE, K, hidden=(16,)),
        conditional_mlp_discriminator(SHAPE, K, hidden=(16,), conditioning=conditioning),
        latent_dim=3, num_classes=K, d_steps=d_steps, seed=0, **kwargs)
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


@pytest.mark.parametrize("d_steps, conditioning", [(1, "concat"), (2, "projection")])
def test_train_step_is_labelled_algorithm_1(d_steps, conditioning):
    """D steps on strided (x, y) minibatches vs (G(z, y'), y'), y' ~ U{0..K-1} on its own
    stream; then G's non-saturating step; the logged d_loss is the mean of the GAN losses."""
    model = make_cgan(d_steps, conditioning=conditioning)
    x, y = batch(8 * d_steps)
    z_d = [model.noise(8, stream=k) for k in range(d_steps)]
    y_d = [model.draw_labels(8, ConditionalGAN.LABEL_STREAMS + k) for k in range(d_steps)]
    z_g = model.noise(8, stream=d_steps)
    y_g = model.draw_labels(8, ConditionalGAN.LABEL_STREAMS + d_steps)
    assert y_g.dtype == tf.int32 and 0 <= int(tf.reduce_min(y_g)) <= int(tf.reduce_max(y_g)) < K

    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    d_losses = [sgd_step(d_ref, lambda k=k: minimax_discriminator_loss(
        d_ref([x[k::d_steps], y[k::d_steps]]), d_ref([g_ref([z_d[k], y_d[k]]), y_d[k]])))
        for k in range(d_steps)]
    g_loss = sgd_step(g_ref, lambda: non_saturating_generator_loss(
        d_ref([g_ref([z_g, y_g]), y_g])))

    logs = model.train_step((tf.constant(x), tf.constant(y)))
    np.testing.assert_allclose(float(logs["d_loss"]), np.mean(d_losses), rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), g_loss, rtol=1e-5)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.get_weights(), ref.get_weights()):
            np.testing.assert_allclose(w, r, atol=1e-6)


def test_generated_labels_are_uniform_and_fresh_every_step():
    model = make_cgan()
    labels = model.draw_labels(5000, ConditionalGAN.LABEL_STREAMS).numpy()
    counts = np.bincount(labels, minlength=K)
    assert counts.min() > 900 and counts.max() < 1100
    model.train_step(batch(8))
    assert not np.array_equal(labels, model.draw_labels(5000, ConditionalGAN.LABEL_STREAMS))


def test_two_replicas_take_the_single_replica_step(mirrored_strategy):
    x, y = batch(16, seed=3)
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(8).repeat(2)
    single = make_cgan(lr=0.05)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    with mirrored_strategy.scope():
        mirrored = make_cgan(lr=0.05, initial=initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for net in ("generator", "discriminator"):
        for a, b in zip(getattr(single, net).weights, getattr(mirrored, net).weights, strict=True):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)
    np.testing.assert_allclose(single_logs["d_loss"], mirrored_logs["d_loss"], rtol=1e-4)


def test_picture_has_one_row_per_class_with_a_fixed_z_per_column():
    model = make_cgan()
    picture = model.picture(None, num_samples=12, seed=7)
    assert picture.columns == 2 and picture.images.shape == (K * 2, *SHAPE)
    z = tf.random.stateless_normal([2, 3], seed=[7, 0])
    for k in range(K):
        np.testing.assert_allclose(picture.images[2 * k : 2 * k + 2],
                                   model.generate(z, [k, k]), atol=1e-6)


def test_config_round_trip_keras_file_and_bad_arguments(tmp_path):
    model = make_cgan(d_steps=2, generator_loss="minimax", lr=0.01)
    x, y = batch(16)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    restored = ConditionalGAN.from_config(model.get_config())
    assert (restored.num_classes, restored.d_steps, restored.generator_loss) == (K, 2, "minimax")
    path = str(tmp_path / "cgan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, ConditionalGAN) and loaded.num_classes == K
    assert int(loaded.d_optimizer.iterations) == 4
    z = np.random.default_rng(0).normal(size=(3, 3)).astype(np.float32)
    np.testing.assert_allclose(loaded.generate(z, [0, 2, 4]), model.generate(z, [0, 2, 4]),
                               atol=1e-6)

    g, d = model.generator, model.discriminator
    with pytest.raises(ValueError, match="`num_classes` must be an integer >= 2"):
        ConditionalGAN(g, d, latent_dim=3, num_classes=1)
    with pytest.raises(ValueError, match="`generator_loss` must be one of"):
        ConditionalGAN(g, d, latent_dim=3, num_classes=K, generator_loss="hinge")
    with pytest.raises(ValueError, match=r"`d_steps` must be an integer in \[1, 32\)"):
        ConditionalGAN(g, d, latent_dim=3, num_classes=K, d_steps=0)
    with pytest.raises(ValueError, match=r"is conditional: call generate\(z, labels\)"):
        model.generate(z)
    with pytest.raises(ValueError, match="The batch has no labels"):
        model.train_step(tf.constant(x[:8]))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    model = make_cgan(lr=0.05)
    model.fit(*batch(16), batch_size=8, epochs=1, verbose=0)
    folder = str(tmp_path_factory.mktemp("cgan") / "export")
    export_model(model, folder)
    return model, folder


def test_saved_model_with_label_k_equals_the_in_memory_generator(exported):
    model, folder = exported
    signature = tf.saved_model.load(folder).signatures["serving_default"]
    assert set(signature.structured_input_signature[1]) == {"z", "label"}
    spec = signature.structured_input_signature[1]
    assert (spec["z"].dtype, spec["z"].shape.as_list()) == (tf.float32, [None, 3])
    assert (spec["label"].dtype, spec["label"].shape.as_list()) == (tf.int32, [None])
    z = tf.random.stateless_normal([4, 3], seed=[1, 1])
    outputs = {}
    for k in range(K):
        outputs[k] = signature(z=z, label=tf.fill([4], k))["images"].numpy()
        np.testing.assert_allclose(outputs[k], model.generate(z, tf.fill([4], k)), atol=1e-5)
    assert not np.allclose(outputs[0], outputs[3])


def test_label_out_of_range_or_wrong_batch_at_serving_is_a_clear_error(exported):
    _, folder = exported
    signature = tf.saved_model.load(folder).signatures["serving_default"]
    z = tf.zeros([2, 3])
    for bad in ([0, K], [-1, 0]):
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"`label` must be in \[0, 5\)"):
            signature(z=z, label=tf.constant(bad, tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="`z` and `label` must have the same batch size"):
        signature(z=z, label=tf.constant([1, 2, 3], tf.int32))


def test_sample_cli_writes_the_requested_class(exported, tmp_path):
    model, folder = exported
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.sample", f"--saved_model={folder}", "--label=3",
         "--num=4", "--seed=2", f"--out={tmp_path / 'threes.png'}",
         f"--npy={tmp_path / 'threes.npy'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert Image.open(tmp_path / "threes.png").size == (2 * 5 + 1, 2 * 5 + 1)
    z = tf.random.stateless_normal([4, 3], seed=[2, 0])
    np.testing.assert_allclose(np.load(tmp_path / "threes.npy"), model.generate(z, [3] * 4),
                               atol=1e-5)


def tiny(config):
    config.model.update({k: v for k, v in dict(g_hidden=(8,), d_hidden=(8,), g_base_filters=4,
                                               d_base_filters=4, latent_dim=4).items()
                         if k in config.model})
    config.train.jit_compile = False
    return config


def test_configs_build_through_the_registry_and_train_one_step():
    config = tiny(cgan_digits.get_config())
    assert (config.scheme, config.data.with_labels) == ("cgan", True)
    assert dict(config.train.g_optimizer) == {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, ConditionalGAN) and model.num_classes == 10
    logs = model.train_step(next(iter(spec.dataset)))
    assert all(np.isfinite(float(v)) for v in logs.values())
    # MNIST is not prepared here: its conditional DCGAN nets on a stand-in labelled spec.
    config = tiny(cgan_mnist.get_config())
    x = np.zeros((8, 28, 28, 1), np.float32)
    labels = np.arange(8, dtype=np.int32)
    spec = DataSpec(tf.data.Dataset.from_tensors((x, labels)), "labelled", (28, 28, 1),
                    num_classes=10)
    model = get_scheme(config.scheme)(config, spec)
    assert model.generate(np.zeros((2, 4), np.float32), [1, 2]).shape == (2, 28, 28, 1)
    assert all(np.isfinite(float(v)) for v in model.train_step((x, labels)).values())


def test_unlabelled_data_is_refused_by_the_trainer_with_the_fix(tmp_path):
    config = tiny(cgan_digits.get_config())
    config.data.with_labels = False
    config.train.epochs = 1
    with pytest.raises(ValueError, match="trains on labelled batches, but data set 'digits' "
                                         "gives image batches: set config.data.with_labels=True"):
        train_and_evaluate(config, str(tmp_path / "run"))


def test_evaluate_generates_every_class_in_turn_and_asks_for_the_cycle(exported):
    from tfgan_kit.evaluate import generate_images

    model, folder = exported
    images = generate_images(folder, 12, batch_size=5, seed=3, labels_cycle=K)
    z = np.random.default_rng(3).standard_normal((12, 3)).astype(np.float32)
    expected = model.generate(z, np.arange(12) % K)
    np.testing.assert_allclose(images, np.asarray(expected), atol=1e-5)
    with pytest.raises(ValueError, match="is conditional .* pass --labels_cycle=K"):
        generate_images(folder, 4)


def test_run_summary_suggests_sample_and_evaluate_with_the_labels_cycle(tmp_path):
    from tfgan_kit.training.report import summary_lines

    config = tiny(cgan_digits.get_config())
    spec = get_dataset(config.data.name)(config, config.train.batch_size)
    model = get_scheme(config.scheme)(config, spec)
    lines = summary_lines(config, model, spec, str(tmp_path), "/tmp/x", None, None, 0)
    assert f"  python -m tfgan_kit.sample --saved_model=/tmp/x --labels_cycle=10 --out={tmp_path}/sample.png" in lines
    assert any(line.startswith("  python -m tfgan_kit.evaluate --saved_model=/tmp/x "
                               "--labels_cycle=10 --dataset=digits") for line in lines)
