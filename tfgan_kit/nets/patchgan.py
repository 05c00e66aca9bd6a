"""PatchGAN discriminator (Isola et al. 2017): one real/fake logit per N x N image patch.

The net is fully convolutional, so it takes images of any height and width and returns a map of
logits, each looking at one patch of the input (its receptive field). Pix2Pix conditions it on
the input image (source and target concatenated on the channels, ``input_channels=6`` for RGB);
CycleGAN uses the 70x70 one unconditioned, with instance normalisation.

Layers, in the paper's notation (``Ck``: 4x4 convolution with k filters, normalisation,
LeakyReLU 0.2; no normalisation on the first layer; a final convolution to one channel), with the
strides of the authors' code (every ``Ck`` stride 2 except the last, stride 1; padding 1):

=================  ================================  ==================
receptive field    layers                            note
=================  ================================  ==================
1 (PixelGAN)       C64-C128                          1x1 convolutions
16                 C64-C128
70 (default)       C64-C128-C256-C512
286                C64-C128-C256-C512-C512-C512
=================  ================================  ==================

Reference:
    Isola, Zhu, Zhou, Efros, "Image-to-Image Translation with Conditional Adversarial Networks",
    CVPR 2017, Section 3.2.2 (Markovian discriminator) and Appendix 6.1.2
    (https://arxiv.org/abs/1611.07004).
"""

from __future__ import annotations

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.nets.norms import check_normalization, normalization_layer, weights_initializer

#: Receptive field -> filters of the ``Ck`` layers (Isola et al. 2017, Appendix 6.1.2).
PATCHGAN_LAYERS = {
    1: (64, 128),
    16: (64, 128),
    70: (64, 128, 256, 512),
    286: (64, 128, 256, 512, 512, 512),
}


def patchgan_receptive_field(receptive_field: int) -> int:
    """The receptive field of the layer list of ``receptive_field``, computed from kernels and
    strides (``r <- (r - 1) * stride + kernel``, from the output back to the input).

    The architecture tests also measure it from the gradient support of one logit.

    Raises:
        ValueError: for a receptive field the paper does not define.
    """
    _check_receptive_field(receptive_field)
    field = 1
    for kernel, stride in reversed(_kernels_and_strides(receptive_field)):
        field = (field - 1) * stride + kernel
    return field


def _check_receptive_field(receptive_field) -> None:
    if receptive_field not in PATCHGAN_LAYERS:
        raise UserError(
            f"`receptive_field` must be one of {sorted(PATCHGAN_LAYERS)} (Isola et al. 2017, "
            f"Appendix 6.1.2). Received: receptive_field={receptive_field!r}"
        )


def _kernels_and_strides(receptive_field: int) -> list[tuple[int, int]]:
    """(kernel, stride) of every convolution, the output convolution last."""
    count = len(PATCHGAN_LAYERS[receptive_field])
    if receptive_field == 1:
        return [(1, 1)] * (count + 1)
    return [(4, 2)] * (count - 1) + [(4, 1), (4, 1)]


def patchgan_discriminator(
    receptive_field: int = 70,
    input_channels: int = 6,
    base_filters: int = 64,
    normalization: str = "batch",
    leaky_slope: float = 0.2,
    image_size: tuple[int, int] | None = None,
    name: str = "patchgan_discriminator",
) -> keras.Model:
    """Builds the PatchGAN discriminator with a ``receptive_field`` x ``receptive_field`` field.

    Args:
        receptive_field: 1 (PixelGAN), 16, 70 or 286 pixels. Defaults to `70`.
        input_channels: channels of the input: 6 for an RGB pair (Pix2Pix's conditional D on
            ``concat(x, y)``), 3 for an unconditional D on RGB images. Defaults to `6`.
        base_filters: filters of the first layer (the paper's 64); the others scale with it
            (C128 -> ``2 * base_filters``, ...). Defaults to `64`.
        normalization: ``"batch"`` (Pix2Pix), ``"instance"`` (CycleGAN) or ``"none"``, after
            every ``Ck`` but the first. Defaults to `"batch"`.
        leaky_slope: LeakyReLU slope. Defaults to `0.2`.
        image_size: ``(height, width)`` of the inputs, or ``None`` for any size. Defaults to
            `None`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, H, W, input_channels]`` to logits ``[batch, h, w, 1]``
        (``h = H / 8 - 2`` for the 70x70 net), one per patch.

    Raises:
        ValueError: for an unknown receptive field or normalisation, or bad channel/filter counts.

    Reference: Isola et al. 2017, Section 3.2.2 and Appendix 6.1.2.
    """
    _check_receptive_field(receptive_field)
    check_normalization(normalization)
    for key, value in (("input_channels", input_channels), ("base_filters", base_filters)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise UserError(f"`{key}` must be a positive integer. Received: {key}={value!r}")
    height, width = (None, None) if image_size is None else image_size
    images = keras.Input((height, width, input_channels), name="images")
    filters = [f * base_filters // 64 for f in PATCHGAN_LAYERS[receptive_field]]
    convolutions = _kernels_and_strides(receptive_field)
    h = images
    for index, (width_k, (kernel, stride)) in enumerate(zip(filters, convolutions)):
        norm = None if index == 0 else normalization_layer(normalization, f"c{index}_norm")
        if kernel > 1:
            h = keras.layers.ZeroPadding2D(1, name=f"c{index}_pad")(h)
        # A batch-normalised layer needs no bias (the normalisation's offset replaces it).
        h = keras.layers.Conv2D(width_k, kernel, strides=stride,
                                use_bias=index == 0 or normalization != "batch",
                                kernel_initializer=weights_initializer(), name=f"c{index}")(h)
        if norm is not None:
            h = norm(h)
        h = keras.layers.LeakyReLU(leaky_slope, name=f"c{index}_lrelu")(h)
    kernel, stride = convolutions[-1]
    if kernel > 1:
        h = keras.layers.ZeroPadding2D(1, name="logits_pad")(h)
    logits = keras.layers.Conv2D(1, kernel, strides=stride, kernel_initializer=weights_initializer(),
                                 dtype="float32", name="logits")(h)
    return keras.Model(images, logits, name=name)
