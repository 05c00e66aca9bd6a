"""Auto-encoder discriminators of EBGAN and BEGAN, as functional Keras models with two outputs.

Every auto-encoder here maps samples ``x [batch, *shape]`` to ``(reconstruction, embedding)``:
``reconstruction = Dec(Enc(x))`` has the shape of ``x`` (linear output: the energy compares it
with ``x``), and ``embedding [batch, s]`` is the encoder output ``S`` (flattened), which EBGAN's
pulling-away term compares across a batch (Zhao et al. 2017, Sec. 2.4).

* :func:`mlp_autoencoder`: fully connected, for vectors (the 2-D ring and grid) or flattened small
  images (8x8 digits). EBGAN's MNIST grid search uses fully connected auto-encoders (Zhao et al.
  2017, Sec. 4.1: 1-3 layers per side of 128-2048 units); here the encoder's hidden widths are
  ``hidden`` and the decoder mirrors them, around a linear ``embedding_dim`` code.
* :func:`ebgan_conv_autoencoder`: EBGAN's convolutional auto-encoder for LSUN/CelebA 64x64
  (Zhao et al. 2017, Sec. 4.3 and Appendix C): encoder ``(64)4c2s-(128)4c2s-(256)4c2s``, decoder
  ``(128)4c2s-(64)4c2s-(3)4c2s`` (4x4 kernels, stride 2), batch normalisation and leaky ReLU as in
  DCGAN. **Scaled:** the first width is ``base_filters`` (32 for 32x32 digits instead of 64) and
  the number of stride-2 stages is ``log2(image_size / 4)`` (3 stages for 32x32, down to 4x4,
  as the paper's 3 stages take 64x64 to 8x8).
* :func:`began_autoencoder` and :func:`began_decoder`: BEGAN's nets (Berthelot et al. 2017,
  Sec. 3.5 and Figure 1): 3x3 convolutions each followed by an ELU, ``repeats`` (2) per
  resolution; down-sampling by a stride-2 convolution whose filters grow linearly (n, 2n, 3n,
  ...); a fully connected layer without non-linearity to and from the ``h``-dimensional
  embedding; decoder from an 8x8 map up by nearest-neighbour up-sampling, to a linear 3x3
  convolution. The BEGAN generator is the decoder's architecture with its own weights.
  **Scaled:** the paper uses n = 64 or 128 and h = 64 at 64x64 (3 up-samplings from 8x8); for
  32x32 digits the configs use n = 16-32 and h = 32 (2 up-samplings from 8x8).

Registered builders (:func:`tfgan_kit.registry.build_net`), reading ``config.model``:

* ``("mlp", "autoencoder")``: ``d_hidden`` (encoder widths, e.g. ``(128, 128)``),
  ``embedding_dim`` (the code width), ``d_activation`` (``"leaky_relu"``, ``"relu"`` or
  ``"elu"``; optional, defaults to ``"leaky_relu"``);
* ``("dcgan", "autoencoder")``: ``d_base_filters`` (with the DCGAN generator of family
  ``"dcgan"``, as EBGAN pairs its auto-encoder with a DCGAN-style generator);
* ``("began", "generator")``: ``latent_dim``, ``g_base_filters``, ``began_repeats`` (optional,
  default 2);
* ``("began", "autoencoder")``: ``d_base_filters``, ``embedding_dim``, ``began_repeats``.

References:
    Zhao, Mathieu, LeCun, "Energy-based Generative Adversarial Network", ICLR 2017
    (https://arxiv.org/abs/1609.03126), Sec. 2.3-2.4, 4.1, 4.3 and Appendix C.
    Berthelot, Schumm, Metz, "BEGAN: Boundary Equilibrium Generative Adversarial Networks", 2017
    (https://arxiv.org/abs/1703.10717), Sec. 3.5 and Figure 1.
"""

from __future__ import annotations

import math
from typing import Sequence

import keras
import numpy as np

from tfgan_kit.errors import UserError, check_positive_ints
from tfgan_kit.nets.dcgan import dcgan_batch_norm, dcgan_init
from tfgan_kit.registry import register_net

ACTIVATIONS = ("leaky_relu", "relu", "elu")

#: BEGAN's decoder starts from an 8x8 map (Berthelot et al. 2017, Figure 1).
BEGAN_START = 8


def _activation(kind: str, name: str) -> keras.layers.Layer:
    if kind == "leaky_relu":
        return keras.layers.LeakyReLU(0.2, name=name)
    if kind == "relu":
        return keras.layers.ReLU(name=name)
    return keras.layers.ELU(name=name)


def _check_activation(activation: str) -> None:
    if activation not in ACTIVATIONS:
        raise UserError(
            f"`activation` must be one of {ACTIVATIONS}. Received: activation={activation!r}"
        )


def mlp_autoencoder(
    input_shape: int | Sequence[int],
    hidden: Sequence[int] = (256, 256),
    embedding_dim: int = 64,
    activation: str = "leaky_relu",
    name: str = "mlp_autoencoder",
) -> keras.Model:
    """Fully connected auto-encoder: ``x -> (Dec(Enc(x)), Enc(x))`` (EBGAN, Sec. 2.3 and 4.1).

    Encoder: ``hidden`` dense layers with ``activation``, then a linear dense layer to the
    embedding. Decoder: the hidden widths in reverse order, then a linear layer back to the
    input's size (reshaped to ``input_shape``).

    Args:
        input_shape: shape of one sample: an int for vectors (2 for 2-D mixtures) or a tuple such
            as ``(8, 8, 1)`` (flattened inside).
        hidden: encoder hidden widths; the decoder mirrors them. Defaults to `(256, 256)`.
        embedding_dim: width of the code ``S = Enc(x)``. Defaults to `64`.
        activation: ``"leaky_relu"`` (slope 0.2), ``"relu"`` or ``"elu"`` (BEGAN). Defaults to
            `"leaky_relu"`.
        name: model name.

    Returns:
        A ``keras.Model`` from ``[batch, *input_shape]`` to ``[reconstruction [batch,
        *input_shape], embedding [batch, embedding_dim]]``.

    Raises:
        ValueError: for empty or non-positive widths or an unknown activation.
    """
    hidden = tuple(hidden)
    if not hidden or any(not isinstance(h, int) or h <= 0 for h in hidden):
        raise UserError(
            f"`hidden` must be a non-empty sequence of positive layer widths, e.g. (128, 128). "
            f"Received: hidden={hidden!r}"
        )
    check_positive_ints(embedding_dim=embedding_dim)
    _check_activation(activation)
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    x = keras.Input(shape, name="x")
    h = keras.layers.Flatten(name="flatten")(x) if len(shape) > 1 else x
    for i, width in enumerate(hidden):
        # float32 first layer: the samples are read at full precision (see mlp_discriminator).
        h = keras.layers.Dense(width, dtype="float32" if i == 0 else None, name=f"enc_{i}")(h)
        h = _activation(activation, f"enc_{i}_act")(h)
    embedding = keras.layers.Dense(embedding_dim, dtype="float32", name="embedding")(h)
    h = embedding
    for i, width in enumerate(reversed(hidden)):
        h = keras.layers.Dense(width, name=f"dec_{i}")(h)
        h = _activation(activation, f"dec_{i}_act")(h)
    h = keras.layers.Dense(int(np.prod(shape)), dtype="float32", name="reconstruction")(h)
    if len(shape) > 1:
        h = keras.layers.Reshape(shape, dtype="float32", name="reshape")(h)
    return keras.Model(x, [h, embedding], name=name)


def _conv_stages(image_size: int, start: int, what: str) -> int:
    stages = int(round(math.log2(image_size / start))) if image_size >= start else -1
    if not isinstance(image_size, int) or stages < 0 or start * 2**stages != image_size:
        raise UserError(
            f"`image_size` must be {start} times a power of 2 for the {what}. "
            f"Received: image_size={image_size!r}"
        )
    return stages


def ebgan_conv_autoencoder(
    image_size: int = 32,
    channels: int = 1,
    base_filters: int = 32,
    name: str = "ebgan_conv_autoencoder",
) -> keras.Model:
    """EBGAN's convolutional auto-encoder (Zhao et al. 2017, Sec. 4.3, Appendix C), scaled.

    Encoder: 4x4 stride-2 convolutions from ``base_filters``, doubling per stage, down to 4x4
    (batch normalisation after all but the first, leaky ReLU 0.2); the flattened encoder output
    is the embedding. Decoder: 4x4 stride-2 transposed convolutions halving the filters
    (batch normalisation, ReLU), the last one to ``channels`` with a linear output.

    Args:
        image_size: input resolution, 4 times a power of 2 (>= 8). Defaults to `32`.
        channels: image channels. Defaults to `1`.
        base_filters: filters of the first encoder layer (64 in the paper). Defaults to `32`.
        name: model name.

    Returns:
        A ``keras.Model`` from ``[batch, s, s, channels]`` to ``[reconstruction (same shape),
        embedding [batch, 16 * base_filters * 2**(stages - 1)]]``.

    Raises:
        ValueError: for an unsupported size or non-positive widths.
    """
    check_positive_ints(channels=channels, base_filters=base_filters)
    stages = _conv_stages(image_size, 4, "EBGAN auto-encoder")
    if stages < 1:
        raise UserError(f"`image_size` must be at least 8. Received: image_size={image_size}")
    x = keras.Input((image_size, image_size, channels), name="images")
    h, filters = x, base_filters
    for stage in range(stages):
        h = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=stage == 0,
                                kernel_initializer=dcgan_init(), name=f"enc_{stage}")(h)
        if stage > 0:
            h = dcgan_batch_norm(f"enc_{stage}_bn")(h)
        h = keras.layers.LeakyReLU(0.2, name=f"enc_{stage}_lrelu")(h)
        filters *= 2
    embedding = keras.layers.Flatten(dtype="float32", name="embedding")(h)
    filters //= 2
    for stage in range(stages - 1):
        filters //= 2
        h = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=dcgan_init(), name=f"dec_{stage}")(h)
        h = dcgan_batch_norm(f"dec_{stage}_bn")(h)
        h = keras.layers.ReLU(name=f"dec_{stage}_relu")(h)
    reconstruction = keras.layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", kernel_initializer=dcgan_init(), dtype="float32",
        name="reconstruction")(h)
    return keras.Model(x, [reconstruction, embedding], name=name)


def _began_decoder_layers(h, image_size: int, channels: int, base_filters: int, repeats: int,
                          prefix: str):
    stages = _conv_stages(image_size, BEGAN_START, "BEGAN nets")
    h = keras.layers.Dense(BEGAN_START * BEGAN_START * base_filters, name=f"{prefix}_project")(h)
    h = keras.layers.Reshape((BEGAN_START, BEGAN_START, base_filters), name=f"{prefix}_reshape")(h)
    for stage in range(stages + 1):
        for r in range(repeats):
            h = keras.layers.Conv2D(base_filters, 3, padding="same",
                                    name=f"{prefix}_{stage}_conv_{r}")(h)
            h = keras.layers.ELU(name=f"{prefix}_{stage}_elu_{r}")(h)
        if stage < stages:
            h = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"{prefix}_up_{stage}")(h)
    return keras.layers.Conv2D(channels, 3, padding="same", dtype="float32",
                               name=f"{prefix}_to_image")(h)


def began_decoder(
    latent_dim: int,
    image_size: int = 32,
    channels: int = 1,
    base_filters: int = 32,
    repeats: int = 2,
    name: str = "began_generator",
) -> keras.Model:
    """BEGAN's decoder, also its generator (Berthelot et al. 2017, Sec. 3.5 and Figure 1).

    ``z`` (or the embedding ``h``) -> fully connected (no non-linearity) to an 8x8 map of
    ``base_filters`` -> per resolution ``repeats`` x (3x3 convolution + ELU), nearest-neighbour
    up-sampling between resolutions -> a linear 3x3 convolution to ``channels``.

    Args:
        latent_dim: width of the input code (``N_z`` for the generator, ``N_h`` in the
            auto-encoder).
        image_size: output resolution, 8 times a power of 2. Defaults to `32`.
        channels: output channels. Defaults to `1`.
        base_filters: n, the filters of every convolution. Defaults to `32`.
        repeats: convolutions per resolution (the paper: typically 2). Defaults to `2`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, latent_dim]`` to ``[batch, s, s, channels]`` (linear
        output, trained towards [-1, 1] images).

    Raises:
        ValueError: for an unsupported size or non-positive widths.
    """
    check_positive_ints(latent_dim=latent_dim, channels=channels, base_filters=base_filters,
                    repeats=repeats)
    z = keras.Input((latent_dim,), name="z")
    images = _began_decoder_layers(z, image_size, channels, base_filters, repeats, "dec")
    return keras.Model(z, images, name=name)


def began_autoencoder(
    image_size: int = 32,
    channels: int = 1,
    base_filters: int = 32,
    embedding_dim: int = 64,
    repeats: int = 2,
    name: str = "began_autoencoder",
) -> keras.Model:
    """BEGAN's auto-encoder discriminator (Berthelot et al. 2017, Sec. 3.5 and Figure 1).

    Encoder: a 3x3 convolution of n filters, then per resolution ``repeats`` x (3x3 convolution +
    ELU) with (i+1) n filters, and a stride-2 3x3 convolution to (i+2) n filters between
    resolutions, down to 8x8; a fully connected layer without non-linearity to the embedding
    ``h`` (``embedding_dim``). Decoder: :func:`began_decoder`'s layers from ``h``.

    Args:
        image_size: input resolution, 8 times a power of 2. Defaults to `32`.
        channels: image channels. Defaults to `1`.
        base_filters: n. Defaults to `32`.
        embedding_dim: ``N_h``, width of the embedding (64 in the paper). Defaults to `64`.
        repeats: convolutions per resolution. Defaults to `2`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, s, s, channels]`` to ``[reconstruction (same shape),
        embedding [batch, embedding_dim]]``.

    Raises:
        ValueError: for an unsupported size or non-positive widths.
    """
    check_positive_ints(channels=channels, base_filters=base_filters, embedding_dim=embedding_dim,
                    repeats=repeats)
    stages = _conv_stages(image_size, BEGAN_START, "BEGAN nets")
    x = keras.Input((image_size, image_size, channels), name="images")
    h = keras.layers.Conv2D(base_filters, 3, padding="same", name="enc_in")(x)
    h = keras.layers.ELU(name="enc_in_elu")(h)
    for stage in range(stages + 1):
        filters = base_filters * (stage + 1)
        for r in range(repeats):
            h = keras.layers.Conv2D(filters, 3, padding="same", name=f"enc_{stage}_conv_{r}")(h)
            h = keras.layers.ELU(name=f"enc_{stage}_elu_{r}")(h)
        if stage < stages:
            h = keras.layers.Conv2D(base_filters * (stage + 2), 3, strides=2, padding="same",
                                    name=f"enc_{stage}_down")(h)
            h = keras.layers.ELU(name=f"enc_{stage}_down_elu")(h)
    h = keras.layers.Flatten(name="flatten")(h)
    embedding = keras.layers.Dense(embedding_dim, dtype="float32", name="embedding")(h)
    reconstruction = _began_decoder_layers(embedding, image_size, channels, base_filters,
                                           repeats, "dec")
    return keras.Model(x, [reconstruction, embedding], name=name)


def _square_images(spec, family: str) -> tuple[int, int]:
    shape = spec.sample_shape
    if len(shape) != 3 or shape[0] != shape[1]:
        raise UserError(
            f"{family!r} auto-encoders take square images; the data holds samples of shape "
            f"{shape}: use config.model.nets='mlp' for vector data."
        )
    return shape[0], shape[-1]


@register_net("mlp", "autoencoder")
def mlp_autoencoder_from_config(model_config, spec) -> keras.Model:
    """:func:`mlp_autoencoder` for ``spec.sample_shape`` (``d_hidden``, ``embedding_dim``,
    ``d_activation`` of ``config.model``)."""
    return mlp_autoencoder(spec.sample_shape, hidden=tuple(model_config.d_hidden),
                           embedding_dim=model_config.embedding_dim,
                           activation=model_config.get("d_activation", "leaky_relu"))


@register_net("dcgan", "autoencoder")
def ebgan_conv_autoencoder_from_config(model_config, spec) -> keras.Model:
    """:func:`ebgan_conv_autoencoder` for the data's images (``d_base_filters``)."""
    size, channels = _square_images(spec, "dcgan")
    return ebgan_conv_autoencoder(size, channels, base_filters=model_config.d_base_filters)


@register_net("began", "generator")
def began_generator_from_config(model_config, spec) -> keras.Model:
    """:func:`began_decoder` as the generator (``latent_dim``, ``g_base_filters``,
    ``began_repeats``)."""
    size, channels = _square_images(spec, "began")
    return began_decoder(model_config.latent_dim, size, channels,
                         base_filters=model_config.g_base_filters,
                         repeats=model_config.get("began_repeats", 2))


@register_net("began", "autoencoder")
def began_autoencoder_from_config(model_config, spec) -> keras.Model:
    """:func:`began_autoencoder` for the data's images (``d_base_filters``, ``embedding_dim``,
    ``began_repeats``)."""
    size, channels = _square_images(spec, "began")
    return began_autoencoder(size, channels, base_filters=model_config.d_base_filters,
                             embedding_dim=model_config.embedding_dim,
                             repeats=model_config.get("began_repeats", 2))
