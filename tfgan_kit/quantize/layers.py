"""Fake-quantized Keras layers: Conv2D / Dense with per-channel weights, ReLU with a running range.

* :class:`QuantConv2D`, :class:`QuantDense`: the kernel is fake-quantized per output channel to
  ``weight_bits`` on every call, its range recomputed from the current weights; the bias stays in
  float. A ReLU fused into the layer (``activation="relu"``) is followed by an
  :class:`ActivationQuantizer`.
* :class:`QuantReLU`: a ReLU layer followed by an :class:`ActivationQuantizer`.
* :class:`ActivationQuantizer`: per-tensor fake quantization to ``activation_bits`` over the
  running range ``[min, max]`` of the activations seen in training: by default every one seen
  (the range only grows; it starts at ``[0, 0]``, so it always holds 0, as the authors'
  ``QuantAct``), or with ``range_momentum`` an exponential moving average of the batch ranges
  (as TensorFlow's quantization-aware training keeps them). Under ``tf.distribute`` the batch
  range is that of the global batch (gathered from every replica), so every replica keeps the
  same range.

Reference:
    Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 3.1 and the
    authors' ``Quant_Conv2d`` / ``Quant_Linear`` / ``QuantAct`` modules (per-channel weight ranges
    from the current weights; running activation min/max).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.quantize.fake_quant import check_bits, fake_quantize, per_channel_range

__all__ = ["ActivationQuantizer", "QuantConv2D", "QuantDense", "QuantReLU"]


def _global_extreme(value, reduce):
    """``reduce`` (tf.reduce_min / max) of a scalar over every replica of the strategy."""
    context = tf.distribute.get_replica_context()
    if context is None or tf.distribute.get_strategy().num_replicas_in_sync == 1:
        return value
    return reduce(context.all_gather(tf.reshape(value, [1]), axis=0))


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ActivationQuantizer(keras.layers.Layer):
    """Per-tensor fake quantization of activations over their running ``[min, max]`` range.

    In training (``training=True``) the range is first updated with the batch, then the batch is
    quantized; at inference the stored range is used, values outside it are clamped (gradient 0
    there). Before any training call (range ``[0, 0]``) the batch's own range is used.

    Args:
        bits: activation bit width, in [2, 16].
        momentum: ``None`` for the range of every activation seen (it only grows), or ``m`` in
            [0, 1) for ``range <- m range + (1 - m) batch range`` (the first batch sets it).
            Defaults to `None`.
        **kwargs: passed to ``keras.layers.Layer``.

    Raises:
        ValueError: for ``bits`` outside [2, 16] or ``momentum`` outside [0, 1).

    Reference:
        Liu et al. 2021, Section 3.1; the authors' ``QuantAct`` (running min/max).
    """

    def __init__(self, bits: int, momentum: float | None = None, **kwargs):
        super().__init__(**kwargs)
        self.bits = check_bits("activation_bits", bits)
        if momentum is not None and not 0.0 <= float(momentum) < 1.0:
            raise UserError("`range_momentum` must be None or in [0, 1). Received: "
                            f"range_momentum={momentum!r}")
        self.momentum = None if momentum is None else float(momentum)
        self.range_min = self.add_weight(name="range_min", shape=(), initializer="zeros",
                                         trainable=False, aggregation="only_first_replica")
        self.range_max = self.add_weight(name="range_max", shape=(), initializer="zeros",
                                         trainable=False, aggregation="only_first_replica")

    def build(self, input_shape):
        del input_shape  # the range variables are scalars, created in __init__

    def call(self, inputs, training=None):
        batch_min = _global_extreme(tf.reduce_min(tf.stop_gradient(inputs)), tf.reduce_min)
        batch_max = _global_extreme(tf.reduce_max(tf.stop_gradient(inputs)), tf.reduce_max)
        if training:
            self._update_range(batch_min, batch_max)
        lo = tf.convert_to_tensor(self.range_min)
        hi = tf.convert_to_tensor(self.range_max)
        calibrated = hi > lo
        lo, hi = tf.where(calibrated, lo, batch_min), tf.where(calibrated, hi, batch_max)
        return fake_quantize(inputs, lo, hi, self.bits)

    def _update_range(self, batch_min, batch_max):
        if self.momentum is None:
            self.range_min.assign(tf.minimum(self.range_min, batch_min))
            self.range_max.assign(tf.maximum(self.range_max, batch_max))
            return
        started = self.range_max > self.range_min
        m = self.momentum
        self.range_min.assign(tf.where(started, m * self.range_min + (1 - m) * batch_min,
                                       batch_min))
        self.range_max.assign(tf.where(started, m * self.range_max + (1 - m) * batch_max,
                                       batch_max))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "bits": self.bits, "momentum": self.momentum}


def _is_relu(activation) -> bool:
    return activation is keras.activations.relu


class _QuantizedKernel:
    """Mixin of :class:`QuantConv2D` and :class:`QuantDense`: the bit widths, the kernel on its
    per-output-channel grid, and the activation quantizer after a fused ReLU (Liu et al. 2021,
    Section 3.1)."""

    def __init__(self, *args, weight_bits: int, activation_bits: int,
                 range_momentum: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_bits = check_bits("weight_bits", weight_bits)
        self.activation_bits = check_bits("activation_bits", activation_bits)
        self.activation_quantizer = (
            ActivationQuantizer(activation_bits, range_momentum, name="act_quant")
            if _is_relu(self.activation) else None)
        self.range_momentum = range_momentum

    def quantized_kernel(self):
        """The kernel on its per-output-channel ``weight_bits`` grid (straight-through)."""
        lo, hi = per_channel_range(self.kernel)
        return fake_quantize(self.kernel, lo, hi, self.weight_bits)

    def activate(self, outputs, training):
        """The layer's activation, then the activation quantizer after a ReLU."""
        if self.activation is not None:
            outputs = self.activation(outputs)
        if self.activation_quantizer is not None:
            outputs = self.activation_quantizer(outputs, training=training)
        return outputs

    def get_config(self):
        return {**super().get_config(), "weight_bits": self.weight_bits,
                "activation_bits": self.activation_bits, "range_momentum": self.range_momentum}


@keras.saving.register_keras_serializable(package="tfgan_kit")
class QuantConv2D(_QuantizedKernel, keras.layers.Conv2D):
    """``keras.layers.Conv2D`` with a per-output-channel fake-quantized kernel.

    Args:
        weight_bits: kernel bit width, in [2, 16].
        activation_bits: bit width of the quantizer after a fused ReLU, in [2, 16].
        range_momentum: that quantizer's range momentum (:class:`ActivationQuantizer`).
            Defaults to `None`.
        **kwargs: ``keras.layers.Conv2D`` arguments.

    Raises:
        ValueError: for a bit width outside [2, 16].

    Reference:
        Liu et al. 2021, Section 3.1; the authors' ``Quant_Conv2d``.
    """

    def call(self, inputs, training=None):
        outputs = self.convolution_op(inputs, self.quantized_kernel())
        if self.use_bias:
            outputs = outputs + tf.reshape(self.bias, (1, 1, 1, self.filters)
                                           if self.data_format == "channels_last"
                                           else (1, self.filters, 1, 1))
        return self.activate(outputs, training)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class QuantDense(_QuantizedKernel, keras.layers.Dense):
    """``keras.layers.Dense`` with a per-output-unit fake-quantized kernel.

    Args:
        weight_bits: kernel bit width, in [2, 16].
        activation_bits: bit width of the quantizer after a fused ReLU, in [2, 16].
        range_momentum: that quantizer's range momentum (:class:`ActivationQuantizer`).
            Defaults to `None`.
        **kwargs: ``keras.layers.Dense`` arguments.

    Raises:
        ValueError: for a bit width outside [2, 16].

    Reference:
        Liu et al. 2021, Section 3.1; the authors' ``Quant_Linear``.
    """

    def call(self, inputs, training=None):
        outputs = tf.matmul(inputs, self.quantized_kernel())
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activate(outputs, training)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class QuantReLU(keras.layers.Layer):
    """A ReLU (``keras.layers.ReLU``'s arguments) followed by a per-tensor
    :class:`ActivationQuantizer`.

    Args:
        activation_bits: bit width, in [2, 16].
        range_momentum: the quantizer's range momentum (:class:`ActivationQuantizer`).
            Defaults to `None`.
        max_value, negative_slope, threshold: as in ``keras.layers.ReLU``. Default to `None`,
            `0.0`, `0.0`.
        **kwargs: passed to ``keras.layers.Layer``.

    Raises:
        ValueError: for a bit width outside [2, 16].

    Reference:
        Liu et al. 2021, Section 3.1; the authors' ``QuantAct`` after each ReLU.
    """

    def __init__(self, activation_bits: int, range_momentum: float | None = None,
                 max_value=None, negative_slope: float = 0.0, threshold: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.activation_bits = check_bits("activation_bits", activation_bits)
        self.range_momentum = range_momentum
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold
        self.activation_quantizer = ActivationQuantizer(activation_bits, range_momentum,
                                                        name="act_quant")

    def build(self, input_shape):
        self.activation_quantizer.build(input_shape)

    def call(self, inputs, training=None):
        outputs = keras.activations.relu(inputs, negative_slope=self.negative_slope,
                                         max_value=self.max_value, threshold=self.threshold)
        return self.activation_quantizer(outputs, training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation_bits": self.activation_bits,
                "range_momentum": self.range_momentum, "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}
