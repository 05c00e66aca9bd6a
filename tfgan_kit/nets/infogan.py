"""InfoGAN nets (Chen et al. 2016, Appendix C.1): G(z, c) and D with a Q head sharing its body.

The generator is an unconditional net of the whole latent vector ``[z, one-hot c_1, ...,
continuous c]``; the discriminator returns a dict: ``"source"`` (the real/fake logit
``[batch, 1]``) and Q's outputs from the same body: ``"categorical"`` (the logits of every
categorical code, concatenated, ``[batch, sum K_i]``), ``"continuous"`` (the means of the factored
Gaussian of the continuous codes ``[batch, C]``) and, with ``learn_std=True``,
``"continuous_log_std"``. A key is absent when the model has no code of that kind.

The layers are those of the paper's MNIST nets (Appendix C.1, Table 1), for any image size
divisible by 4 (28 as in the paper, 8 for the embedded digits):

* G: FC 1024 ReLU BN, FC (s/4)x(s/4)x128 ReLU BN, 4x4 up-conv 64 stride 2 ReLU BN, 4x4 up-conv
  to the image channels stride 2, tanh (images in [-1, 1]);
* D: 4x4 conv 64 stride 2 lReLU, 4x4 conv 128 stride 2 BN lReLU, FC 1024 BN lReLU, FC 1 (source);
* Q: FC 128 BN lReLU on D's FC 1024 features, FC to the code parameters.

Leaky ReLU with slope 0.1 (the paper's "leaky rate 0.1"); BatchNorm synchronised across replicas.
Registered as net family ``"infogan"`` with roles ``"generator"`` and ``"discriminator"``; they
read ``latent_dim`` (the noise width), ``categorical_codes`` (a tuple of cardinalities),
``continuous_codes`` (their number) and ``learn_std`` from ``config.model``.

Reference:
    Chen, Duan, Houthooft, Schulman, Sutskever, Abbeel, "InfoGAN: Interpretable Representation
    Learning by Information Maximizing Generative Adversarial Nets", NeurIPS 2016, Appendix C.1
    (https://arxiv.org/abs/1606.03657).
"""

from __future__ import annotations

from typing import Sequence

import keras

from tfgan_kit.errors import UserError, check_positive_ints
from tfgan_kit.nets.dcgan import dcgan_batch_norm
from tfgan_kit.registry import register_net

__all__ = ["infogan_discriminator", "infogan_generator", "code_width"]

LEAKY_SLOPE = 0.1


def check_codes(categorical_codes: Sequence[int], continuous_codes: int) -> tuple[int, ...]:
    codes = tuple(categorical_codes)
    if any(not isinstance(k, int) or isinstance(k, bool) or k < 2 for k in codes):
        raise UserError(
            "`categorical_codes` must be a tuple of cardinalities >= 2, e.g. (10,). Received: "
            f"categorical_codes={categorical_codes!r}"
        )
    if not isinstance(continuous_codes, int) or isinstance(continuous_codes, bool) \
            or continuous_codes < 0:
        raise UserError(
            f"`continuous_codes` must be an integer >= 0. Received: "
            f"continuous_codes={continuous_codes!r}"
        )
    if not codes and not continuous_codes:
        raise UserError("InfoGAN needs at least one code: set `categorical_codes` (e.g. (10,)) "
                        "or `continuous_codes` (e.g. 2).")
    return codes


def code_width(categorical_codes: Sequence[int], continuous_codes: int) -> int:
    """Width of the codes in G's input: ``sum K_i`` one-hot entries plus ``C`` continuous ones."""
    return sum(check_codes(categorical_codes, continuous_codes)) + continuous_codes


def _check_size(image_size: int) -> None:
    if not isinstance(image_size, int) or image_size < 4 or image_size % 4:
        raise UserError(
            f"InfoGAN's nets take square images whose size is divisible by 4 (28, 8, 32). "
            f"Received: image_size={image_size!r}"
        )


def infogan_generator(latent_width: int, image_size: int = 28, channels: int = 1,
                      name: str = "infogan_generator") -> keras.Model:
    """The paper's MNIST generator (Chen et al. 2016, Appendix C.1, Table 1).

    Args:
        latent_width: width of G's whole input, noise plus codes (74 for the paper's MNIST:
            62 + 10 + 2; see :func:`code_width`).
        image_size: output size, divisible by 4. Defaults to `28`.
        channels: output channels. Defaults to `1`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, latent_width]`` to images ``[batch, s, s, channels]``.

    Raises:
        ValueError: for a bad width, size or channel count.
    """
    check_positive_ints(latent_width=latent_width, channels=channels)
    _check_size(image_size)
    start = image_size // 4
    latent = keras.Input((latent_width,), name="latent")
    h = keras.layers.Dense(1024, use_bias=False, name="fc_1024")(latent)
    h = keras.layers.ReLU(name="fc_1024_relu")(dcgan_batch_norm("fc_1024_bn")(h))
    h = keras.layers.Dense(start * start * 128, use_bias=False, name="fc_map")(h)
    h = keras.layers.ReLU(name="fc_map_relu")(dcgan_batch_norm("fc_map_bn")(h))
    h = keras.layers.Reshape((start, start, 128), name="reshape")(h)
    h = keras.layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False,
                                     name="up_64")(h)
    h = keras.layers.ReLU(name="up_64_relu")(dcgan_batch_norm("up_64_bn")(h))
    h = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                     dtype="float32", name="to_image")(h)
    images = keras.layers.Activation("tanh", dtype="float32", name="tanh")(h)
    return keras.Model(latent, images, name=name)


def infogan_discriminator(categorical_codes: Sequence[int] = (10,), continuous_codes: int = 2,
                          image_size: int = 28, channels: int = 1, learn_std: bool = False,
                          name: str = "infogan_discriminator") -> keras.Model:
    """The paper's MNIST discriminator with the Q head on its body (Chen et al. 2016, App. C.1).

    Args:
        categorical_codes: cardinality of each categorical code. Defaults to `(10,)`.
        continuous_codes: number of continuous codes. Defaults to `2`.
        image_size: input size, divisible by 4. Defaults to `28`.
        channels: input channels. Defaults to `1`.
        learn_std: Q also outputs ``"continuous_log_std"``; otherwise the Gaussian has std 1
            (the authors' MNIST setting). Defaults to `False`.
        name: model name.

    Returns:
        ``keras.Model`` from images to ``{"source": [batch, 1], "categorical": [batch, sum K],
        "continuous": [batch, C] (, "continuous_log_std": [batch, C])}``, keys of absent codes
        left out.

    Raises:
        ValueError: for bad codes, size or channel count.
    """
    codes = check_codes(categorical_codes, continuous_codes)
    check_positive_ints(channels=channels)
    _check_size(image_size)
    images = keras.Input((image_size, image_size, channels), name="images")
    h = keras.layers.Conv2D(64, 4, strides=2, padding="same", name="conv_64")(images)
    h = keras.layers.LeakyReLU(LEAKY_SLOPE, name="conv_64_lrelu")(h)
    h = keras.layers.Conv2D(128, 4, strides=2, padding="same", use_bias=False, name="conv_128")(h)
    h = keras.layers.LeakyReLU(LEAKY_SLOPE, name="conv_128_lrelu")(dcgan_batch_norm("conv_128_bn")(h))
    h = keras.layers.Flatten(name="flatten")(h)
    h = keras.layers.Dense(1024, use_bias=False, name="fc_1024")(h)
    h = keras.layers.LeakyReLU(LEAKY_SLOPE, name="fc_1024_lrelu")(dcgan_batch_norm("fc_1024_bn")(h))
    outputs = {"source": keras.layers.Dense(1, dtype="float32", name="source")(h)}
    q = keras.layers.Dense(128, use_bias=False, name="q_fc_128")(h)
    q = keras.layers.LeakyReLU(LEAKY_SLOPE, name="q_fc_128_lrelu")(dcgan_batch_norm("q_fc_128_bn")(q))
    if codes:
        outputs["categorical"] = keras.layers.Dense(sum(codes), dtype="float32",
                                                    name="categorical")(q)
    if continuous_codes:
        outputs["continuous"] = keras.layers.Dense(continuous_codes, dtype="float32",
                                                   name="continuous")(q)
        if learn_std:
            outputs["continuous_log_std"] = keras.layers.Dense(
                continuous_codes, dtype="float32", name="continuous_log_std")(q)
    return keras.Model(images, outputs, name=name)


def _image_spec(spec) -> tuple[int, int]:
    shape = spec.sample_shape
    if len(shape) != 3 or shape[0] != shape[1]:
        raise UserError(f"InfoGAN's nets take square images; the data holds samples of shape "
                        f"{shape}.")
    return shape[0], shape[-1]


def _codes(m) -> tuple[tuple[int, ...], int]:
    return tuple(m.categorical_codes), int(m.continuous_codes)


@register_net("infogan", "generator")
def infogan_generator_from_config(m, spec) -> keras.Model:
    """:func:`infogan_generator` of width ``latent_dim + code_width(categorical_codes,
    continuous_codes)`` for the data's images."""
    size, channels = _image_spec(spec)
    return infogan_generator(m.latent_dim + code_width(*_codes(m)), size, channels)


@register_net("infogan", "discriminator")
def infogan_discriminator_from_config(m, spec) -> keras.Model:
    """:func:`infogan_discriminator` (``categorical_codes``, ``continuous_codes``,
    ``learn_std``) for the data's images."""
    size, channels = _image_spec(spec)
    categorical, continuous = _codes(m)
    return infogan_discriminator(categorical, continuous, size, channels,
                                 learn_std=bool(m.get("learn_std", False)))
