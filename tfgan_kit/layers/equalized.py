"""Equalized learning-rate layers (Karras et al. 2018, section 4.1).

Weights are stored as draws from N(0, 1) and scaled at run time by the He constant
``gain / sqrt(fan_in)``, so that every weight sees the same dynamic range under Adam.
"""

import math

import keras
from keras import ops

from tfgan_kit.errors import UserError


def _check_common(gain: float, lr_multiplier: float) -> None:
    if gain <= 0:
        raise UserError(f"`gain` should be greater than zero. Received: gain={gain}")
    if lr_multiplier <= 0:
        raise UserError(
            f"`lr_multiplier` should be greater than zero. Received: lr_multiplier={lr_multiplier}"
        )


class _EqualizedLayer(keras.layers.Layer):
    """Shared weights of the equalized layers: N(0, 1/lrmul^2) kernel scaled at run time."""

    def _add_equalized_weights(self, kernel_shape: tuple, fan_in: int, units: int) -> None:
        self.fan_in = int(fan_in)
        self.scale = self.gain * self.lr_multiplier / math.sqrt(self.fan_in)
        self.kernel = self.add_weight(
            shape=kernel_shape,
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier),
            name="kernel",
        )
        self.bias = (
            self.add_weight(shape=(units,), initializer="zeros", name="bias")
            if self.use_bias
            else None
        )

    @property
    def effective_kernel(self):
        """The kernel actually applied: ``kernel * gain * lr_multiplier / sqrt(fan_in)``."""
        return self.kernel * self.scale

    def _add_bias(self, outputs):
        if self.use_bias:
            outputs = outputs + self.bias * self.lr_multiplier
        return outputs


@keras.saving.register_keras_serializable(package="tfgan_kit")
class EqualizedDense(_EqualizedLayer):
    """Fully connected layer with an equalized learning rate.

    Computes ``y = x @ (w * gain * lr_multiplier / sqrt(fan_in)) + b * lr_multiplier`` over the
    last axis, with ``w ~ N(0, 1 / lr_multiplier^2)`` and ``b = 0`` at initialisation, so the
    effective weights start with He's standard deviation ``gain / sqrt(fan_in)``.

    Args:
        units: Number of output features.
        gain: Gain of the run-time scale. Defaults to `sqrt(2)` (He, for leaky ReLU); the paper's
            first generator layer uses `sqrt(2) / 4` and the last discriminator layer `1`.
        use_bias: Whether to add a bias (initialised to zero). Defaults to `True`.
        lr_multiplier: Learning-rate multiplier on weights and bias (StyleGAN's mapping network
            uses 0.01). Defaults to `1.0`.

    >>> layer = EqualizedDense(8)
    >>> layer(keras.ops.ones((2, 4))).shape
    (2, 8)

    Reference:
        Karras et al. 2018, "Progressive Growing of GANs", section 4.1 (equalized learning rate).
        https://arxiv.org/abs/1710.10196
    """

    def __init__(
        self,
        units: int,
        gain: float = math.sqrt(2.0),
        use_bias: bool = True,
        lr_multiplier: float = 1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if units <= 0:
            raise UserError(f"`units` should be greater than zero. Received: units={units}")
        _check_common(gain, lr_multiplier)
        self.units = int(units)
        self.gain = float(gain)
        self.use_bias = bool(use_bias)
        self.lr_multiplier = float(lr_multiplier)

    def build(self, input_shape):
        fan_in = input_shape[-1]
        if fan_in is None:
            raise UserError(
                f"The last axis of the input to EqualizedDense must be known. "
                f"Received: input_shape={input_shape}"
            )
        self._add_equalized_weights((int(fan_in), self.units), fan_in, self.units)

    def call(self, inputs):
        return self._add_bias(ops.matmul(inputs, self.effective_kernel))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        base_config = super().get_config()
        config = {
            "units": self.units,
            "gain": self.gain,
            "use_bias": self.use_bias,
            "lr_multiplier": self.lr_multiplier,
        }
        return {**base_config, **config}


@keras.saving.register_keras_serializable(package="tfgan_kit")
class EqualizedConv2D(_EqualizedLayer):
    """2-D convolution (NHWC, stride 1, "same" padding) with an equalized learning rate.

    The effective kernel is ``w * gain * lr_multiplier / sqrt(k * k * in_channels)`` with
    ``w ~ N(0, 1 / lr_multiplier^2)``; the bias starts at zero and is scaled by ``lr_multiplier``.

    Args:
        filters: Number of output channels.
        kernel_size: Odd square kernel size. Defaults to `3`.
        gain: Gain of the run-time scale. Defaults to `sqrt(2)`; toRGB layers use `1`.
        use_bias: Whether to add a bias. Defaults to `True`.
        lr_multiplier: Learning-rate multiplier on weights and bias. Defaults to `1.0`.

    >>> layer = EqualizedConv2D(8, 3)
    >>> layer(keras.ops.ones((2, 4, 4, 3))).shape
    (2, 4, 4, 8)

    Reference:
        Karras et al. 2018, "Progressive Growing of GANs", section 4.1 (equalized learning rate).
        https://arxiv.org/abs/1710.10196
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int = 3,
        gain: float = math.sqrt(2.0),
        use_bias: bool = True,
        lr_multiplier: float = 1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if filters <= 0:
            raise UserError(f"`filters` should be greater than zero. Received: filters={filters}")
        if kernel_size < 1 or kernel_size % 2 != 1:
            raise UserError(
                f"`kernel_size` should be a positive odd integer. Received: kernel_size={kernel_size}"
            )
        _check_common(gain, lr_multiplier)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.gain = float(gain)
        self.use_bias = bool(use_bias)
        self.lr_multiplier = float(lr_multiplier)

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise UserError(
                f"EqualizedConv2D expects NHWC input with known channels. "
                f"Received: input_shape={input_shape}"
            )
        in_channels = int(input_shape[-1])
        self._add_equalized_weights(
            (self.kernel_size, self.kernel_size, in_channels, self.filters),
            self.kernel_size * self.kernel_size * in_channels,
            self.filters,
        )

    def call(self, inputs):
        return self._add_bias(ops.conv(inputs, self.effective_kernel, strides=1, padding="same"))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.filters,)

    def get_config(self):
        base_config = super().get_config()
        config = {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "gain": self.gain,
            "use_bias": self.use_bias,
            "lr_multiplier": self.lr_multiplier,
        }
        return {**base_config, **config}
