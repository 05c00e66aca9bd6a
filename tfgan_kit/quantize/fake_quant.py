"""Uniform asymmetric fake quantization with a straight-through estimator, as ZAQ quantizes.

A range ``[lo, hi]`` is split into ``2^k - 1`` equal steps: ``scale = (2^k - 1) / (hi - lo)``,
``zero = round(scale * lo)``; a value becomes the integer ``q = clamp(round(scale * x) - zero,
0, 2^k - 1)`` and is read back as ``(q + zero) / scale``. Gradients go straight through
(Bengio et al. 2013): the derivative is 1 for ``lo <= x <= hi`` and 0 outside, where the value
is clamped; the range itself receives no gradient (it is computed from detached tensors).

Reference:
    Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 3.1 (uniform
    quantization of weights and activations; the authors' ``AsymmetricQuantFunction``, a signed
    shift of the same integer grid); Bengio, Leonard, Courville 2013, "Estimating or Propagating
    Gradients Through Stochastic Neurons" (straight-through estimator).
"""

from __future__ import annotations

import tensorflow as tf

from tfgan_kit.errors import UserError

__all__ = ["check_bits", "fake_quantize", "per_channel_range", "quantization_grid"]

_MIN_SPAN = 1e-8  # a constant channel still gets a finite scale


def check_bits(name: str, bits) -> int:
    """Returns ``bits`` as an int in [2, 16].

    Raises:
        ValueError: naming ``name`` and the value otherwise.
    """
    if isinstance(bits, bool) or not isinstance(bits, int) or not 2 <= bits <= 16:
        raise UserError(f"`{name}` must be an integer in [2, 16]. Received: {name}={bits!r}")
    return bits


def quantization_grid(lo, hi, bits: int):
    """``(scale, zero)`` of the ``bits``-bit grid spanning ``[lo, hi]``.

    Args:
        lo, hi: range bounds (broadcastable tensors).
        bits: bit width k.

    Returns:
        ``scale = (2^k - 1) / max(hi - lo, 1e-8)`` and ``zero = round(scale * lo)``.

    Reference:
        Liu et al. 2021, Section 3.1 (asymmetric uniform quantizer).
    """
    levels = float(2**bits - 1)
    scale = levels / tf.maximum(hi - lo, _MIN_SPAN)
    return scale, tf.round(scale * lo)


def fake_quantize(x, lo, hi, bits: int):
    """Quantizes ``x`` to the ``bits``-bit grid of ``[lo, hi]`` and back, with a clipped STE.

    Args:
        x: float tensor.
        lo, hi: range bounds broadcastable to ``x`` (e.g. ``[1, 1, 1, C]`` per output channel of
            a kernel ``[kh, kw, in, C]``, scalars per tensor); no gradient flows into them.
        bits: bit width k.

    Returns:
        ``(clamp(round(scale * x) - zero, 0, 2^k - 1) + zero) / scale``, whose gradient with
        respect to ``x`` is 1 inside ``[lo, hi]`` and 0 outside.

    Reference:
        Liu et al. 2021, Section 3.1; Bengio et al. 2013 (straight-through estimator).
    """
    lo, hi = tf.stop_gradient(tf.cast(lo, x.dtype)), tf.stop_gradient(tf.cast(hi, x.dtype))
    scale, zero = quantization_grid(lo, hi, bits)
    integers = tf.clip_by_value(tf.round(scale * x) - zero, 0.0, float(2**bits - 1))
    quantized = (integers + zero) / scale
    # The value of `quantized`, the gradient of clip(x, lo, hi): 1 inside the range, 0 outside.
    clipped = tf.minimum(tf.maximum(x, lo), hi)
    return clipped + tf.stop_gradient(quantized - clipped)


def per_channel_range(kernel):
    """``(min, max)`` of every output channel (last axis) of a kernel, kept broadcastable.

    Args:
        kernel: ``[..., out_channels]`` (Conv2D ``[kh, kw, in, out]``, Dense ``[in, out]``).

    Returns:
        Two tensors of shape ``[1, ..., 1, out_channels]``, without gradient.

    Reference:
        Liu et al. 2021, Section 3.1 (per-channel weight ranges of the authors' quantized
        convolution and linear layers).
    """
    kernel = tf.stop_gradient(kernel)
    axes = list(range(len(kernel.shape) - 1))
    return (tf.reduce_min(kernel, axis=axes, keepdims=True),
            tf.reduce_max(kernel, axis=axes, keepdims=True))
