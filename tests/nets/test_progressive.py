"""Progressive GAN nets: structure (Karras et al. 2018, table 2) and fade-in exactness."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.nets.progressive import (
    ProgressiveDiscriminator,
    ProgressiveGenerator,
    feature_maps,
    num_levels,
)

SMALL = dict(resolution=16, channels=1, fmap_base=64, fmap_max=32)


@pytest.fixture(scope="module")
def nets():
    keras.utils.set_random_seed(0)
    return ProgressiveGenerator(latent_dim=32, **SMALL), ProgressiveDiscriminator(**SMALL)


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _upsample(x):
    return x.repeat(2, axis=1).repeat(2, axis=2)


def _downsample(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))


def test_feature_maps_follow_paper_table():
    # Table 2: 512 maps up to 32x32, then 256, 128, 64, 32, 16 at 64 ... 1024; the block at
    # resolution 4*2^k uses nf(k + 1), and the latent is nf(0) = 512 wide.
    got = [feature_maps(level + 1) for level in range(9)]
    assert got == [512, 512, 512, 512, 256, 128, 64, 32, 16]
    assert feature_maps(0) == 512
    assert feature_maps(3, fmap_base=64, fmap_max=32) == 8
    assert num_levels(1024) == 9 and num_levels(4) == 1
    with pytest.raises(ValueError, match="power of two >= 4.*resolution=12"):
        num_levels(12)


def test_paper_sized_nets_have_table2_parameter_counts():
    # Table 2 of the paper lists 23.1M trainable parameters for each of G and D at 1024x1024.
    g = ProgressiveGenerator()
    d = ProgressiveDiscriminator()
    assert round(g.count_params() / 1e6, 1) == 23.1
    assert round(d.count_params() / 1e6, 1) == 23.1


def test_all_weights_exist_up_front_and_shapes_per_level(nets):
    g, d = nets
    assert len(g.to_rgb) == 3 and all(layer.built for layer in g.to_rgb)
    assert all(block.built for block in d.blocks) and all(f.built for f in d.from_rgb)
    z = np.random.default_rng(0).normal(size=(4, 32)).astype(np.float32)
    for level, side in enumerate((4, 8, 16)):
        images = g(z, level=level)
        assert images.shape == (4, side, side, 1)
        assert d(images).shape == (4, 1)
    assert g(z).shape == (4, 16, 16, 1)
    assert g.alpha in g.non_trainable_weights and d.alpha in d.non_trainable_weights


@pytest.mark.parametrize("level", [1, 2])
def test_generator_fade_in_exactness(nets, level):
    g, _ = nets
    z = np.random.default_rng(level).normal(size=(4, 32)).astype(np.float32)
    previous = _np(g(z, level=level - 1))
    new_only = _np(g(z, level=level))
    g.alpha.assign(0.0)
    np.testing.assert_array_equal(_np(g(z, level=level, fade_in=True)), _upsample(previous))
    g.alpha.assign(1.0)
    np.testing.assert_allclose(_np(g(z, level=level, fade_in=True)), new_only, atol=1e-6)
    g.alpha.assign(0.25)
    np.testing.assert_allclose(
        _np(g(z, level=level, fade_in=True)),
        0.75 * _upsample(previous) + 0.25 * new_only, rtol=1e-5, atol=1e-6,
    )


@pytest.mark.parametrize("level", [1, 2])
def test_discriminator_fade_in_exactness(nets, level):
    _, d = nets
    side = 4 * 2**level
    x = np.random.default_rng(level).uniform(-1, 1, size=(4, side, side, 1)).astype(np.float32)
    d.alpha.assign(0.0)
    np.testing.assert_allclose(_np(d(x, fade_in=True)), _np(d(_downsample(x))), rtol=1e-5, atol=1e-6)
    d.alpha.assign(1.0)
    np.testing.assert_allclose(_np(d(x, fade_in=True)), _np(d(x)), rtol=1e-5, atol=1e-6)
    # The two paths really differ, so the checks above are not vacuous.
    assert np.abs(_np(d(x)) - _np(d(_downsample(x)))).max() > 1e-3


def test_generator_pixel_norm_and_linear_output(nets):
    g, _ = nets
    z = np.random.default_rng(3).normal(size=(4, 32)).astype(np.float32)
    features = _np(g.blocks[0](z))  # ends with PixelNorm: unit mean square per pixel
    np.testing.assert_allclose((features**2).mean(axis=-1), 1.0, rtol=1e-4)
    # Latent normalisation: scaling z does not change the output.
    np.testing.assert_allclose(_np(g(3.0 * z)), _np(g(z)), rtol=1e-4, atol=1e-5)


def test_conditional_nets_shapes():
    g = ProgressiveGenerator(latent_dim=8, num_classes=10, **SMALL)
    d = ProgressiveDiscriminator(num_classes=10, **SMALL)
    z = np.zeros((4, 8), np.float32)
    images = g(z, labels=np.arange(4), level=1)
    assert images.shape == (4, 8, 8, 1) and d(images).shape == (4, 11)
    with pytest.raises(ValueError, match="Pass `labels` exactly when num_classes > 0"):
        g(z)


def test_bad_inputs_raise(nets):
    g, d = nets
    with pytest.raises(ValueError, match=r"`level` must be in \[0, 2\].*level=3"):
        g(np.zeros((4, 32), np.float32), level=3)
    with pytest.raises(ValueError, match="side 4, 8, ..., 16. Received: images of shape"):
        d(np.zeros((4, 12, 12, 1), np.float32))
    with pytest.raises(ValueError, match="`fmap_max` must be a positive integer"):
        ProgressiveGenerator(fmap_max=0, **{k: v for k, v in SMALL.items() if k != "fmap_max"})


def test_nets_config_round_trip(nets):
    g, d = nets
    g2 = ProgressiveGenerator.from_config(g.get_config())
    d2 = ProgressiveDiscriminator.from_config(d.get_config())
    g2.set_weights(g.get_weights())
    d2.set_weights(d.get_weights())
    z = np.random.default_rng(4).normal(size=(4, 32)).astype(np.float32)
    np.testing.assert_allclose(_np(g2(z)), _np(g(z)), rtol=1e-6)
    images = _np(g(z))
    np.testing.assert_allclose(_np(d2(images)), _np(d(images)), rtol=1e-6)


@pytest.mark.parametrize("level,fade_in", [(0, False), (1, True), (2, False), (2, True)])
def test_active_variables_are_exactly_those_with_gradients(nets, level, fade_in):
    g, d = nets
    g.alpha.assign(0.5)
    d.alpha.assign(0.5)
    z = np.random.default_rng(5).normal(size=(4, 32)).astype(np.float32)
    with tf.GradientTape(persistent=True) as tape:
        images = g(z, level=level, fade_in=fade_in)
        scores = d(images, fade_in=fade_in)
    for net, target in ((g, images), (d, scores)):
        grads = tape.gradient(target, net.trainable_variables)
        used = {id(v) for v, grad in zip(net.trainable_variables, grads) if grad is not None}
        assert used == {id(v) for v in net.active_variables(level, fade_in)}


def test_too_small_fmap_base_raises():
    with pytest.raises(ValueError, match="Use fmap_base >= 512 for 9 resolutions. Received: fmap_base=64"):
        ProgressiveDiscriminator(resolution=1024, fmap_base=64)
