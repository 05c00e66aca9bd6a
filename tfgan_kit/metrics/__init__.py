"""Evaluation metrics for generative models: pure functions on arrays of features or images.

Each metric cites its paper, equation and defaults in its docstring. Feature extractors
(`InceptionFeatures`, `ClassifierFeatures`, `train_digits_classifier`) turn images into the
features FID, KID, precision/recall and density/coverage compare; `MetricsCallback` computes
chosen metrics during ``fit``; ``python -m tfgan_kit.evaluate`` is the command line.
"""

from tfgan_kit.metrics.frechet_distance import (
    FeatureStatistics,
    frechet_distance,
    frechet_distance_from_statistics,
)
from tfgan_kit.metrics.inception_score import MeanStd, inception_score
from tfgan_kit.metrics.interpolation import (
    interpolate_latents,
    save_interpolation_grid,
    write_interpolation_figure,
)
from tfgan_kit.metrics.kernel_distance import kernel_distance
from tfgan_kit.metrics.mode_coverage import ModeCoverage, mode_coverage
from tfgan_kit.metrics.ms_ssim import ms_ssim, ms_ssim_diversity
from tfgan_kit.metrics.parzen import parzen_log_likelihood
from tfgan_kit.metrics.precision_recall import (
    density_coverage,
    precision_recall,
    precision_recall_density_coverage,
)
from tfgan_kit.metrics.sliced_wasserstein import sliced_wasserstein_distance

# The feature extractors need TensorFlow/Keras; they are imported on first use (PEP 562) so
# that the array metrics above stay importable with numpy and scipy alone.
_LAZY = {
    "ClassifierFeatures": "tfgan_kit.metrics.features",
    "FeatureExtractor": "tfgan_kit.metrics.features",
    "Features": "tfgan_kit.metrics.features",
    "InceptionFeatures": "tfgan_kit.metrics.features",
    "train_digits_classifier": "tfgan_kit.metrics.features",
    "MetricsCallback": "tfgan_kit.metrics.callback",
    "classification_accuracy": "tfgan_kit.metrics.classification",
    "cluster_accuracy": "tfgan_kit.metrics.classification",
    "train_supervised_baseline": "tfgan_kit.metrics.classification",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tfgan_kit.metrics' has no attribute {name!r}")

__all__ = [
    "ClassifierFeatures",
    "FeatureExtractor",
    "FeatureStatistics",
    "Features",
    "InceptionFeatures",
    "MeanStd",
    "MetricsCallback",
    "ModeCoverage",
    "density_coverage",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "inception_score",
    "interpolate_latents",
    "kernel_distance",
    "mode_coverage",
    "ms_ssim",
    "ms_ssim_diversity",
    "parzen_log_likelihood",
    "precision_recall",
    "precision_recall_density_coverage",
    "save_interpolation_grid",
    "sliced_wasserstein_distance",
    "train_digits_classifier",
    "write_interpolation_figure",
    "classification_accuracy",
    "cluster_accuracy",
    "train_supervised_baseline",
]
