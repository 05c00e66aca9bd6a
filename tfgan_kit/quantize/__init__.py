"""Fake quantization of Keras models, as ZAQ's quantized model Q (Liu et al., CVPR 2021).

``quantize_model(model, weight_bits, activation_bits)`` copies a Sequential or functional model
with per-output-channel asymmetric uniform weight quantization of Conv2D / Dense, per-tensor
activation quantization after each ReLU over a running range, straight-through gradients, and
BatchNormalization in float.

Reference: Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 3.1.
"""

from tfgan_kit.quantize.fake_quant import (
    check_bits,
    fake_quantize,
    per_channel_range,
    quantization_grid,
)
from tfgan_kit.quantize.layers import ActivationQuantizer, QuantConv2D, QuantDense, QuantReLU
from tfgan_kit.quantize.model import calibrate_activation_ranges, quantize_model

__all__ = [
    "ActivationQuantizer",
    "calibrate_activation_ranges",
    "QuantConv2D",
    "QuantDense",
    "QuantReLU",
    "check_bits",
    "fake_quantize",
    "per_channel_range",
    "quantization_grid",
    "quantize_model",
]
