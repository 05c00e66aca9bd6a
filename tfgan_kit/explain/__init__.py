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

import importlib
import sys
import types

# Imported on first use (PEP 562), not here: importing this package must not import TensorFlow,
# because `python -m tfgan_kit.explain` (and `-m tfgan_kit.explain.demo|gan_demo`) import it
# before their own module runs, and those mains must call `tfgan_kit.quiet.quiet_start()` before
# TensorFlow starts (it filters TF's native start-up lines from stderr). Calling quiet_start here
# instead would take over stderr of every program that merely imports the package.
_EXPORTS = {
    "collect_activations": "activations",
    "quantile_thresholds": "activations",
    "unit_masks": "activations",
    "upsample_bilinear": "activations",
    "iou": "bitmasks",
    "pack": "bitmasks",
    "unpack": "bitmasks",
    "ProbeData": "broden",
    "load_broden": "broden",
    "ConceptSet": "concepts",
    "broadcast_image_labels": "concepts",
    "Dissection": "dissect",
    "dissect": "dissect",
    "explain_activations": "dissect",
    "And": "formula",
    "Formula": "formula",
    "Leaf": "formula",
    "Neighbors": "formula",
    "Not": "formula",
    "Or": "formula",
    "parse": "formula",
    "nearest_concepts": "neighbors",
    "write_report": "report",
    "BeamSearch": "search",
    "Explanation": "search",
    "explain_unit": "search",
    "ShapesData": "shapes",
    "shapes_dataset": "shapes",
}
_SUBMODULES = ("activations", "bitmasks", "broden", "concepts", "dissect", "formula",
               "neighbors", "report", "search", "shapes")


def __getattr__(name: str):
    """Imports an exported name's (or a submodule's) module on first access."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    """The module's names, with the exported ones not imported yet."""
    return sorted(set(globals()) | set(_EXPORTS) | set(_SUBMODULES))


class _Package(types.ModuleType):
    """This package's module type: the function `dissect` keeps its name over its submodule."""

    def __setattr__(self, name, value):
        """Stores ``value``; for the submodule ``dissect`` (set by the import system once it is
        imported), its function ``dissect`` instead, as the eager imports of this package did."""
        if name == "dissect" and isinstance(value, types.ModuleType):
            value = value.dissect
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
