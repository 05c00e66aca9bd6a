"""Compositional explanations of neurons (Mu & Andreas, NeurIPS 2020) on Network Dissection.

Explain a unit of any Keras model with the logical formula of concepts (AND, OR, NOT, NEIGHBORS)
whose pixel mask best matches the unit's top-0.5% activation mask, by dataset-level IoU:

>>> from tfgan_kit.explain import explain_unit
>>> result = explain_unit(unit_masks, concept_masks)          # doctest: +SKIP
>>> print(result.formula, result.iou)                          # doctest: +SKIP
((water OR river) AND (NOT blue)) 0.21

Command line: ``python -m tfgan_kit.explain --keras_model PATH --layer NAME --concepts DIR
--out report/``.
"""

from tfgan_kit.explain.activations import (
    collect_activations,
    quantile_thresholds,
    unit_masks,
    upsample_bilinear,
)
from tfgan_kit.explain.bitmasks import iou, pack, unpack
from tfgan_kit.explain.broden import ProbeData, load_broden
from tfgan_kit.explain.concepts import ConceptSet, broadcast_image_labels
from tfgan_kit.explain.dissect import Dissection, dissect, explain_activations
from tfgan_kit.explain.formula import And, Formula, Leaf, Neighbors, Not, Or, parse
from tfgan_kit.explain.neighbors import nearest_concepts
from tfgan_kit.explain.report import write_report
from tfgan_kit.explain.search import BeamSearch, Explanation, explain_unit
from tfgan_kit.explain.shapes import ShapesData, shapes_dataset

__all__ = [
    "And",
    "BeamSearch",
    "ConceptSet",
    "Dissection",
    "Explanation",
    "Formula",
    "Leaf",
    "Neighbors",
    "Not",
    "Or",
    "ProbeData",
    "ShapesData",
    "broadcast_image_labels",
    "collect_activations",
    "dissect",
    "explain_activations",
    "explain_unit",
    "iou",
    "load_broden",
    "nearest_concepts",
    "pack",
    "parse",
    "quantile_thresholds",
    "shapes_dataset",
    "unit_masks",
    "unpack",
    "upsample_bilinear",
    "write_report",
]
