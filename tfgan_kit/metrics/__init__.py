"""Evaluation metrics for generative models: pure functions on arrays of features or images.

Every metric cites its paper and defaults in its docstring; see issue 3 and the README.
"""

from tfgan_kit.metrics.mode_coverage import ModeCoverage, mode_coverage

__all__ = [
    "ModeCoverage",
    "mode_coverage",
]
