"""ZAQ's two-level discrepancy between a full-precision model P and its quantized copy Q.

* Output level, ``D_o``: the mean absolute difference of the two models' logits.
* Intermediate level, ``D_f``: per layer l and example, the channel relation map ``R^l`` is the
  C x C matrix of cosine similarities between the layer's channels (each channel flattened over
  its spatial positions); the layer's discrepancy ``d_l`` is the mean absolute difference of P's
  and Q's maps, and ``D_f = sum_l w_l d_l``, with layer weights ``w`` from a softmax over the
  layer discrepancies kept as an exponential moving average (so the layers where the models
  differ most weigh most, without the weights jumping from batch to batch).

The quantized model minimises ``D_o + alpha D_f``; the generator maximises it (plus an activation
term): :mod:`tfgan_kit.models.zaq`.

Reference:
    Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 3.2
    (two-level discrepancy modeling: the output discrepancy and the intermediate inter-channel
    discrepancy with adaptive layer weights). The authors' released code replaces D_f by a
    spatial + channel attention loss (its ``SCRM``); this module follows the paper.
"""

from __future__ import annotations

from typing import Sequence

import tensorflow as tf

from tfgan_kit.errors import UserError

__all__ = [
    "channel_relation_discrepancy",
    "channel_relation_map",
    "layer_weight_update",
    "output_discrepancy",
    "relation_discrepancies",
]


def output_discrepancy(full_precision_logits, quantized_logits):
    """``D_o = E_x[(1/K) ||P(x) - Q(x)||_1]``: mean absolute difference of the logits.

    Args:
        full_precision_logits: P's logits ``[batch, K]``.
        quantized_logits: Q's logits, same shape.

    Returns:
        A scalar.

    Reference:
        Liu et al. 2021, Section 3.2, output discrepancy (L1 rather than KL: KL vanishes when
        both models are confident, so it cannot drive the generator).
    """
    return tf.reduce_mean(tf.abs(tf.cast(full_precision_logits, tf.float32)
                                 - tf.cast(quantized_logits, tf.float32)))


def channel_relation_map(features):
    """Per example, the C x C cosine similarities between the channels of ``features``.

    Args:
        features: ``[batch, ..., C]`` (channels last, e.g. ``[batch, H, W, C]``).

    Returns:
        ``[batch, C, C]``: entry (i, j) is ``<f_i, f_j> / (||f_i|| ||f_j||)`` with ``f_i``
        channel i flattened over the spatial positions. A dead (all-zero) channel, common
        after a quantized ReLU, has similarity 0 and passes no gradient (dividing it by a small
        epsilon instead would send a gradient of 1/epsilon back through it).

    Reference:
        Liu et al. 2021, Section 3.2 (channel relation map).
    """
    features = tf.cast(features, tf.float32)
    batch, channels = tf.shape(features)[0], tf.shape(features)[-1]
    flat = tf.reshape(features, [batch, -1, channels])  # [batch, positions, C]
    squared = tf.reduce_sum(tf.square(flat), axis=1, keepdims=True)
    alive = squared > 0
    norms = tf.where(alive, tf.sqrt(tf.where(alive, squared, 1.0)), 0.0)  # no NaN gradient at 0
    unit = tf.math.divide_no_nan(flat, norms)
    return tf.matmul(unit, unit, transpose_a=True)


def relation_discrepancies(full_precision_features: Sequence, quantized_features: Sequence):
    """``d_l``: the mean absolute difference of P's and Q's channel relation maps, per layer.

    Args:
        full_precision_features: P's feature maps, one ``[batch, ..., C_l]`` tensor per layer.
        quantized_features: Q's, the same layers in the same order.

    Returns:
        ``[L]``: ``d_l = E_x[(1/C_l^2) ||R_P^l(x) - R_Q^l(x)||_1]``.

    Raises:
        ValueError: when the two lists differ in length or are empty.

    Reference:
        Liu et al. 2021, Section 3.2 (inter-channel discrepancy of one layer).
    """
    if len(full_precision_features) != len(quantized_features) or not quantized_features:
        raise UserError(
            "D_f compares the same layers of both models: give as many full-precision as "
            f"quantized feature maps, at least one. Received: {len(full_precision_features)} "
            f"and {len(quantized_features)}."
        )
    return tf.stack([
        tf.reduce_mean(tf.abs(channel_relation_map(p) - channel_relation_map(q)))
        for p, q in zip(full_precision_features, quantized_features)
    ])


def channel_relation_discrepancy(full_precision_features: Sequence, quantized_features: Sequence,
                                 layer_weights):
    """``D_f = sum_l w_l d_l``: the weighted inter-channel discrepancy.

    Args:
        full_precision_features, quantized_features: see :func:`relation_discrepancies`.
        layer_weights: ``[L]`` weights ``w`` (no gradient flows into them), e.g. kept by
            :func:`layer_weight_update`.

    Returns:
        ``(D_f, d)``: the scalar and the per-layer discrepancies ``[L]``.

    Reference:
        Liu et al. 2021, Section 3.2 (weighted inter-channel discrepancy).
    """
    discrepancies = relation_discrepancies(full_precision_features, quantized_features)
    weights = tf.stop_gradient(tf.cast(layer_weights, tf.float32))
    return tf.reduce_sum(weights * discrepancies), discrepancies


def layer_weight_update(layer_weights, discrepancies, momentum: float):
    """The moving average of the layer weights: ``w <- m w + (1 - m) softmax(d)``.

    Args:
        layer_weights: current ``[L]`` weights (start uniform, ``1 / L``).
        discrepancies: the layers' current ``d_l`` ``[L]`` (no gradient).
        momentum: ``m`` in [0, 1).

    Returns:
        The new ``[L]`` weights (they still sum to 1).

    Raises:
        ValueError: for ``momentum`` outside [0, 1).

    Reference:
        Liu et al. 2021, Section 3.2 (adaptive layer weights as a softmax over the layer
        discrepancies, smoothed by a moving average).
    """
    if not 0.0 <= momentum < 1.0:
        raise UserError(f"`momentum` must be in [0, 1). Received: momentum={momentum!r}")
    target = tf.nn.softmax(tf.stop_gradient(tf.cast(discrepancies, tf.float32)))
    return momentum * tf.cast(layer_weights, tf.float32) + (1.0 - momentum) * target
