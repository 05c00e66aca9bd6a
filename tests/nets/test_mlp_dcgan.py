"""Shapes and architecture rules of the MLP (Goodfellow 2014) and DCGAN (Radford 2016) nets."""

import keras
import numpy as np
import pytest

from tfgan_kit.layers import FusedBatchNormalization
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
    assert "FusedBatchNormalization" in kinds  # Keras' BatchNormalization on the fused kernel
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


@pytest.mark.parametrize("normalization, kind, conv_bias", [
    ("batch", FusedBatchNormalization, False),
    ("layer", keras.layers.GroupNormalization, False),
    ("none", None, True),
])
def test_dcgan_discriminator_normalization_option(normalization, kind, conv_bias, tmp_path):
    # WGAN-GP (Gulrajani et al. 2017, Section 4) needs a critic without BatchNorm.
    d = dcgan_discriminator(16, 1, base_filters=4, normalization=normalization)
    norms = [layer for layer in d.layers
             if isinstance(layer, (keras.layers.BatchNormalization,
                                   keras.layers.GroupNormalization,
                                   keras.layers.LayerNormalization))]
    convs = [layer for layer in d.layers if isinstance(layer, keras.layers.Conv2D)]
    assert convs[0].use_bias and [c.use_bias for c in convs[1:]] == [conv_bias]
    if kind is None:
        assert norms == []
    else:
        assert len(norms) == 1 and all(type(n) is kind for n in norms)
    if normalization == "layer":
        # One group: statistics over each example's whole (H, W, C) map, per-channel affine.
        assert norms[0].groups == 1 and norms[0].gamma.shape == (8,)
        x = np.random.default_rng(0).uniform(-1, 1, (4, 16, 16, 1)).astype(np.float32)
        # Per example: an example's score does not depend on the rest of the batch.
        np.testing.assert_allclose(d(x[:1], training=True), d(x, training=True)[:1], atol=1e-5)
    path = str(tmp_path / "d.keras")
    d.save(path)
    x = np.random.default_rng(1).uniform(-1, 1, (2, 16, 16, 1)).astype(np.float32)
    np.testing.assert_allclose(keras.models.load_model(path, safe_mode=True)(x), d(x), atol=1e-6)


def test_dcgan_discriminator_normalization_from_config_and_errors():
    import ml_collections

    from tfgan_kit.data import DataSpec
    from tfgan_kit.registry import build_net

    model = ml_collections.ConfigDict(dict(nets="dcgan", latent_dim=8, g_base_filters=4,
                                           d_base_filters=4))
    spec = DataSpec(dataset=None, kind="image", sample_shape=(16, 16, 1), num_examples=1)
    kinds = lambda net: {type(layer).__name__ for layer in net.layers}  # noqa: E731
    assert "FusedBatchNormalization" in kinds(build_net("dcgan", "discriminator", model, spec))
    model.d_normalization = "layer"
    assert "GroupNormalization" in kinds(build_net("dcgan", "discriminator", model, spec))
    model.d_normalization = "none"
    assert not {"FusedBatchNormalization", "BatchNormalization", "GroupNormalization"} & kinds(
        build_net("dcgan", "discriminator", model, spec))
    with pytest.raises(ValueError, match=r"`normalization` must be one of \('batch', 'layer', "
                                         r"'none'\)\. Received: normalization='instance'"):
        dcgan_discriminator(16, 1, normalization="instance")
