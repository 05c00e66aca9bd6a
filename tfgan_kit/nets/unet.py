"""Pix2Pix generator (Isola et al. 2017): a U-Net, or the encoder-decoder of the paper's ablation.

Encoder ``C64-C128-C256-C512-C512-C512-C512-C512`` (``Ck``: 4x4 convolution stride 2 with k
filters, BatchNorm, LeakyReLU 0.2; no BatchNorm on the first layer), decoder
``CD512-CD512-CD512-C512-C256-C128-C64`` (4x4 transposed convolutions stride 2, BatchNorm,
ReLU; ``CD``: dropout 0.5), a last transposed convolution to the output channels and tanh. The
U-Net concatenates the output of encoder layer i to the output of decoder layer n - i (layer
``2n - i`` of the ``2n`` layers, the paper's "layer i and layer n - i"); the encoder-decoder
has no skips.

The depth adapts to the image: ``levels = log2(min(H, W))`` stride-2 layers, at most 8 (the
paper's full net at 256x256 ends at a 1x1 bottleneck; 32x32 images get
``C64-C128-C256-C512-C512`` and the mirrored decoder, dropout in its first three layers).
As in the authors' code, the innermost encoder layer (the 1x1 bottleneck) has no BatchNorm, and
the activations precede the convolutions (LeakyReLU before each encoder conv but the first, ReLU
before each decoder conv), so a skip carries the normalised, not yet activated, encoder output.

Dropout is the generator's only noise and stays on at test time (the paper: "applied on several
layers of our generator at both training and test time"): :class:`TestTimeDropout`.

Reference:
    Isola, Zhu, Zhou, Efros, "Image-to-Image Translation with Conditional Adversarial Networks",
    CVPR 2017, Section 3.2.1 (Figure 3), Section 2.1 (noise as dropout) and Appendix 6.1.1
    (https://arxiv.org/abs/1611.07004).
"""

from __future__ import annotations

import math

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.nets.norms import check_normalization, normalization_layer, weights_initializer

MAX_LEVELS = 8  # the paper's 256x256 net: 8 stride-2 layers down to 1x1
DROPOUT_LAYERS = 3  # CD512-CD512-CD512: dropout in the first three decoder layers


@keras.saving.register_keras_serializable(package="tfgan_kit")
class TestTimeDropout(keras.layers.Dropout):
    """Dropout that stays active at inference when ``always`` is true (Isola et al. 2017,
    Section 2.1: the generator's noise is dropout "at both training and test time").

    Args:
        rate: fraction of units dropped. Defaults to `0.5`.
        always: drop also when ``training`` is false. Defaults to `True`.
        **kwargs: passed to ``keras.layers.Dropout`` (e.g. ``seed``, ``name``).

    Reference: Isola et al. 2017, Section 2.1.
    """

    __test__ = False  # not a pytest class

    def __init__(self, rate: float = 0.5, always: bool = True, **kwargs):
        super().__init__(rate, **kwargs)
        self.always = bool(always)

    def call(self, inputs, training=False):
        return super().call(inputs, training=True if self.always else training)

    def get_config(self):
        return {**super().get_config(), "always": self.always}


def unet_levels(height: int, width: int) -> int:
    """Stride-2 layers of the U-Net for ``height`` x ``width`` images: ``log2(min(H, W))``, at
    most 8 (the paper's 256x256 net).

    Raises:
        ValueError: when H and W are not both divisible by ``2 ** levels`` (e.g. a 48x48 image:
            use a power-of-two side such as 32 or 64).
    """
    side = min(height, width)
    if side < 2:
        raise UserError(f"The U-Net needs images of at least 2x2. Received: {height}x{width}")
    levels = min(MAX_LEVELS, int(math.log2(side)))
    if height % 2**levels or width % 2**levels:
        raise UserError(
            f"A {height}x{width} image cannot be halved {levels} times: use height and width "
            f"divisible by {2**levels} (e.g. {2**levels}x{2**levels}, or 256x256 as the paper)."
        )
    return levels


def unet_generator(
    image_shape: tuple[int, int, int] = (256, 256, 3),
    output_channels: int | None = None,
    base_filters: int = 64,
    skips: bool = True,
    dropout: float = 0.5,
    test_time_dropout: bool = True,
    normalization: str = "batch",
    name: str = "unet_generator",
) -> keras.Model:
    """Builds the Pix2Pix U-Net (``skips=True``) or encoder-decoder (``skips=False``).

    Args:
        image_shape: ``(H, W, C)`` of the input images. Defaults to `(256, 256, 3)`.
        output_channels: channels of the output; ``None`` for ``C``. Defaults to `None`.
        base_filters: filters of the first layer (the paper's 64); layer i has
            ``min(base_filters * 2 ** i, 8 * base_filters)``. Defaults to `64`.
        skips: concatenate encoder layer i to decoder layer n - i (U-Net); ``False`` for the
            encoder-decoder ablation (Isola et al. 2017, Section 4.3, Figure 5). Defaults to
            `True`.
        dropout: dropout rate of the first three decoder layers. Defaults to `0.5`.
        test_time_dropout: keep dropout active at inference (the paper). Defaults to `True`.
        normalization: ``"batch"`` (the paper), ``"instance"`` or ``"none"``. Defaults to
            `"batch"`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[batch, H, W, C]`` to ``[batch, H, W, output_channels]`` in
        [-1, 1]. Layers are named ``encoder_i`` / ``decoder_j`` (1-based) and ``skip_i`` (the
        concatenation of encoder layer i with decoder layer ``levels - i``).

    Raises:
        ValueError: for an image size that cannot be halved ``levels`` times, a bad filter or
            channel count, dropout rate or normalisation.

    Reference: Isola et al. 2017, Section 3.2.1 and Appendix 6.1.1.
    """
    check_normalization(normalization)
    if len(image_shape) != 3:
        raise UserError(f"`image_shape` must be (height, width, channels). Received: "
                        f"image_shape={image_shape!r}")
    height, width, channels = (int(s) for s in image_shape)
    output_channels = channels if output_channels is None else output_channels
    for key, value in (("base_filters", base_filters), ("output_channels", output_channels)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise UserError(f"`{key}` must be a positive integer. Received: {key}={value!r}")
    if not 0.0 <= dropout < 1.0:
        raise UserError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")
    levels = unet_levels(height, width)
    filters = [min(base_filters * 2**i, 8 * base_filters) for i in range(levels)]
    bias = normalization != "batch"

    images = keras.Input((height, width, channels), name="images")
    encoded, h = [], images
    for i in range(1, levels + 1):
        if i > 1:
            h = keras.layers.LeakyReLU(0.2, name=f"encoder_{i}_lrelu")(h)
        normalized = 1 < i < levels  # not the first layer (paper), not the bottleneck (code)
        h = keras.layers.Conv2D(filters[i - 1], 4, strides=2, padding="same",
                                use_bias=bias or not normalized,
                                kernel_initializer=weights_initializer(), name=f"encoder_{i}")(h)
        norm = normalization_layer(normalization, f"encoder_{i}_norm") if normalized else None
        h = norm(h) if norm is not None else h
        encoded.append(h)
    for j in range(1, levels):
        h = keras.layers.ReLU(name=f"decoder_{j}_relu")(h)
        h = keras.layers.Conv2DTranspose(filters[levels - j - 1], 4, strides=2, padding="same",
                                         use_bias=bias, kernel_initializer=weights_initializer(),
                                         name=f"decoder_{j}")(h)
        norm = normalization_layer(normalization, f"decoder_{j}_norm")
        h = norm(h) if norm is not None else h
        if j <= DROPOUT_LAYERS and dropout > 0:
            h = TestTimeDropout(dropout, always=test_time_dropout, name=f"decoder_{j}_dropout")(h)
        if skips:
            i = levels - j
            h = keras.layers.Concatenate(name=f"skip_{i}")([encoded[i - 1], h])
    h = keras.layers.ReLU(name=f"decoder_{levels}_relu")(h)
    h = keras.layers.Conv2DTranspose(output_channels, 4, strides=2, padding="same",
                                     kernel_initializer=weights_initializer(),
                                     dtype="float32", name=f"decoder_{levels}")(h)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(h)
    return keras.Model(images, outputs, name=name)
