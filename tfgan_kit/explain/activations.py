"""Unit activations of a Keras layer, top-quantile thresholds, and upsampled binary unit masks.

Network Dissection (Bau et al., CVPR 2017), Sec. 2.2: for unit k with activation maps A_k(x), the
threshold T_k is the top quantile level such that P(a_k > T_k) = 0.005 over every spatial position
of every image; each map is upsampled bilinearly to the concept-mask resolution and the unit's mask
is M_k(x) = S_k(x) >= T_k (the official code uses ``>``, as here). Mu & Andreas (NeurIPS 2020)
reuse this step unchanged.

Thresholds here are exact (``numpy.quantile`` over all values of a unit), not the official code's
streaming approximation.
"""

from __future__ import annotations

from typing import Iterator, Sequence

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError

DEFAULT_QUANTILE = 0.005


def _feature_model(model: keras.Model, layer_name: str) -> keras.Model:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise UserError(f"No layer named {layer_name!r} in the model. Layers: {names}")
    try:
        inputs = model.inputs
    except AttributeError:
        inputs = None
    if not inputs:
        raise UserError(
            "The model has no symbolic inputs (a subclassed model that was never built on a "
            "keras.Input); wrap it in a functional or Sequential model."
        )
    return keras.Model(inputs, model.get_layer(layer_name).output)


def collect_activations(
    model: keras.Model, layer_name: str, images: tf.data.Dataset | np.ndarray, batch_size: int = 64
) -> np.ndarray:
    """Runs ``images`` through ``model`` and returns the outputs of layer ``layer_name``.

    Args:
        model: a functional or Sequential Keras model (classifier, GAN discriminator, ...).
        layer_name: the layer whose units are explained; its output must be ``[B, h, w, units]``.
        images: a batched ``tf.data.Dataset`` of images (or ``(images, ...)`` tuples), or a numpy
            array ``[N, H, W, C]`` (batched here with ``batch_size``).
        batch_size: batch size for numpy input. Defaults to `64`.

    Returns:
        float32 ``[N, h, w, units]``, in dataset order.

    Raises:
        ValueError: for an unknown layer, a model without inputs, or a non-convolutional output.
    """
    features = _feature_model(model, layer_name)
    if isinstance(images, np.ndarray):
        images = tf.data.Dataset.from_tensor_slices(images).batch(batch_size)
    outputs = []
    for batch in images:
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        out = np.asarray(features(batch, training=False), dtype=np.float32)
        if out.ndim != 4:
            raise UserError(
                f"Layer {layer_name!r} outputs shape {out.shape}; units need spatial maps "
                "[batch, h, w, units] (pick a convolutional layer)."
            )
        outputs.append(out)
    if not outputs:
        raise UserError("`images` is empty: pass at least one batch.")
    return np.concatenate(outputs)


def quantile_thresholds(activations: np.ndarray, quantile: float = DEFAULT_QUANTILE) -> np.ndarray:
    """Per-unit threshold T_k with P(a_k > T_k) = ``quantile`` over all images and positions.

    Args:
        activations: ``[N, h, w, units]``.
        quantile: top fraction of activations above the threshold. Defaults to `0.005`
            (Bau et al. 2017, Sec. 2.2).

    Returns:
        float64 ``[units]``: ``numpy.quantile(values, 1 - quantile)`` per unit (linear
        interpolation between order statistics).

    Raises:
        ValueError: if ``quantile`` is not in (0, 1) or the input is not 4-D.
    """
    if not 0.0 < quantile < 1.0:
        raise UserError(f"`quantile` must be in (0, 1). Received: quantile={quantile}")
    activations = np.asarray(activations)
    if activations.ndim != 4:
        raise UserError(
            f"`activations` must be [N, h, w, units]. Received: shape={activations.shape}"
        )
    values = activations.reshape(-1, activations.shape[-1])
    return np.quantile(values, 1.0 - quantile, axis=0)


def bilinear_matrix(in_size: int, out_size: int) -> np.ndarray:
    """``[out_size, in_size]`` weights of 1-D bilinear resizing with half-pixel centres.

    Output pixel i samples source coordinate (i + 0.5) * in/out - 0.5, clamped to the edge pixels:
    the convention of ``tf.image.resize(method="bilinear")`` and PIL's ``BILINEAR`` upsampling.
    """
    source = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
    source = np.clip(source, 0.0, in_size - 1)
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, in_size - 1)
    frac = source - low
    weights = np.zeros((out_size, in_size))
    np.add.at(weights, (np.arange(out_size), low), 1.0 - frac)
    np.add.at(weights, (np.arange(out_size), high), frac)
    return weights


def upsample_bilinear(maps: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Bilinearly resizes the last two axes of ``maps`` ``[..., h, w]`` to ``size`` ``(H, W)``."""
    maps = np.asarray(maps, dtype=np.float32)
    rows = bilinear_matrix(maps.shape[-2], size[0]).astype(np.float32)
    cols = bilinear_matrix(maps.shape[-1], size[1]).astype(np.float32)
    return np.einsum("ih,...hw,jw->...ij", rows, maps, cols, optimize=True)


def unit_masks(
    activations: np.ndarray, thresholds: np.ndarray, mask_size: tuple[int, int], unit: int
) -> np.ndarray:
    """Binary masks ``[N, H, W]`` of one unit: upsampled activation > its threshold.

    Bilinear upsampling is a convex combination, so an image whose maximum activation is at most the
    threshold has an empty mask; such images are skipped (as in the official code).

    Args:
        activations: ``[N, h, w, units]``.
        thresholds: ``[units]`` from :func:`quantile_thresholds`.
        mask_size: ``(H, W)`` of the concept masks.
        unit: which unit.

    Returns:
        Boolean ``[N, H, W]``.
    """
    maps = activations[..., unit]
    threshold = thresholds[unit]
    masks = np.zeros((maps.shape[0],) + tuple(mask_size), dtype=bool)
    hit = np.flatnonzero(maps.reshape(maps.shape[0], -1).max(axis=1) > threshold)
    if hit.size:
        masks[hit] = upsample_bilinear(maps[hit], mask_size) > threshold
    return masks


def iter_unit_masks(
    activations: np.ndarray,
    thresholds: np.ndarray,
    mask_size: tuple[int, int],
    units: Sequence[int] | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yields ``(unit, masks [N, H, W])`` for each unit (all units by default)."""
    units = range(activations.shape[-1]) if units is None else units
    for unit in units:
        yield unit, unit_masks(activations, thresholds, mask_size, unit)
