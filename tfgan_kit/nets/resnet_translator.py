"""CycleGAN generator (Zhu et al. 2017): the ResNet image translator of Johnson et al. 2016.

``c7s1-64, d128, d256, R256 x n, u128, u64, c7s1-3`` (Zhu et al. 2017, Appendix 7.2):

* ``c7s1-k``: reflection padding 3, 7x7 convolution stride 1 with k filters, instance
  normalisation, ReLU (the last one: no normalisation, tanh);
* ``dk``: 3x3 convolution stride 2 (padding 1), instance normalisation, ReLU;
* ``Rk``: residual block ``x + IN(conv3x3(pad(ReLU(IN(conv3x3(pad(x)))))))``, reflection
  padding 1 before each 3x3 convolution;
* ``uk``: 3x3 transposed convolution stride 1/2, instance normalisation, ReLU.

n = 6 residual blocks for 128x128 images, 9 for 256x256 and larger. Weights N(0, 0.02).

Reference:
    Zhu, Park, Isola, Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent
    Adversarial Networks", ICCV 2017, Section 4 and Appendix 7.2
    (https://arxiv.org/abs/1703.10593); Johnson, Alahi, Fei-Fei, "Perceptual Losses for
    Real-Time Style Transfer and Super-Resolution", ECCV 2016.
"""

from __future__ import annotations

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.layers.padding import ReflectionPadding2D
from tfgan_kit.nets.norms import check_normalization, normalization_layer, weights_initializer

RESIDUAL_BLOCKS = (6, 9)


def _normalized(h, normalization: str, name: str):
    norm = normalization_layer(normalization, name)
    return h if norm is None else norm(h)


def residual_block(h, filters: int, normalization: str, name: str):
    """``Rk``: two reflection-padded 3x3 convolutions with k filters and a skip (Zhu et al.
    2017, Appendix 7.2; He et al. 2016)."""
    shortcut = h
    for index in (1, 2):
        h = ReflectionPadding2D(1, name=f"{name}_pad{index}")(h)
        h = keras.layers.Conv2D(filters, 3, kernel_initializer=weights_initializer(),
                                use_bias=normalization != "batch", name=f"{name}_conv{index}")(h)
        h = _normalized(h, normalization, f"{name}_norm{index}")
        if index == 1:
            h = keras.layers.ReLU(name=f"{name}_relu")(h)
    return keras.layers.Add(name=f"{name}_add")([shortcut, h])


def resnet_translator(
    image_shape: tuple = (256, 256, 3),
    output_channels: int | None = None,
    residual_blocks: int = 9,
    base_filters: int = 64,
    normalization: str = "instance",
    name: str = "resnet_translator",
) -> keras.Model:
    """Builds the ResNet translator ``c7s1-64, d128, d256, R256 x n, u128, u64, c7s1-3``.

    Args:
        image_shape: ``(H, W, C)`` of the inputs (H and W divisible by 4; ``None`` for any).
            Defaults to `(256, 256, 3)`.
        output_channels: channels of the output; ``None`` for ``C``. Defaults to `None`.
        residual_blocks: 6 (128x128 images) or 9 (256x256 and larger). Defaults to `9`.
        base_filters: filters of ``c7s1-64`` (the paper's 64); the others scale with it.
            Defaults to `64`.
        normalization: ``"instance"`` (the paper), ``"batch"`` or ``"none"``. Defaults to
            `"instance"`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, H, W, C]`` to ``[batch, H, W, output_channels]`` in
        [-1, 1].

    Raises:
        ValueError: for a number of blocks other than 6 or 9, sizes not divisible by 4, or bad
            filter/channel counts or normalisation.

    Reference: Zhu et al. 2017, Appendix 7.2.
    """
    check_normalization(normalization)
    if residual_blocks not in RESIDUAL_BLOCKS:
        raise UserError(
            f"`residual_blocks` must be 6 (128x128 images) or 9 (256x256 and larger) (Zhu et al. "
            f"2017, Appendix 7.2). Received: residual_blocks={residual_blocks!r}"
        )
    if len(image_shape) != 3:
        raise UserError(f"`image_shape` must be (height, width, channels). Received: "
                        f"image_shape={image_shape!r}")
    if any(size is not None and size % 4 for size in image_shape[:2]):
        raise UserError(f"The translator halves the image twice: height and width must be "
                        f"divisible by 4. Received: image_shape={image_shape!r}")
    channels = image_shape[2]
    output_channels = channels if output_channels is None else output_channels
    for key, value in (("base_filters", base_filters), ("output_channels", output_channels)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise UserError(f"`{key}` must be a positive integer. Received: {key}={value!r}")
    bias = normalization != "batch"
    init = weights_initializer

    images = keras.Input(tuple(image_shape), name="images")
    h = ReflectionPadding2D(3, name="c7s1_pad")(images)
    h = keras.layers.Conv2D(base_filters, 7, use_bias=bias, kernel_initializer=init(),
                            name="c7s1")(h)
    h = keras.layers.ReLU(name="c7s1_relu")(_normalized(h, normalization, "c7s1_norm"))
    filters = base_filters
    for index in (1, 2):
        filters *= 2
        h = keras.layers.ZeroPadding2D(1, name=f"d{index}_pad")(h)
        h = keras.layers.Conv2D(filters, 3, strides=2, use_bias=bias, kernel_initializer=init(),
                                name=f"d{index}")(h)
        h = keras.layers.ReLU(name=f"d{index}_relu")(
            _normalized(h, normalization, f"d{index}_norm"))
    for block in range(1, residual_blocks + 1):
        h = residual_block(h, filters, normalization, f"r{block}")
    for index in (1, 2):
        filters //= 2
        h = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", use_bias=bias,
                                         kernel_initializer=init(), name=f"u{index}")(h)
        h = keras.layers.ReLU(name=f"u{index}_relu")(
            _normalized(h, normalization, f"u{index}_norm"))
    h = ReflectionPadding2D(3, name="output_pad")(h)
    h = keras.layers.Conv2D(output_channels, 7, kernel_initializer=init(), dtype="float32",
                                name="output")(h)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(h)
    return keras.Model(images, outputs, name=name)
