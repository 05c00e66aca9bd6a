"""Evaluation metrics for generative models: pure functions on arrays of features or images.

Every metric cites its paper and defaults in its docstring; see issue 3 and the README.
"""

from tfgan_kit.metrics.frechet_distance import (
    FeatureStatistics,
    frechet_distance,
    frechet_distance_from_statistics,
)
from tfgan_kit.metrics.inception_score import MeanStd, inception_score
from tfgan_kit.metrics.kernel_distance import kernel_distance
from tfgan_kit.metrics.mode_coverage import ModeCoverage, mode_coverage
from tfgan_kit.metrics.precision_recall import (
    density_coverage,
    precision_recall,
    precision_recall_density_coverage,
)

__all__ = [
    "FeatureStatistics",
    "MeanStd",
    "ModeCoverage",
    "density_coverage",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "inception_score",
    "kernel_distance",
    "mode_coverage",
    "precision_recall",
    "precision_recall_density_coverage",
]
