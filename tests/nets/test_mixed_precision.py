"""Every net builder under a mixed policy: 16-bit hidden layers, float32 outputs and variables
(Micikevicius et al. 2018, Sec. 3; Keras' mixed-precision guide: the last layer in float32)."""

import keras
import numpy as np
import pytest

from tfgan_kit.nets import (
    ProgressiveDiscriminator,
    ProgressiveGenerator,
    dcgan_discriminator,
    dcgan_generator,
    digits_cnn,
    mlp_discriminator,
    mlp_generator,
    patchgan_discriminator,
    resnet_translator,
    unet_generator,
    zaq_generator,
)
from tfgan_kit.nets.autoencoder import (
    began_autoencoder,
    began_decoder,
    ebgan_conv_autoencoder,
    mlp_autoencoder,
)
from tfgan_kit.nets.classifier import bn_mlp_generator, noisy_mlp_classifier
from tfgan_kit.nets.conditional import (
    acgan_dcgan_discriminator,
    acgan_mlp_discriminator,
    conditional_dcgan_discriminator,
    conditional_dcgan_generator,
    conditional_mlp_discriminator,
    conditional_mlp_generator,
)
from tfgan_kit.nets.infogan import infogan_discriminator, infogan_generator
from tfgan_kit.training.precision import dtype_policy

BUILDERS = {
    "mlp_generator": lambda: mlp_generator(4, 2, hidden=(8,), output_activation="linear"),
    "mlp_discriminator": lambda: mlp_discriminator(2, hidden=(8,)),
    "dcgan_generator": lambda: dcgan_generator(4, image_size=8, channels=1, base_filters=4),
    "dcgan_discriminator": lambda: dcgan_discriminator(8, 1, base_filters=4),
    "cmlp_generator": lambda: conditional_mlp_generator(4, 2, 3, hidden=(8,)),
    "cmlp_discriminator": lambda: conditional_mlp_discriminator(2, 3, hidden=(8,)),
    "cmlp_projection": lambda: conditional_mlp_discriminator(2, 3, hidden=(8,),
                                                             conditioning="projection"),
    "acgan_mlp": lambda: acgan_mlp_discriminator(2, 3, hidden=(8,)),
    "cdcgan_generator": lambda: conditional_dcgan_generator(4, 3, image_size=8, base_filters=4),
    "cdcgan_discriminator": lambda: conditional_dcgan_discriminator(3, image_size=8,
                                                                    base_filters=4),
    "acgan_dcgan": lambda: acgan_dcgan_discriminator(3, image_size=8, base_filters=4),
    "infogan_generator": lambda: infogan_generator(6, image_size=8),
    "infogan_discriminator": lambda: infogan_discriminator((3,), 2, image_size=8),
    "unet": lambda: unet_generator((16, 16, 3), base_filters=4),
    "resnet_translator": lambda: resnet_translator((16, 16, 3), residual_blocks=6,
                                                   base_filters=4),
    "patchgan": lambda: patchgan_discriminator(16, input_channels=6, base_filters=4),
    "mlp_autoencoder": lambda: mlp_autoencoder(2, hidden=(8,), embedding_dim=4),
    "ebgan_conv_autoencoder": lambda: ebgan_conv_autoencoder(8, 1, base_filters=4),
    "began_decoder": lambda: began_decoder(4, 8, 1, base_filters=4),
    "began_autoencoder": lambda: began_autoencoder(8, 1, base_filters=4, embedding_dim=4),
    "noisy_mlp_classifier": lambda: noisy_mlp_classifier(2, 3, hidden=(8,)),
    "bn_mlp_generator": lambda: bn_mlp_generator(4, 2, hidden=(8,)),
    "zaq_generator": lambda: zaq_generator(4, (8, 8, 1), base_filters=4, normalize_output=True),
    "digits_cnn": lambda: digits_cnn(width=4),
}


@pytest.fixture(autouse=True)
def restore_policy():
    previous = keras.config.dtype_policy()
    yield
    keras.config.set_dtype_policy(previous)


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_outputs_and_variables_are_float32_under_a_mixed_policy(builder, policy):
    with dtype_policy(policy):
        net = BUILDERS[builder]()
    half = policy.removeprefix("mixed_")
    assert half in {layer.compute_dtype for layer in net.layers}  # the policy applied
    assert {str(output.dtype) for output in net.outputs} == {"float32"}
    assert {w.dtype for w in net.weights} == {"float32"}
    last = [layer for layer in net.layers if layer.weights][-1]
    assert last.compute_dtype == "float32", last.name  # the output layer itself, not a cast


@pytest.mark.parametrize("fade_in", [False, True])
def test_progressive_nets_give_float32_images_and_scores(fade_in):
    with dtype_policy("mixed_bfloat16"):
        generator = ProgressiveGenerator(8, resolution=8, channels=3, fmap_base=16, fmap_max=8)
        discriminator = ProgressiveDiscriminator(resolution=8, channels=3, fmap_base=16,
                                                 fmap_max=8)
    assert generator.blocks[0].layers[1].compute_dtype == "bfloat16"
    images = generator(np.zeros((2, 8), np.float32), level=1, fade_in=fade_in)
    assert images.dtype == "float32" and tuple(images.shape) == (2, 8, 8, 3)
    scores = discriminator(images, fade_in=fade_in)
    assert scores.dtype == "float32"


FIRST_LAYER_READERS = {  # fully connected nets that read low-dimensional samples
    "mlp_discriminator": ("dense_0", "lrelu_0"),
    "cmlp_discriminator": ("dense_0", "lrelu_0"),
    "acgan_mlp": ("dense_0", "lrelu_0"),
    "mlp_autoencoder": ("enc_0", "enc_0_act"),
    "noisy_mlp_classifier": ("dense_0", "noise_0"),
}


@pytest.mark.parametrize("builder", sorted(FIRST_LAYER_READERS))
def test_fully_connected_nets_read_their_samples_in_float32(builder):
    """A 2-D point on the unit ring moves by up to 2^-8 when cast to bfloat16, near the ring's
    std 0.01: the first layer computes in float32, the next ones in bfloat16."""
    keras.utils.set_random_seed(0)  # fixed weights: the live ReLU units below are fixed too
    with dtype_policy("mixed_bfloat16"):
        net = BUILDERS[builder]()
    first, second = FIRST_LAYER_READERS[builder]
    assert net.get_layer(first).compute_dtype == "float32"
    assert net.get_layer(second).compute_dtype == "bfloat16"
    # Two points 1e-3 apart, which bfloat16 cannot tell apart (both round to 1.0), reach the
    # first layer's outputs as different: its pre-activation moves by W^T delta exactly.
    layer = net.get_layer(first)
    x = np.array([[1.0, 0.0]], np.float32)
    kernel = np.asarray(layer.kernel)
    if len(net.inputs) > 1:  # conditional nets: the label one-hot follows the point
        extra = kernel.shape[0] - 2
        x = np.concatenate([x, np.eye(extra, dtype=np.float32)[:1]], axis=1)
    delta = np.zeros_like(x)
    delta[0, 0] = 1e-3
    before, after = np.asarray(layer(x)), np.asarray(layer(x + delta))
    assert before.dtype == np.float32
    live = (before > 0) & (after > 0) if layer.activation is keras.activations.relu else (
        np.ones_like(before, bool))  # ReLU units: where the derivative is 1 at both points
    assert live.sum() >= 2
    np.testing.assert_allclose((after - before)[live], (delta @ kernel)[live], rtol=1e-2,
                               atol=1e-7)
