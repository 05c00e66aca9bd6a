"""Auto-encoder discriminators of EBGAN (Zhao et al. 2017) and BEGAN (Berthelot et al. 2017)."""

import keras
import ml_collections
import numpy as np
import pytest

from tfgan_kit.data import DataSpec
from tfgan_kit.data.spec import placeholder_batches
from tfgan_kit.nets.autoencoder import (
    began_autoencoder,
    began_decoder,
    ebgan_conv_autoencoder,
    mlp_autoencoder,
)
from tfgan_kit.registry import build_net


def spec_of(shape):
    return DataSpec(dataset=placeholder_batches(2), kind="image", sample_shape=shape)


def test_mlp_autoencoder_outputs_reconstruction_and_linear_code():
    net = mlp_autoencoder(2, hidden=(16, 8), embedding_dim=5, activation="elu")
    x = np.random.default_rng(0).normal(size=(4, 2)).astype(np.float32) * 50
    reconstruction, embedding = net(x)
    assert reconstruction.shape == (4, 2) and embedding.shape == (4, 5)
    # Linear code and output (energies compare the reconstruction with unbounded data).
    assert net.get_layer("embedding").activation.__name__ == "linear"
    assert net.get_layer("reconstruction").activation.__name__ == "linear"
    # Decoder mirrors the encoder's widths.
    dense = [layer.units for layer in net.layers if isinstance(layer, keras.layers.Dense)]
    assert dense == [16, 8, 5, 8, 16, 2]
    assert any(isinstance(layer, keras.layers.ELU) for layer in net.layers)
    images = mlp_autoencoder((8, 8, 1), hidden=(12,), embedding_dim=3)(np.ones((2, 8, 8, 1)))
    assert images[0].shape == (2, 8, 8, 1) and images[1].shape == (2, 3)


def test_ebgan_conv_autoencoder_is_the_papers_scaled_down():
    net = ebgan_conv_autoencoder(32, 1, base_filters=8)
    reconstruction, embedding = net(np.zeros((2, 32, 32, 1), np.float32))
    assert reconstruction.shape == (2, 32, 32, 1)
    assert embedding.shape == (2, 4 * 4 * 32)  # encoder output 4x4 of 4 * base filters
    convs = [layer for layer in net.layers if type(layer) is keras.layers.Conv2D]
    deconvs = [layer for layer in net.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    # (n)4c2s-(2n)4c2s-(4n)4c2s and (2n)4c2s-(n)4c2s-(c)4c2s, as the paper's 64-128-256.
    assert [(c.filters, c.kernel_size, c.strides) for c in convs] == [
        (8, (4, 4), (2, 2)), (16, (4, 4), (2, 2)), (32, (4, 4), (2, 2))]
    assert [d.filters for d in deconvs] == [16, 8, 1]
    assert any(isinstance(layer, keras.layers.BatchNormalization) for layer in net.layers)


def test_began_nets_follow_figure_1():
    net = began_autoencoder(32, 1, base_filters=4, embedding_dim=6)
    reconstruction, embedding = net(np.zeros((3, 32, 32, 1), np.float32))
    assert reconstruction.shape == (3, 32, 32, 1) and embedding.shape == (3, 6)
    convs = [layer for layer in net.layers if isinstance(layer, keras.layers.Conv2D)]
    assert all(c.kernel_size == (3, 3) for c in convs)
    down = [c for c in convs if c.strides == (2, 2)]
    assert [c.filters for c in down] == [8, 12]  # filters grow linearly: n -> 2n -> 3n
    assert any(isinstance(layer, keras.layers.UpSampling2D) for layer in net.layers)
    assert sum(isinstance(layer, keras.layers.ELU) for layer in net.layers) == 1 + 3 * 2 + 2 + 3 * 2
    assert net.get_layer("embedding").activation.__name__ == "linear"
    generator = began_decoder(7, 16, 3, base_filters=4, repeats=1)
    assert generator(np.zeros((2, 7), np.float32)).shape == (2, 16, 16, 3)


def test_bad_arguments_name_the_fix():
    with pytest.raises(ValueError, match="`hidden` must be a non-empty sequence"):
        mlp_autoencoder(2, hidden=())
    with pytest.raises(ValueError, match="`activation` must be one of"):
        mlp_autoencoder(2, activation="tanh")
    with pytest.raises(ValueError, match="`embedding_dim` must be a positive integer"):
        mlp_autoencoder(2, embedding_dim=0)
    with pytest.raises(ValueError, match="`image_size` must be 8 times a power of 2"):
        began_autoencoder(28)
    with pytest.raises(ValueError, match="`image_size` must be 4 times a power of 2"):
        ebgan_conv_autoencoder(28)


def test_registered_builders_read_config_model():
    model = ml_collections.ConfigDict(dict(
        latent_dim=5, d_hidden=(8,), embedding_dim=3, d_activation="relu", d_base_filters=4,
        g_base_filters=4, began_repeats=1))
    mlp = build_net("mlp", "autoencoder", model, spec_of((2,)))
    assert [o.shape[-1] for o in mlp.outputs] == [2, 3]
    conv = build_net("dcgan", "autoencoder", model, spec_of((16, 16, 1)))
    assert conv.outputs[0].shape[1:] == (16, 16, 1)
    began = build_net("began", "autoencoder", model, spec_of((16, 16, 1)))
    assert began.outputs[1].shape[-1] == 3
    assert build_net("began", "generator", model, spec_of((16, 16, 1))).output.shape[1:] == (
        16, 16, 1)
    with pytest.raises(ValueError, match="use config.model.nets='mlp' for vector data"):
        build_net("began", "autoencoder", model, spec_of((2,)))
