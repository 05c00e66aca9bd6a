"""Pix2Pix / CycleGAN nets: PatchGAN receptive fields measured, U-Net skips, ResNet translator."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.layers import ReflectionPadding2D
from tfgan_kit.nets import (
    TestTimeDropout,
    patchgan_discriminator,
    patchgan_receptive_field,
    resnet_translator,
    unet_generator,
    unet_levels,
)


def measured_receptive_field(net, size: int, channels: int) -> tuple[int, int]:
    """Height and width of the input region on which one central logit depends: the bounding
    box of the non-zero entries of its gradient with respect to the input image."""
    images = tf.constant(np.random.default_rng(0).normal(size=(1, size, size, channels)),
                         tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(images)
        logits = net(images, training=False)
        row, column = logits.shape[1] // 2, logits.shape[2] // 2
        logit = logits[0, row, column, 0]
    support = np.abs(tape.gradient(logit, images).numpy()[0]).sum(axis=-1) > 0
    rows, columns = np.nonzero(support.any(axis=1))[0], np.nonzero(support.any(axis=0))[0]
    return rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1


@pytest.mark.parametrize("field,size", [(1, 9), (16, 40), (70, 96), (286, 320)])
def test_patchgan_receptive_field_is_measured_from_one_logit(field, size):
    keras.utils.set_random_seed(0)
    net = patchgan_discriminator(field, input_channels=2, base_filters=2)
    assert measured_receptive_field(net, size, 2) == (field, field)
    assert patchgan_receptive_field(field) == field


def test_patchgan_is_fully_convolutional_with_one_logit_per_patch():
    net = patchgan_discriminator(70, input_channels=6, base_filters=4, normalization="instance")
    assert net(tf.zeros([2, 64, 64, 6])).shape == (2, 6, 6, 1)  # 64/8 - 2
    assert net(tf.zeros([1, 32, 48, 6])).shape == (1, 2, 4, 1)
    widths = [layer.filters for layer in net.layers if isinstance(layer, keras.layers.Conv2D)]
    assert widths == [4, 8, 16, 32, 1]
    assert patchgan_discriminator(286, base_filters=64).count_params() > 0
    full = [layer.filters for layer in patchgan_discriminator(286).layers
            if isinstance(layer, keras.layers.Conv2D)]
    assert full == [64, 128, 256, 512, 512, 512, 1]
    # no normalisation on the first layer; one group per channel = instance norm
    norms = [layer for layer in net.layers if isinstance(layer, keras.layers.GroupNormalization)]
    assert len(norms) == 3 and all(n.groups == n.input.shape[-1] for n in norms)


def test_patchgan_bad_arguments():
    with pytest.raises(ValueError, match=r"`receptive_field` must be one of \[1, 16, 70, 286\]"):
        patchgan_discriminator(34)
    with pytest.raises(ValueError, match="`normalization` must be one of"):
        patchgan_discriminator(normalization="layer")
    with pytest.raises(ValueError, match="`input_channels` must be a positive integer"):
        patchgan_discriminator(input_channels=0)


def skip_sources(net, name):
    """Names of the layers whose outputs the Concatenate layer ``name`` joins."""
    node = net.get_layer(name)._inbound_nodes[0]
    return [tensor._keras_history[0].name for tensor in node.input_tensors]


def block_index(layer_name, kind):
    parts = layer_name.split("_")
    assert parts[0] == kind, layer_name
    return int(parts[1])


@pytest.mark.parametrize("size,levels", [(32, 5), (64, 6), (256, 8)])
def test_unet_skip_pairs_encoder_layer_i_with_decoder_layer_n_minus_i(size, levels):
    net = unet_generator((size, size, 3), base_filters=2)
    assert unet_levels(size, size) == levels
    concatenations = [layer for layer in net.layers
                      if isinstance(layer, keras.layers.Concatenate)]
    assert len(concatenations) == levels - 1
    for i in range(1, levels):
        encoder, decoder = skip_sources(net, f"skip_{i}")
        assert block_index(encoder, "encoder") == i
        assert block_index(decoder, "decoder") == levels - i
    assert net(tf.zeros([1, size, size, 3])).shape == (1, size, size, 3)
    bottleneck = net.get_layer(f"encoder_{levels}").output
    assert tuple(bottleneck.shape[1:3]) == (size // 2**levels,) * 2


def test_unet_paper_widths_dropout_and_ablation():
    net = unet_generator((256, 256, 3))
    encoder = [net.get_layer(f"encoder_{i}").filters for i in range(1, 9)]
    decoder = [net.get_layer(f"decoder_{j}").filters for j in range(1, 9)]
    assert encoder == [64, 128, 256, 512, 512, 512, 512, 512]
    assert decoder == [512, 512, 512, 512, 256, 128, 64, 3]
    dropouts = [layer.name for layer in net.layers if isinstance(layer, TestTimeDropout)]
    assert dropouts == ["decoder_1_dropout", "decoder_2_dropout", "decoder_3_dropout"]
    assert "encoder_1_norm" not in [layer.name for layer in net.layers]
    plain = unet_generator((32, 32, 1), output_channels=3, base_filters=2, skips=False)
    assert not any(isinstance(layer, keras.layers.Concatenate) for layer in plain.layers)
    assert plain(tf.zeros([1, 32, 32, 1])).shape == (1, 32, 32, 3)


def test_test_time_dropout_is_active_at_inference():
    keras.utils.set_random_seed(0)
    x = tf.ones([1, 1000])
    always = TestTimeDropout(0.5)
    assert 0.35 < float(tf.reduce_mean(tf.cast(always(x, training=False) == 0, tf.float32))) < 0.65
    usual = TestTimeDropout(0.5, always=False)
    np.testing.assert_array_equal(usual(x, training=False), x)
    restored = TestTimeDropout.from_config(always.get_config())
    assert restored.always and restored.rate == 0.5
    net = unet_generator((16, 16, 1), base_filters=2)
    outputs = [net(tf.ones([1, 16, 16, 1]), training=False) for _ in range(2)]
    assert not np.allclose(outputs[0], outputs[1])


def test_unet_bad_sizes():
    with pytest.raises(ValueError, match=r"A 48x32 image cannot be halved 5 times"):
        unet_generator((48, 32, 3))
    with pytest.raises(ValueError, match=r"`dropout` must be in \[0, 1\)"):
        unet_generator((32, 32, 3), dropout=1.0)


def test_resnet_translator_layers():
    net = resnet_translator((32, 32, 3), residual_blocks=6, base_filters=4)
    assert net(tf.zeros([2, 32, 32, 3])).shape == (2, 32, 32, 3)
    names = [layer.name for layer in net.layers]
    assert sum(name.endswith("_add") for name in names) == 6
    widths = [net.get_layer(n).filters for n in ("c7s1", "d1", "d2", "r1_conv1", "u1", "u2",
                                                  "output")]
    assert widths == [4, 8, 16, 16, 8, 4, 3]
    assert net.get_layer("c7s1").kernel_size == (7, 7)
    norms = [layer for layer in net.layers if isinstance(layer, keras.layers.GroupNormalization)]
    assert len(norms) == 1 + 2 + 2 * 6 + 2
    assert all(n.groups == n.input.shape[-1] and not n.scale for n in norms)
    assert len(resnet_translator((256, 256, 3)).layers) > len(net.layers)
    with pytest.raises(ValueError, match=r"`residual_blocks` must be 6 .* or 9"):
        resnet_translator(residual_blocks=7)
    with pytest.raises(ValueError, match="divisible by 4"):
        resnet_translator((30, 32, 3))


def test_instance_norm_normalises_each_example_and_channel():
    net = patchgan_discriminator(16, input_channels=1, base_filters=2, normalization="instance")
    norm = net.get_layer("c1_norm")
    x = tf.constant(np.random.default_rng(1).normal(3.0, 2.0, size=(2, 5, 5, 4)), tf.float32)
    y = norm(x).numpy()
    expected = (x - x.numpy().mean(axis=(1, 2), keepdims=True)) / np.sqrt(
        x.numpy().var(axis=(1, 2), keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, expected, atol=1e-4)


def test_reflection_padding():
    x = tf.reshape(tf.range(9, dtype=tf.float32), [1, 3, 3, 1])
    padded = ReflectionPadding2D(1)(x).numpy()[0, :, :, 0]
    expected = np.pad(np.arange(9.0).reshape(3, 3), 1, mode="reflect")
    np.testing.assert_array_equal(padded, expected)
    layer = ReflectionPadding2D.from_config(ReflectionPadding2D(2).get_config())
    assert layer.padding == 2 and layer.compute_output_shape((1, 5, None, 3)) == (1, 9, None, 3)
    with pytest.raises(ValueError, match="`padding` should be a non-negative integer"):
        ReflectionPadding2D(-1)
    with pytest.raises(ValueError, match="needs maps larger than 3 pixels"):
        ReflectionPadding2D(3)(tf.zeros([1, 3, 3, 1]))
