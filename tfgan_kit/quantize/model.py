"""``quantize_model``: a fake-quantized copy of a Keras model, as ZAQ's quantized model Q.

Conv2D and Dense become :class:`~tfgan_kit.quantize.QuantConv2D` /
:class:`~tfgan_kit.quantize.QuantDense` (weights per output channel); every ReLU (a ReLU layer,
``Activation("relu")`` or a layer's fused ``activation="relu"``) is followed by a per-tensor
activation quantizer with a running range; BatchNormalization and every other layer are copied
unchanged (in float). The copy starts from the model's current weights.

Reference:
    Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 3.1 and the
    authors' ``quantize_model`` (the same replacements on a copy of the full-precision model).
"""

from __future__ import annotations

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.quantize.fake_quant import check_bits
from tfgan_kit.quantize.layers import ActivationQuantizer, QuantConv2D, QuantDense, QuantReLU

__all__ = ["calibrate_activation_ranges", "quantize_model"]


def _is_plain(layer, cls) -> bool:
    return type(layer) is cls  # subclasses (already quantized, custom) are not replaced


def _quantized_layer(layer, weight_bits: int, activation_bits: int, range_momentum):
    config = layer.get_config()
    bits = {"activation_bits": activation_bits, "range_momentum": range_momentum}
    if _is_plain(layer, keras.layers.Conv2D):
        return QuantConv2D.from_config({**config, "weight_bits": weight_bits, **bits})
    if _is_plain(layer, keras.layers.Dense):
        return QuantDense.from_config({**config, "weight_bits": weight_bits, **bits})
    if _is_plain(layer, keras.layers.ReLU):
        return QuantReLU.from_config({**config, **bits})
    if _is_plain(layer, keras.layers.Activation) and config["activation"] == "relu":
        return QuantReLU(activation_bits, range_momentum, name=config["name"])
    return layer.__class__.from_config(config)


def quantize_model(model: keras.Model, weight_bits: int, activation_bits: int,
                   name: str | None = None, range_momentum: float | None = None) -> keras.Model:
    """A fake-quantized copy of a Sequential or functional Keras model.

    Args:
        model: a built ``keras.Sequential`` or functional ``keras.Model`` (not a subclassed one).
        weight_bits: bit width of Conv2D / Dense kernels (per output channel), in [2, 16].
        activation_bits: bit width of the activations after each ReLU (per tensor), in [2, 16].
        name: name of the copy. Defaults to `f"{model.name}_w{weight_bits}a{activation_bits}"`.
        range_momentum: ``None`` to keep every activation range as the range of all activations
            seen in training (the authors' ``QuantAct``), or a momentum in [0, 1) for moving
            averages of the batch ranges. Defaults to `None`.

    Returns:
        A new model of the same structure and weights, with quantized layers; the original is
        untouched. Its activation ranges start at ``[0, 0]`` and grow in training calls.

    Raises:
        ValueError: for a bit width outside [2, 16], a ``range_momentum`` outside [0, 1), or a
            model that is not Sequential or functional.

    Reference:
        Liu et al. 2021, Section 3.1.
    """
    weight_bits = check_bits("weight_bits", weight_bits)
    activation_bits = check_bits("activation_bits", activation_bits)
    if range_momentum is not None and not 0.0 <= float(range_momentum) < 1.0:
        raise UserError("`range_momentum` must be None or in [0, 1). Received: "
                        f"range_momentum={range_momentum!r}")
    functional = isinstance(model, keras.Model) and isinstance(model, keras.Function)
    if not (isinstance(model, keras.Sequential) or functional) or not model.built:
        raise UserError(
            "`model` must be a built keras.Sequential or functional keras.Model (give "
            f"Sequential models an Input). Received: {type(model).__name__}"
        )
    copy = keras.models.clone_model(
        model, clone_function=lambda layer: _quantized_layer(layer, weight_bits,
                                                             activation_bits, range_momentum))
    for source, target in zip(model.layers, copy.layers, strict=True):
        for value, variable in zip(source.weights, target.weights):
            variable.assign(value)
    copy.name = name or f"{model.name}_w{weight_bits}a{activation_bits}"
    return copy


def calibrate_activation_ranges(model: keras.Model, images, batch_size: int = 256) -> None:
    """Grows every activation range of a quantized model to hold its activations on ``images``.

    Runs ``model`` in training mode with its BatchNormalization layers frozen (inference mode),
    so only the running ranges change: the calibration of a quantized model without
    fine-tuning (on real images it uses data; on noise it stays data-free).

    Args:
        model: a model from :func:`quantize_model`.
        images: ``[n, ...]`` inputs.
        batch_size: images per forward pass. Defaults to `256`.

    Raises:
        ValueError: when ``model`` has no activation quantizer.

    Reference:
        Liu et al. 2021, Section 3.1 (running activation ranges of the quantized model).
    """
    if not any(isinstance(layer, ActivationQuantizer) for layer in model._flatten_layers()):
        raise UserError(f"{model.name} has no activation quantizer: pass a model from "
                        "quantize_model.")
    norms = [layer for layer in model._flatten_layers()
             if isinstance(layer, keras.layers.BatchNormalization) and layer.trainable]
    for layer in norms:
        layer.trainable = False
    try:
        for start in range(0, len(images), batch_size):
            model(images[start:start + batch_size], training=True)
    finally:
        for layer in norms:
            layer.trainable = True
