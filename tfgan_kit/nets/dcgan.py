"""DCGAN generator and discriminator (Radford et al., 2016).

Architecture guidelines of the paper (Section 3): strided convolutions instead of pooling;
batch normalisation in both nets except the generator's output and the discriminator's input
layer; ReLU in the generator with tanh output; LeakyReLU (slope 0.2) in the discriminator; no
fully connected hidden layers; weights initialised from N(0, 0.02) (Section 4).

The generator projects z to a ``start x start`` map (4x4, or 7x7 for 28x28 outputs) and doubles
the resolution with 4x4 stride-2 transposed convolutions, halving the filters each time; the
discriminator mirrors it with 4x4 stride-2 convolutions down to ``start x start`` and one logit.
Its ``normalization`` can swap BatchNorm for layer normalisation or none (a WGAN-GP critic must
not normalise over the batch: Gulrajani et al. 2017, Section 4).

Reference:
    Radford, Metz, Chintala, "Unsupervised Representation Learning with Deep Convolutional
    Generative Adversarial Networks", ICLR 2016 (https://arxiv.org/abs/1511.06434).
"""

from __future__ import annotations

import math

import keras

from tfgan_kit.errors import UserError, check_positive_ints
from tfgan_kit.layers.batch_norm import FusedBatchNormalization
from tfgan_kit.registry import register_net

SUPPORTED_SIZES = (8, 16, 28, 32, 64)
#: Normalisations of the discriminator's hidden layers: the paper's BatchNorm, layer
#: normalisation (WGAN-GP's replacement, Gulrajani et al. 2017, Section 4) or none.
D_NORMALIZATIONS = ("batch", "layer", "none")


def dcgan_levels(image_size: int) -> tuple[int, int]:
    """Returns (start resolution, number of stride-2 stages) for an output resolution."""
    if image_size not in SUPPORTED_SIZES:
        raise UserError(
            f"`image_size` must be one of {SUPPORTED_SIZES}. Received: image_size={image_size}"
        )
    start = 7 if image_size == 28 else 4
    return start, int(round(math.log2(image_size // start)))


def dcgan_init() -> keras.initializers.Initializer:
    """N(0, 0.02) weights (Radford et al. 2016, Section 4)."""
    return keras.initializers.RandomNormal(stddev=0.02)


def dcgan_batch_norm(name: str) -> keras.layers.Layer:
    """Synchronised batch norm with the reference DCGAN momentum and epsilon."""
    # The reference DCGAN implementations use momentum 0.9 (PyTorch's 0.1) and epsilon 1e-5.
    # Synchronised: under a distribution strategy the batch statistics are those of the global
    # batch, so N replicas give the single-replica update; with no strategy it is plain BN.
    return FusedBatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True,
                                   name=name)


def dcgan_layer_norm(name: str) -> keras.layers.Layer:
    # Layer normalisation (Ba et al. 2016) over each example's whole (H, W, C) feature map, with a
    # per-channel scale and offset: GroupNormalization with a single group. It uses no batch
    # statistics, so a per-example gradient penalty stays per example (Gulrajani et al. 2017,
    # Section 4, "no critic batch normalization").
    return keras.layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)


def dcgan_generator(
    latent_dim: int,
    image_size: int = 32,
    channels: int = 3,
    base_filters: int = 64,
    name: str = "dcgan_generator",
) -> keras.Model:
    """DCGAN generator: project and reshape z, then transposed convolutions up to the image.

    Args:
        latent_dim: width of ``z`` (the paper uses 100).
        image_size: output resolution, one of 8, 16, 28, 32, 64. Defaults to `32`.
        channels: output channels (1 grey, 3 RGB, any count). Defaults to `3`.
        base_filters: filters of the last hidden layer; each earlier stage doubles them (the
            paper's 64x64 net: 512-256-128 with 64 -> ``base_filters=64``). Defaults to `64`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, latent_dim]`` to ``[batch, image_size, image_size,
        channels]`` in [-1, 1].

    Reference: Radford et al. 2016, Section 3 and Figure 1.
    """
    check_positive_ints(latent_dim=latent_dim, channels=channels, base_filters=base_filters)
    start, stages = dcgan_levels(image_size)
    z = keras.Input((latent_dim,), name="z")
    filters = base_filters * 2 ** (stages - 1)
    h = keras.layers.Dense(start * start * filters, use_bias=False, kernel_initializer=dcgan_init(),
                           name="project")(z)
    h = keras.layers.Reshape((start, start, filters), name="reshape")(h)
    h = dcgan_batch_norm("project_bn")(h)
    h = keras.layers.ReLU(name="project_relu")(h)
    for stage in range(stages - 1):
        filters //= 2
        h = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=dcgan_init(), name=f"up_{stage}")(h)
        h = dcgan_batch_norm(f"up_{stage}_bn")(h)
        h = keras.layers.ReLU(name=f"up_{stage}_relu")(h)
    h = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                     kernel_initializer=dcgan_init(), dtype="float32",
                                     name="to_image")(h)
    images = keras.layers.Activation("tanh", dtype="float32", name="tanh")(h)
    return keras.Model(z, images, name=name)


def dcgan_discriminator(
    image_size: int = 32,
    channels: int = 3,
    base_filters: int = 64,
    leaky_slope: float = 0.2,
    normalization: str = "batch",
    name: str = "dcgan_discriminator",
) -> keras.Model:
    """DCGAN discriminator: strided convolutions with LeakyReLU, no BatchNorm on the input layer.

    Args:
        image_size: input resolution, one of 8, 16, 28, 32, 64. Defaults to `32`.
        channels: input channels. Defaults to `3`.
        base_filters: filters of the first layer, doubled at each stride-2 stage. Defaults to `64`.
        leaky_slope: LeakyReLU slope. Defaults to `0.2` (the paper's value).
        normalization: normalisation after every convolution but the first: ``"batch"``
            (synchronised BatchNorm, the paper's), ``"layer"`` (layer normalisation over each
            example's feature map, per-channel scale and offset; the critic of WGAN-GP,
            Gulrajani et al. 2017, Section 4) or ``"none"`` (convolutions with biases).
            Defaults to `"batch"`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, image_size, image_size, channels]`` to logits
        ``[batch, 1]``.

    Raises:
        ValueError: for an unknown ``normalization``, or a bad size, channel or filter count.

    Reference: Radford et al. 2016, Section 3; Gulrajani et al. 2017, Section 4 (layer norm).
    """
    check_positive_ints(channels=channels, base_filters=base_filters)
    if normalization not in D_NORMALIZATIONS:
        raise UserError(
            f"`normalization` must be one of {D_NORMALIZATIONS}. Received: "
            f"normalization={normalization!r}"
        )
    start, stages = dcgan_levels(image_size)
    x = keras.Input((image_size, image_size, channels), name="images")
    h = x
    filters = base_filters
    for stage in range(stages):
        # Section 3: no normalisation on the discriminator's input layer; a normalised layer
        # needs no bias (the normalisation's offset replaces it).
        normalized = stage > 0 and normalization != "none"
        h = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not normalized,
                                kernel_initializer=dcgan_init(), name=f"down_{stage}")(h)
        if normalized and normalization == "batch":
            h = dcgan_batch_norm(f"down_{stage}_bn")(h)
        elif normalized:
            h = dcgan_layer_norm(f"down_{stage}_ln")(h)
        h = keras.layers.LeakyReLU(leaky_slope, name=f"down_{stage}_lrelu")(h)
        filters *= 2
    h = keras.layers.Flatten(name="flatten")(h)
    logits = keras.layers.Dense(1, kernel_initializer=dcgan_init(), dtype="float32", name="logits")(h)
    return keras.Model(x, logits, name=name)


def _square_images(spec) -> tuple[int, int]:
    shape = spec.sample_shape
    if len(shape) != 3 or shape[0] != shape[1]:
        raise UserError(
            f"DCGAN nets take square images; the data holds samples of shape {shape}: use "
            "config.model.nets='mlp' for vector data."
        )
    return shape[0], shape[-1]


@register_net("dcgan", "generator")
def dcgan_generator_from_config(model_config, spec) -> keras.Model:
    """:func:`dcgan_generator` for the data's images (``latent_dim``, ``g_base_filters``)."""
    size, channels = _square_images(spec)
    return dcgan_generator(model_config.latent_dim, size, channels,
                           base_filters=model_config.g_base_filters)


@register_net("dcgan", "discriminator")
def dcgan_discriminator_from_config(model_config, spec) -> keras.Model:
    """:func:`dcgan_discriminator` for the data's images (``d_base_filters``; ``d_normalization``,
    ``"batch"`` when the config has none)."""
    size, channels = _square_images(spec)
    return dcgan_discriminator(size, channels, base_filters=model_config.d_base_filters,
                               normalization=model_config.get("d_normalization", "batch"))
