"""Conditional nets: G(z, y), D(x, y) by concatenation or projection, ACGAN's two heads."""

import keras
import ml_collections
import numpy as np
import pytest

from tfgan_kit.data import DataSpec
from tfgan_kit.nets.conditional import (
    OneHot,
    acgan_dcgan_discriminator,
    acgan_mlp_discriminator,
    conditional_dcgan_discriminator,
    conditional_dcgan_generator,
    conditional_mlp_discriminator,
    conditional_mlp_generator,
)
from tfgan_kit.registry import build_net

LABELS = np.array([0, 3, 9, 3], np.int32)


def images(size=8, n=4):
    return np.random.default_rng(0).uniform(-1, 1, (n, size, size, 1)).astype(np.float32)


def nets():
    """One small instance of every conditional net, with its inputs."""
    keras.utils.set_random_seed(0)
    z = np.random.default_rng(1).normal(size=(4, 6)).astype(np.float32)
    return {
        "cmlp_g_one_hot": (conditional_mlp_generator(6, (8, 8, 1), 10, hidden=(16,)), [z, LABELS]),
        "cmlp_g_embedding": (conditional_mlp_generator(6, (8, 8, 1), 10, hidden=(16,),
                                                       label_encoding="embedding",
                                                       embedding_dim=5), [z, LABELS]),
        "cmlp_d_concat": (conditional_mlp_discriminator((8, 8, 1), 10, hidden=(16,)),
                          [images(), LABELS]),
        "cmlp_d_projection": (conditional_mlp_discriminator((8, 8, 1), 10, hidden=(16,),
                                                            conditioning="projection"),
                              [images(), LABELS]),
        "cdcgan_g": (conditional_dcgan_generator(6, 10, 16, 1, base_filters=4), [z, LABELS]),
        "cdcgan_d_concat": (conditional_dcgan_discriminator(10, 16, 1, base_filters=4,
                                                            label_encoding="embedding",
                                                            embedding_dim=3),
                            [images(16), LABELS]),
        "cdcgan_d_projection": (conditional_dcgan_discriminator(10, 16, 1, base_filters=4,
                                                                conditioning="projection"),
                                [images(16), LABELS]),
        "acgan_mlp": (acgan_mlp_discriminator((8, 8, 1), 10, hidden=(16,)), images()),
        "acgan_dcgan": (acgan_dcgan_discriminator(10, 16, 1, base_filters=4, dropout=0.5),
                        images(16)),
    }


def test_shapes_and_the_label_changes_the_output():
    for name, (net, inputs) in nets().items():
        out = net(inputs, training=False)
        if name.startswith("acgan"):
            assert [tuple(o.shape) for o in out] == [(4, 1), (4, 10)], name
            continue
        expected = (4, 1) if "_d_" in name else ((4, 8, 8, 1) if "cmlp" in name else (4, 16, 16, 1))
        assert tuple(out.shape) == expected, name
        x, labels = inputs
        # Untrained projection embeddings are small but non-zero; every net must read y.
        other = net([x, (labels + 1) % 10], training=False)
        assert not np.allclose(out, other, atol=1e-7), name
        # Examples 1 and 3 share label 3: changing label 0 leaves example 1 alone.
        changed = labels.copy()
        changed[0] = 5
        np.testing.assert_allclose(net([x, changed], training=False)[1:], out[1:], atol=1e-5)


def test_projection_logit_is_psi_plus_inner_product_with_the_class_embedding():
    net = conditional_mlp_discriminator((8, 8, 1), 10, hidden=(16,), conditioning="projection")
    features = keras.Model(net.inputs[0], net.get_layer("lrelu_0").output)(images())
    psi = net.get_layer("logits")
    embedding = net.get_layer("projection_embedding").embeddings.numpy()
    expected = (np.asarray(features) @ psi.kernel.numpy() + psi.bias.numpy()
                + (embedding[LABELS] * np.asarray(features)).sum(1, keepdims=True))
    np.testing.assert_allclose(net([images(), LABELS]), expected, rtol=1e-5, atol=1e-6)


def test_one_hot_and_label_maps_hold_the_label():
    np.testing.assert_array_equal(OneHot(4)(np.array([2, 0])), [[0, 0, 1, 0], [1, 0, 0, 0]])
    net = conditional_dcgan_discriminator(10, 8, 1, base_filters=4)
    maps = keras.Model(net.inputs, net.get_layer("images_and_label_maps").output)(
        [images(8), LABELS])
    np.testing.assert_array_equal(maps[..., 0], images(8)[..., 0])
    np.testing.assert_array_equal(maps[:, 3, 5, 1:], np.eye(10)[LABELS])


def test_every_net_survives_a_safe_mode_keras_round_trip(tmp_path):
    for name, (net, inputs) in nets().items():
        path = str(tmp_path / f"{name}.keras")
        net.save(path)
        loaded = keras.models.load_model(path, safe_mode=True)
        for a, b in zip(keras.tree.flatten(loaded(inputs, training=False)),
                        keras.tree.flatten(net(inputs, training=False))):
            np.testing.assert_allclose(a, b, atol=1e-6)


def model_config(**overrides):
    config = ml_collections.ConfigDict(dict(
        latent_dim=6, g_hidden=(16,), d_hidden=(16,), dropout=0.0, output_activation="tanh",
        g_base_filters=4, d_base_filters=4, label_encoding="embedding", label_embedding_dim=7,
        d_conditioning="projection"))
    config.update(overrides)
    return config


def spec(size=16, labelled=True):
    return DataSpec(dataset=None, kind="labelled" if labelled else "image",
                    sample_shape=(size, size, 1), num_classes=10 if labelled else None)


@pytest.mark.parametrize("family", ["cmlp", "cdcgan"])
def test_registered_families_build_from_the_config(family):
    m = model_config()
    g = build_net(family, "generator", m, spec())
    d = build_net(family, "discriminator", m, spec())
    a = build_net(family, "acgan_discriminator", m, spec())
    assert g.get_layer("label_embedding").output_dim == 7
    assert d.get_layer("projection_embedding") is not None
    assert tuple(g([np.zeros((2, 6), np.float32), LABELS[:2]]).shape) == (2, 16, 16, 1)
    assert [tuple(o.shape) for o in a(images(16, 2))] == [(2, 1), (2, 10)]
    defaults = ml_collections.ConfigDict(dict(latent_dim=6, g_hidden=(16,), d_hidden=(16,),
                                              g_base_filters=4, d_base_filters=4))
    d = build_net(family, "discriminator", defaults, spec())  # one-hot concatenation
    assert any(isinstance(layer, OneHot) for layer in d.layers)


def test_unlabelled_data_and_bad_arguments_name_the_fix():
    with pytest.raises(ValueError, match="need labelled data: set config.data.with_labels=True"):
        build_net("cmlp", "generator", model_config(), spec(labelled=False))
    with pytest.raises(ValueError, match="use config.model.nets='cmlp'"):
        build_net("cdcgan", "generator", model_config(),
                  DataSpec(None, "labelled", (2,), num_classes=3))
    with pytest.raises(ValueError, match="`label_encoding` must be one of"):
        conditional_mlp_generator(4, 2, 3, label_encoding="binary")
    with pytest.raises(ValueError, match="`conditioning` must be one of"):
        conditional_dcgan_discriminator(3, 8, 1, conditioning="film")
    with pytest.raises(ValueError, match="`num_classes` must be an integer >= 2"):
        acgan_mlp_discriminator(2, 1)
    with pytest.raises(ValueError, match="`dropout` must be in"):
        acgan_dcgan_discriminator(3, 8, 1, dropout=1.0)
