"""Pix2Pix (Isola et al. 2017): the step wired as Eq. 4 (D halved, G = -log D + 100 L1),
conditional and unconditional D, 1 vs 2 replicas, export images -> images, the sample CLI,
train.py end to end."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from configs import pix2pix_facades, pix2pix_shapes
from tfgan_kit.export import export_model
from tfgan_kit.models import Pix2Pix
from tfgan_kit.nets import patchgan_discriminator, unet_generator
from tfgan_kit.training import train_and_evaluate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHAPE = (16, 16, 1)


def make_pix2pix(conditional=True, dropout=0.0, lr=0.05):
    keras.utils.set_random_seed(0)
    generator = unet_generator(SHAPE, base_filters=2, dropout=dropout, name="generator")
    discriminator = patchgan_discriminator(16, 2 if conditional else 1, base_filters=2,
                                           name="discriminator")
    model = Pix2Pix(generator, discriminator, conditional_discriminator=conditional)
    model.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr))
    return model


def pairs(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, (n, *SHAPE)).astype(np.float32),
            rng.uniform(-1, 1, (n, *SHAPE)).astype(np.float32))


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


@pytest.mark.parametrize("conditional", [True, False])
def test_train_step_is_one_halved_d_step_then_one_g_step_with_lambda_l1(conditional):
    model = make_pix2pix(conditional)
    x, y = pairs(4)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)

    def judge(images):  # the pair (x, image) on the channels, or the image alone
        return d_ref(tf.concat([x, images], -1) if conditional else images, training=True)

    def d_loss():
        fake = tf.stop_gradient(g_ref(x, training=True))
        return 0.5 * (tf.reduce_mean(tf.math.log1p(tf.exp(-judge(y))))
                      + tf.reduce_mean(tf.math.log1p(tf.exp(judge(fake)))))

    def g_loss():
        fake = g_ref(x, training=True)
        return (tf.reduce_mean(tf.math.log1p(tf.exp(-judge(fake))))
                + 100.0 * tf.reduce_mean(tf.abs(y - fake)))

    d_expected = sgd_step(d_ref, d_loss)
    g_expected = sgd_step(g_ref, g_loss)
    logs = model.train_step((tf.constant(x), tf.constant(y)))
    np.testing.assert_allclose(float(logs["d_loss"]), d_expected, rtol=1e-5)
    np.testing.assert_allclose(float(logs["g_loss"]), g_expected, rtol=1e-5)
    for net, ref in ((model.discriminator, d_ref), (model.generator, g_ref)):
        for w, r in zip(net.trainable_weights, ref.trainable_weights):
            np.testing.assert_allclose(w, r, atol=1e-5)


def conv_net(name, channels, activation):
    """A one-convolution net: the distribution test checks the scheme's wiring (the halved D
    loss, lambda L1, the per-replica loss scaling), on nets without batch statistics."""
    return keras.Sequential([keras.Input(SHAPE[:2] + (channels,)),
                             keras.layers.Conv2D(1, 3, padding="same", activation=activation)],
                            name=name)


def make_conv_pix2pix(conditional, initial=None):
    keras.utils.set_random_seed(0)
    model = Pix2Pix(conv_net("generator", 1, "tanh"),
                    conv_net("discriminator", 2 if conditional else 1, None),
                    conditional_discriminator=conditional)
    if initial is not None:
        for name, weights in initial.items():
            getattr(model, name).set_weights(weights)
    model.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05))
    return model


@pytest.mark.parametrize("conditional", [True, False])
def test_two_replicas_take_the_single_replica_steps(conditional, mirrored_strategy):
    x, y = pairs(12, seed=4)  # 3 steps of 4 pairs, 2 per replica
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    single = make_conv_pix2pix(conditional)
    initial = {n: getattr(single, n).get_weights() for n in single.net_names()}
    with mirrored_strategy.scope():
        mirrored = make_conv_pix2pix(conditional, initial)
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    for name in single.net_names():
        moved = [np.abs(w - w0).max() for w, w0 in
                 zip(getattr(single, name).get_weights(), initial[name])]
        assert max(moved) > 1e-4, name  # the steps changed the weights
        for a, b in zip(getattr(single, name).weights, getattr(mirrored, name).weights):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5, err_msg=name)
    for key in ("d_loss", "g_loss"):
        np.testing.assert_allclose(single_logs[key], mirrored_logs[key], rtol=1e-4)


def test_discriminator_channels_are_checked():
    model = make_pix2pix()
    with pytest.raises(ValueError, match=r"must take 2 channels \(input and output images "
                                         r"concatenated\).*input_channels=2"):
        Pix2Pix(model.generator, patchgan_discriminator(16, 1, base_filters=2))
    with pytest.raises(ValueError, match=r"must take 1 channels \(the output images\)"):
        Pix2Pix(model.generator, model.discriminator, conditional_discriminator=False)
    with pytest.raises(ValueError, match="`l1_weight` must be >= 0"):
        Pix2Pix(model.generator, model.discriminator, l1_weight=-1.0)


def test_keras_round_trip_export_and_sample_cli(tmp_path):
    model = make_pix2pix(dropout=0.5)  # test-time dropout: outputs are stochastic
    model.fit(tf.data.Dataset.from_tensor_slices(pairs(8)).batch(4), epochs=1, verbose=0)
    path = str(tmp_path / "pix2pix.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, Pix2Pix) and loaded.l1_weight == 100.0
    assert int(loaded.g_optimizer.iterations) == 2
    for w, r in zip(loaded.generator.weights, model.generator.weights):
        np.testing.assert_array_equal(w, r)

    model.generator.get_layer("decoder_1_dropout").always = False  # deterministic for the check
    for j in (2, 3):
        model.generator.get_layer(f"decoder_{j}_dropout").always = False
    folder = str(tmp_path / "export")
    export_model(model, folder)
    serve = tf.saved_model.load(folder).signatures["serving_default"]
    assert set(serve.structured_input_signature[1]) == {"images"}
    x, y = pairs(3, seed=1)
    np.testing.assert_allclose(serve(images=tf.constant(x))["images"],
                               model.translate(x), atol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must have shape \[batch, 16, 16"):
        serve(images=tf.zeros([1, 8, 8, 1]))
    picture = model.picture(_Preview((x, y)), 3, seed=0)
    assert picture.columns == 3 and picture.images.shape == (9, *SHAPE)
    np.testing.assert_array_equal(picture.images[2::3], y)  # input | output | target

    images_dir = tmp_path / "inputs"
    images_dir.mkdir()
    for k in range(3):
        Image.fromarray(((x[k, ..., 0] + 1) * 127.5).round().astype(np.uint8)).save(
            images_dir / f"{k}.png")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_kit.sample", f"--saved_model={folder}",
         f"--images_dir={images_dir}", f"--out={tmp_path / 'out.png'}",
         f"--npy={tmp_path / 'out.npy'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), model.translate(x), atol=0.02)
    width, height = Image.open(tmp_path / "out.png").size
    assert width < height  # 3 rows of input | output


class _Preview:
    """A stand-in DataSpec whose preview is a fixed batch."""

    def __init__(self, batch):
        self.batch = batch

    def preview(self, count):
        return tuple(part[:count] for part in self.batch)


def test_configs_and_train_py_end_to_end(tmp_path):
    paper = pix2pix_facades.get_config()
    assert (paper.model.g_base_filters, paper.model.receptive_field, paper.model.l1_weight,
            paper.train.batch_size, paper.train.epochs, paper.data.image_size,
            paper.data.load_size) == (64, 70, 100.0, 1, 200, 256, 286)
    config = pix2pix_shapes.get_config()
    for key in ("g_optimizer", "d_optimizer"):
        assert dict(config.train[key]) == {"name": "adam", "learning_rate": 2e-4, "beta_1": 0.5}
    config.data.image_size, config.data.num_examples = 16, 16
    config.model.g_base_filters = config.model.d_base_filters = 2
    config.model.receptive_field = 16  # the 70x70 PatchGAN needs images of 32x32 or more
    config.train.update(batch_size=4, epochs=1, steps_per_epoch=2, num_samples=2, verbose="0")
    model = train_and_evaluate(config, str(tmp_path / "run"), export_dir=str(tmp_path / "export"))
    assert isinstance(model, Pix2Pix) and int(model.step_count) == 2
    assert (tmp_path / "run" / "samples" / "epoch_0001.png").exists()
    assert "serving_default" in tf.saved_model.load(str(tmp_path / "export")).signatures
    config.data.name = "unpaired_shapes"
    with pytest.raises(ValueError, match="'pix2pix' trains on paired batches, but data set "
                                         "'unpaired_shapes' gives unpaired batches"):
        train_and_evaluate(config, str(tmp_path / "other"))
