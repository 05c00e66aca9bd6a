"""Explain every unit of a Keras layer: activations -> thresholds -> unit masks -> beam search.

The full pipeline of Compositional Explanations of Neurons (Mu & Andreas, NeurIPS 2020, Sec. 2) on
top of Network Dissection's unit masks (Bau et al., CVPR 2017, Sec. 2.2).
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.explain.activations import (
    DEFAULT_QUANTILE,
    collect_activations,
    iter_unit_masks,
    quantile_thresholds,
)
from tfgan_kit.explain.concepts import ConceptSet
from tfgan_kit.explain.search import BeamSearch, Explanation


@dataclasses.dataclass
class Dissection:
    """Per-unit explanations of one layer.

    Attributes:
        layer: the layer name.
        explanations: unit index -> :class:`Explanation`.
        activations: float32 ``[N, h, w, units]`` of the layer over the probe images.
        thresholds: ``[units]`` top-quantile thresholds.
        mask_size: ``(H, W)`` of the concept masks.
    """

    layer: str
    explanations: dict[int, Explanation]
    activations: np.ndarray
    thresholds: np.ndarray
    mask_size: tuple[int, int]


def explain_activations(
    activations: np.ndarray,
    concepts: ConceptSet,
    units: Sequence[int] | None = None,
    quantile: float = DEFAULT_QUANTILE,
    search: BeamSearch | None = None,
    layer: str = "",
) -> Dissection:
    """Explains units from precomputed activations ``[N, h, w, units]``.

    Args:
        activations: the layer's activations over the N probe images (same order as the concepts).
        concepts: the concept masks ``[N, H, W]``.
        units: which units. Defaults to `None` (all).
        quantile: activation quantile for the unit masks. Defaults to `0.005`.
        search: a configured :class:`BeamSearch`. Defaults to `None` (beam 5, length 3).
        layer: layer name recorded in the result.

    Returns:
        A :class:`Dissection`.
    """
    if activations.shape[0] != concepts.mask_shape[0]:
        raise UserError(
            f"{activations.shape[0]} images of activations but concepts cover "
            f"{concepts.mask_shape[0]} images; use the same probe images for both."
        )
    search = search or BeamSearch(concepts)
    thresholds = quantile_thresholds(activations, quantile)
    mask_size = concepts.mask_shape[1:]
    explanations = {
        unit: search.explain(concepts.pack_unit(masks))
        for unit, masks in iter_unit_masks(activations, thresholds, mask_size, units)
    }
    return Dissection(layer, explanations, activations, thresholds, mask_size)


def dissect(
    model: keras.Model,
    layer_name: str,
    images: np.ndarray | tf.data.Dataset,
    concepts: ConceptSet,
    units: Sequence[int] | None = None,
    beam_size: int = 5,
    max_length: int = 3,
    complexity_penalty: float = 1.0,
    quantile: float = DEFAULT_QUANTILE,
    batch_size: int = 64,
) -> Dissection:
    """Explains the units of ``model``'s layer ``layer_name`` with logical formulas of concepts.

    Args:
        model: a functional or Sequential Keras model (classifier, GAN discriminator).
        layer_name: a layer with output ``[B, h, w, units]``.
        images: probe images ``[N, H, W, C]`` in the model's input range, or a batched dataset.
        concepts: concept masks over the same N images.
        units: which units. Defaults to `None` (all).
        beam_size: beam width. Defaults to `5`.
        max_length: maximum formula length. Defaults to `3`.
        complexity_penalty: length penalty factor. Defaults to `1.0`.
        quantile: activation quantile. Defaults to `0.005`.
        batch_size: batch size for numpy images. Defaults to `64`.

    Returns:
        A :class:`Dissection`.
    """
    activations = collect_activations(model, layer_name, images, batch_size)
    search = BeamSearch(concepts, beam_size, max_length, complexity_penalty)
    return explain_activations(activations, concepts, units, quantile, search, layer_name)
