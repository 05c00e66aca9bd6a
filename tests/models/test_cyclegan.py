"""CycleGAN (Zhu et al. 2017): the step wired as Eq. 3 (LSGAN, lambda cycle, 0.5 lambda identity,
halved D losses on pooled images), 1 vs 2 replicas, the pool in checkpoints, the paper config's decay,
export a_to_b / b_to_a and the sample CLI, train.py end to end."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from configs import cyclegan_horse2zebra, cyclegan_shapes
from tfgan_kit.export import export_model
from tfgan_kit.models import CycleGAN
from tfgan_kit.nets import patchgan_discriminator, resnet_translator
from tfgan_kit.training import train_and_evaluate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHAPE = (8, 8, 1)


def make_cyclegan(lr=0.05, pool_size=50, initial=None):
    keras.utils.set_random_seed(0)
    nets = {name: resnet_translator(SHAPE, residual_blocks=6, base_filters=2, name=name)
            for name in ("g_ab", "g_ba")}
    nets.update({name: patchgan_discriminator(16, 1, base_filters=2, normalization="instance",
                                              name=name) for name in ("d_a", "d_b")})
    model = CycleGAN(**nets, pool_size=pool_size)
    if initial is not None:
        for name, weights in initial.items():
            getattr(model, name).set_weights(weights)
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def domains(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, (n, *SHAPE)).astype(np.float32),
            rng.uniform(-1, 1, (n, *SHAPE)).astype(np.float32))


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def l1(x, y):
    return tf.reduce_mean(tf.abs(x - y))


def test_train_step_is_the_g_step_of_eq_3_then_the_halved_d_step_on_pooled_images():
    model = make_cyclegan()
    a, b = domains(3)
    g, f, d_a, d_b = (clone(getattr(model, n)) for n in ("g_ab", "g_ba", "d_a", "d_b"))
    lr = 0.05
    with tf.GradientTape() as tape:
        fake_b, fake_a = g(a, training=True), f(b, training=True)
        adversarial = (tf.reduce_mean((d_b(fake_b, training=True) - 1) ** 2)
                       + tf.reduce_mean((d_a(fake_a, training=True) - 1) ** 2))
        cycle = l1(f(fake_b, training=True), a) + l1(g(fake_a, training=True), b)
        identity = l1(f(a, training=True), a) + l1(g(b, training=True), b)
        g_loss = adversarial + 10.0 * cycle + 5.0 * identity
    variables = g.trainable_variables + f.trainable_variables
    for v, grad in zip(variables, tape.gradient(g_loss, variables)):
        v.assign_sub(lr * grad)
    with tf.GradientTape() as tape:  # the pools are empty: they return this step's images
        d_loss = (0.5 * (tf.reduce_mean((d_b(b, training=True) - 1) ** 2)
                         + tf.reduce_mean(d_b(fake_b, training=True) ** 2))
                  + 0.5 * (tf.reduce_mean((d_a(a, training=True) - 1) ** 2)
                           + tf.reduce_mean(d_a(fake_a, training=True) ** 2)))
    variables = d_a.trainable_variables + d_b.trainable_variables
    for v, grad in zip(variables, tape.gradient(d_loss, variables)):
        v.assign_sub(lr * grad)

    logs = model.train_step((tf.constant(a), tf.constant(b)))
    for key, expected in (("g_loss", g_loss), ("d_loss", d_loss), ("cycle_loss", cycle),
                          ("identity_loss", identity)):
        np.testing.assert_allclose(float(logs[key]), float(expected), rtol=1e-5, err_msg=key)
    for name, ref in (("g_ab", g), ("g_ba", f), ("d_a", d_a), ("d_b", d_b)):
        for w, r in zip(getattr(model, name).weights, ref.weights):
            np.testing.assert_allclose(w, r, atol=1e-5, err_msg=name)
    assert int(model.pool_a.count) == int(model.pool_b.count) == 3
    np.testing.assert_allclose(model.pool_b.images[:3], fake_b, atol=1e-5)


def test_bad_arguments():
    grey_to_rgb = keras.Sequential([keras.Input(SHAPE), keras.layers.Conv2D(3, 1)])
    rgb_to_grey = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(1, 1)])
    d = keras.Sequential([keras.Input(SHAPE), keras.layers.Conv2D(1, 1)])
    with pytest.raises(ValueError, match=r"the domains have 1 and 3: set identity_weight=0"):
        CycleGAN(grey_to_rgb, rgb_to_grey, d, d)
    with pytest.raises(ValueError, match="`cycle_weight` must be >= 0"):
        CycleGAN(grey_to_rgb, rgb_to_grey, d, d, cycle_weight=-1.0, identity_weight=0.0)


def conv_net(name, activation):
    """A one-convolution net: the distribution test checks the scheme's wiring (loss scaling,
    the pools' gathered queries), on nets whose outputs depend smoothly on their weights."""
    return keras.Sequential([keras.Input(SHAPE), keras.layers.Conv2D(1, 3, padding="same",
                                                                     activation=activation)],
                            name=name)


def make_conv_cyclegan(initial=None):
    keras.utils.set_random_seed(0)
    nets = {"g_ab": conv_net("g_ab", "tanh"), "g_ba": conv_net("g_ba", "tanh"),
            "d_a": conv_net("d_a", None), "d_b": conv_net("d_b", None)}
    model = CycleGAN(**nets, pool_size=6)
    if initial is not None:
        for name, weights in initial.items():
            getattr(model, name).set_weights(weights)
    model.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05))
    return model


def test_two_replicas_take_the_single_replica_step_and_share_one_pool(mirrored_strategy):
    a, b = domains(12, seed=3)  # 3 steps of 4: the pool of 6 fills, then swaps
    data = tf.data.Dataset.from_tensor_slices((a, b)).batch(4)
    single = make_conv_cyclegan()
    initial = {n: getattr(single, n).get_weights() for n in single.net_names()}
    with mirrored_strategy.scope():
        mirrored = make_conv_cyclegan(initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for name in single.net_names():
        for x, y in zip(getattr(single, name).weights, getattr(mirrored, name).weights):
            np.testing.assert_allclose(x.numpy(), y.numpy(), atol=1e-5, err_msg=name)
    assert int(single.pool_a.count.numpy()) == int(mirrored.pool_a.count.numpy()) == 6
    np.testing.assert_allclose(single.pool_a.images.numpy(), mirrored.pool_a.images.numpy(),
                               atol=1e-5)
    np.testing.assert_allclose(single_logs["d_loss"], mirrored_logs["d_loss"], rtol=1e-4)


def test_keras_round_trip_holds_the_pools_export_and_sample_cli(tmp_path):
    model = make_cyclegan(pool_size=5)
    model.fit(tf.data.Dataset.from_tensor_slices(domains(8)).batch(4), epochs=1, verbose=0)
    path = str(tmp_path / "cyclegan.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, CycleGAN) and loaded.pool_size == 5
    assert (loaded.cycle_weight, loaded.identity_weight) == (10.0, 0.5)
    assert int(loaded.pool_a.count) == 5
    np.testing.assert_array_equal(loaded.pool_b.images, model.pool_b.images)

    folder = str(tmp_path / "export")
    export_model(model, folder)
    signatures = tf.saved_model.load(folder).signatures
    assert {"a_to_b", "b_to_a"} <= set(signatures)  # Keras adds serving_default = the first
    a, b = domains(2, seed=5)
    np.testing.assert_allclose(signatures["a_to_b"](images=tf.constant(a))["images"],
                               model.g_ab(a, training=False), atol=1e-5)
    np.testing.assert_allclose(signatures["b_to_a"](images=tf.constant(b))["images"],
                               model.g_ba(b, training=False), atol=1e-5)
    picture = model.picture(_Preview((a, b)), 2, seed=0)
    assert picture.columns == 6 and picture.images.shape == (12, *SHAPE)
    np.testing.assert_array_equal(picture.images[3::6], b)

    images_dir = tmp_path / "b"
    images_dir.mkdir()
    for k, image in enumerate(b):
        Image.fromarray(((image[..., 0] + 1) * 127.5).round().astype(np.uint8)).save(
            images_dir / f"{k}.png")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.sample", f"--saved_model={folder}",
         "--signature=b_to_a", f"--images_dir={images_dir}", f"--npy={tmp_path / 'ba.npy'}",
         f"--out={tmp_path / 'ba.png'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    quantized = np.stack([np.asarray(Image.open(images_dir / f"{k}.png"), np.float32)[..., None]
                          for k in range(len(b))]) / 127.5 - 1.0  # what the CLI reads
    np.testing.assert_allclose(np.load(tmp_path / "ba.npy"),
                               model.g_ba(quantized, training=False), atol=1e-4)
    assert (tmp_path / "ba.png").exists()


class _Preview:
    def __init__(self, batch):
        self.batch = batch

    def preview(self, count):
        return tuple(part[:count] for part in self.batch)


def shrunk(config):
    config.data.image_size, config.data.num_examples = 16, 8
    config.model.update(g_base_filters=2, d_base_filters=2, receptive_field=16, pool_size=4)
    config.train.update(batch_size=2, epochs=2, steps_per_epoch=2, num_samples=2, verbose="0")
    return config


def test_configs_and_train_py(tmp_path):
    paper = cyclegan_horse2zebra.get_config()
    assert (paper.model.residual_blocks, paper.model.g_base_filters, paper.model.cycle_weight,
            paper.model.identity_weight, paper.model.pool_size, paper.train.decay_start_epoch,
            paper.train.batch_size, paper.train.epochs, paper.data.load_size) == (
                9, 64, 10.0, 0.5, 50, 100, 1, 200, 286)
    config = shrunk(cyclegan_shapes.get_config())
    for key in ("g_optimizer", "d_optimizer"):
        assert dict(config.train[key]) == {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    config.train.epochs = 1
    model = train_and_evaluate(config, str(tmp_path / "run"), export_dir=str(tmp_path / "export"))
    assert {"a_to_b", "b_to_a"} <= set(tf.saved_model.load(str(tmp_path / "export")).signatures)
    assert int(model.pool_a.count) == 4 and (tmp_path / "run" / "samples" / "epoch_0001.png").exists()
    config.data.name = "paired_shapes"
    with pytest.raises(ValueError, match="'cyclegan' trains on unpaired batches"):
        train_and_evaluate(config, str(tmp_path / "other"))


@pytest.mark.slow
def test_a_resumed_run_continues_with_the_checkpointed_pools(tmp_path):
    """~80 s: three short runs. The pools' images and count are in the checkpoint, so a run
    resumed after epoch 1 ends with the uninterrupted run's pools and weights."""
    config = shrunk(cyclegan_shapes.get_config())
    straight = train_and_evaluate(config, str(tmp_path / "straight"))
    config.train.epochs = 1  # then resumed for the second epoch in a new model
    train_and_evaluate(config, str(tmp_path / "resumed"))
    config.train.epochs = 2
    resumed = train_and_evaluate(config, str(tmp_path / "resumed"))
    assert int(resumed.step_count) == 4 and int(resumed.pool_a.count) == 4
    np.testing.assert_allclose(resumed.pool_a.images, straight.pool_a.images, atol=1e-5)
    for name in straight.net_names():
        for x, y in zip(getattr(straight, name).weights, getattr(resumed, name).weights):
            np.testing.assert_allclose(x.numpy(), y.numpy(), atol=1e-5, err_msg=name)
