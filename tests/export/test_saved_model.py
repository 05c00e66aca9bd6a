"""SavedModel export: serving_default(z) == generator(z, training=False); wrong shapes fail."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.export import load_generator, export_model
from tfgan_kit.models import GAN
from tfgan_kit.nets import dcgan_discriminator, dcgan_generator


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    keras.utils.set_random_seed(0)
    model = GAN(dcgan_generator(6, 16, 3, base_filters=4), dcgan_discriminator(16, 3, base_filters=4),
                latent_dim=6)
    model.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
    # A few steps so BatchNorm moving statistics differ from batch statistics.
    model.fit(np.random.default_rng(0).uniform(-1, 1, (32, 16, 16, 3)).astype(np.float32),
              epochs=2, batch_size=8, verbose=0)
    export_dir = str(tmp_path_factory.mktemp("export") / "generator")
    export_model(model, export_dir)
    return model, export_dir


def test_serving_signature_matches_the_generator_in_inference_mode(trained):
    model, export_dir = trained
    loaded = tf.saved_model.load(export_dir)
    signature = loaded.signatures["serving_default"]
    assert list(signature.structured_input_signature[1]) == ["z"]
    assert list(signature.structured_outputs) == ["images"]
    z = np.random.default_rng(1).normal(size=(5, 6)).astype(np.float32)
    images = signature(z=tf.constant(z))["images"].numpy()
    np.testing.assert_allclose(images, model.generator(z, training=False), atol=1e-5)
    assert not np.allclose(images, model.generator(z, training=True), atol=1e-3)
    assert images.shape == (5, 16, 16, 3) and np.abs(images).max() <= 1.0


def test_wrong_z_width_is_rejected_with_the_expected_width(trained):
    _, export_dir = trained
    signature = tf.saved_model.load(export_dir).signatures["serving_default"]
    with pytest.raises((tf.errors.InvalidArgumentError, ValueError, TypeError)):
        signature(z=tf.zeros((2, 7)))
    generate, latent_dim = load_generator(export_dir)
    assert latent_dim == 6
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"shape \[batch, 6\]"):
        generate(np.zeros((2, 7), np.float32))


def test_export_refuses_to_overwrite_and_loading_a_missing_dir_fails(trained, tmp_path):
    model, export_dir = trained
    with pytest.raises(ValueError, match="already holds a SavedModel"):
        export_model(model, export_dir)
    with pytest.raises(FileNotFoundError, match="No SavedModel"):
        load_generator(str(tmp_path / "nothing"))
