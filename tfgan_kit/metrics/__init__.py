"""Evaluation metrics for generative models: pure functions on arrays of features or images.

Every metric cites its paper and defaults in its docstring; see issue 3 and the README.
"""

from tfgan_kit.metrics.frechet_distance import (
    FeatureStatistics,
    frechet_distance,
    frechet_distance_from_statistics,
)
from tfgan_kit.metrics.inception_score import MeanStd, inception_score
from tfgan_kit.metrics.interpolation import interpolate_latents, save_image_grid
from tfgan_kit.metrics.kernel_distance import kernel_distance
from tfgan_kit.metrics.ms_ssim import ms_ssim_diversity
from tfgan_kit.metrics.mode_coverage import ModeCoverage, mode_coverage
from tfgan_kit.metrics.parzen import parzen_log_likelihood
from tfgan_kit.metrics.sliced_wasserstein import sliced_wasserstein_distance
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
    "interpolate_latents",
    "kernel_distance",
    "mode_coverage",
    "ms_ssim_diversity",
    "parzen_log_likelihood",
    "precision_recall",
    "precision_recall_density_coverage",
    "save_image_grid",
    "sliced_wasserstein_distance",
]
