"""Shapes and architecture rules of the MLP (Goodfellow 2014) and DCGAN (Radford 2016) nets."""

import keras
import numpy as np
import pytest

from tfgan_kit.nets import dcgan_discriminator, dcgan_generator, mlp_discriminator, mlp_generator


@pytest.mark.parametrize("size", [8, 16, 28, 32, 64])
@pytest.mark.parametrize("channels", [1, 3])
def test_dcgan_shapes_for_every_supported_size(size, channels):
    g = dcgan_generator(8, size, channels, base_filters=4)
    d = dcgan_discriminator(size, channels, base_filters=4)
    images = g(np.zeros((2, 8), np.float32))
    assert images.shape == (2, size, size, channels)
    assert np.all(np.abs(images) <= 1.0)
    assert d(images).shape == (2, 1)


def test_dcgan_follows_the_paper_guidelines():
    g = dcgan_generator(16, 32, 3, base_filters=8)
    d = dcgan_discriminator(32, 3, base_filters=8)
    kinds = [type(layer).__name__ for layer in d.layers]
    # No BatchNorm directly after the discriminator's input convolution, BatchNorm later.
    first_conv = kinds.index("Conv2D")
    assert kinds[first_conv + 1] == "LeakyReLU"
    assert "BatchNormalization" in kinds
    assert all(layer.negative_slope == pytest.approx(0.2)
               for layer in d.layers if isinstance(layer, keras.layers.LeakyReLU))
    # Generator: no pooling, strided transposed convs, tanh output; filters halve per stage.
    convs = [layer for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert [c.filters for c in convs] == [16, 8, 3]
    assert all(c.strides == (2, 2) for c in convs)
    assert g.layers[-1].activation.__name__ == "tanh"


def test_dcgan_rejects_unsupported_size():
    with pytest.raises(ValueError, match="`image_size` must be one of"):
        dcgan_generator(8, 48, 3)
    with pytest.raises(ValueError, match="`channels` must be a positive integer"):
        dcgan_discriminator(32, 0)


def test_mlp_nets_shapes_and_output_activation():
    g = mlp_generator(16, 2, hidden=(32, 32), output_activation="linear")
    d = mlp_discriminator(2, hidden=(32,), dropout=0.5)
    x = g(np.random.default_rng(0).normal(size=(5, 16)).astype(np.float32) * 100)
    assert x.shape == (5, 2)
    assert np.abs(x).max() > 1.0  # linear output is unbounded
    assert d(x).shape == (5, 1)
    assert any(isinstance(layer, keras.layers.Dropout) for layer in d.layers)
    images = mlp_generator(4, (8, 8, 1))(np.ones((3, 4), np.float32))
    assert images.shape == (3, 8, 8, 1) and np.abs(images).max() <= 1.0


def test_mlp_rejects_bad_hidden_and_dropout():
    with pytest.raises(ValueError, match="`hidden` must be a non-empty sequence"):
        mlp_generator(4, 2, hidden=())
    with pytest.raises(ValueError, match="`dropout` must be in"):
        mlp_discriminator(2, dropout=1.0)


def test_dcgan_batch_norm_is_synchronized_and_survives_a_keras_file(tmp_path):
    # Synchronised BN: global-batch statistics under a distribution strategy
    # (tests/training/test_distribution.py checks the update); the flag must round-trip.
    g = dcgan_generator(8, 16, 1, base_filters=4)
    d = dcgan_discriminator(16, 1, base_filters=4)
    z = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    for net, inputs in ((g, z), (d, g(z))):
        norms = [layer for layer in net.layers
                 if isinstance(layer, keras.layers.BatchNormalization)]
        assert norms and all(layer.synchronized for layer in norms)
        config = norms[0].get_config()
        assert keras.layers.BatchNormalization.from_config(config).get_config() == config
        path = str(tmp_path / f"{net.name}.keras")
        net.save(path)
        loaded = keras.models.load_model(path, safe_mode=True)
        assert all(layer.synchronized for layer in loaded.layers
                   if isinstance(layer, keras.layers.BatchNormalization))
        np.testing.assert_allclose(loaded(inputs, training=False), net(inputs, training=False),
                                   atol=1e-6)
