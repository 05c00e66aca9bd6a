"""Named metric sets on image arrays, shared by the evaluate CLI and `MetricsCallback`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from tfgan_kit.metrics.frechet_distance import frechet_distance
from tfgan_kit.metrics.inception_score import inception_score
from tfgan_kit.metrics.kernel_distance import kernel_distance
from tfgan_kit.metrics.ms_ssim import ms_ssim_diversity
from tfgan_kit.metrics.parzen import parzen_log_likelihood
from tfgan_kit.metrics.precision_recall import precision_recall_density_coverage
from tfgan_kit.metrics.sliced_wasserstein import sliced_wasserstein_distance

if TYPE_CHECKING:
    from tfgan_kit.metrics.features import FeatureExtractor, Features

#: Metric names accepted by `compute_metrics` (and ``--metrics``), with the keys each writes.
METRIC_KEYS = {
    "fid": ("fid",),
    "kid": ("kid", "kid_std"),
    "is": ("is", "is_std"),
    "prdc": ("precision", "recall", "density", "coverage"),
    "swd": ("swd_x1e3_<resolution>...", "swd_x1e3_avg"),
    "ms_ssim": ("ms_ssim",),
    "parzen": ("parzen_log_likelihood", "parzen_standard_error", "parzen_sigma"),
}
#: Metrics computed on features of a `FeatureExtractor` rather than on pixels.
FEATURE_METRICS = frozenset({"fid", "kid", "is", "prdc"})


def parse_metric_names(names: str | Sequence[str]) -> tuple[str, ...]:
    """Validates metric names given as ``"fid,kid"`` or a sequence; keeps order, drops repeats.

    Raises:
        ValueError: naming an unknown metric and listing the valid ones.
    """
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in names if name not in METRIC_KEYS]
    if unknown or not names:
        raise ValueError(
            f"Unknown or empty metric names {unknown or names}; choose from "
            f"{', '.join(METRIC_KEYS)}."
        )
    return tuple(dict.fromkeys(names))


def compute_metrics(
    names: str | Sequence[str],
    real_images: np.ndarray,
    fake_images: np.ndarray,
    extractor: FeatureExtractor | None = None,
    seed: int = 0,
    real_features: Features | None = None,
) -> dict[str, float]:
    """Computes the named metrics of generated images against real images.

    ``fid``: `frechet_distance`; ``kid``: `kernel_distance` (100 subsets of <= 1000);
    ``is``: `inception_score` (10 splits, on the generated images' probabilities); ``prdc``:
    `precision_recall_density_coverage` (k = 3 and 5); ``swd``: `sliced_wasserstein_distance`
    on ``min(n_real, n_fake)`` images of each set; ``ms_ssim``: `ms_ssim_diversity` of the
    generated images; ``parzen``: `parzen_log_likelihood` of the second half of the real images
    with sigma chosen on the first half (pixels, flattened).

    Args:
        names: metric names (see `METRIC_KEYS`), as ``"fid,kid"`` or a sequence.
        real_images: ``[n_real, H, W, C]`` in [-1, 1].
        fake_images: ``[n_fake, H, W, C]`` in [-1, 1].
        extractor: features for fid/kid/is/prdc (e.g. `ClassifierFeatures`).
        seed: seed of KID subsets and SWD patches/directions. Defaults to `0`.
        real_features: precomputed ``extractor(real_images)`` (to reuse across calls).

    Returns:
        A flat ``{key: float}`` dict (keys in `METRIC_KEYS`).

    Raises:
        ValueError: on unknown names, or a feature metric without an extractor.
    """
    names = parse_metric_names(names)
    needs_features = FEATURE_METRICS.intersection(names)
    if needs_features and extractor is None:
        raise ValueError(
            f"Metrics {sorted(needs_features)} need a feature extractor: pass `extractor` "
            "(e.g. ClassifierFeatures or InceptionFeatures)."
        )
    results: dict[str, float] = {}
    if needs_features:
        real = real_features if real_features is not None else extractor(real_images)
        fake = extractor(fake_images)
    if "fid" in names:
        results["fid"] = frechet_distance(real.features, fake.features)
    if "kid" in names:
        results["kid"], results["kid_std"] = kernel_distance(
            real.features, fake.features, seed=seed
        )
    if "is" in names:
        results["is"], results["is_std"] = inception_score(
            fake.probabilities, splits=min(10, len(fake.probabilities))
        )
    if "prdc" in names:
        results.update(precision_recall_density_coverage(real.features, fake.features))
    if "swd" in names:
        count = min(len(real_images), len(fake_images))
        results.update(
            sliced_wasserstein_distance(real_images[:count], fake_images[:count], seed=seed)
        )
    if "ms_ssim" in names:
        results["ms_ssim"] = ms_ssim_diversity(fake_images)
    if "parzen" in names:
        half = len(real_images) // 2
        parzen = parzen_log_likelihood(
            fake_images.reshape(len(fake_images), -1),
            test=real_images[half:].reshape(len(real_images) - half, -1),
            validation=real_images[:half].reshape(half, -1),
        )
        results["parzen_log_likelihood"] = parzen["log_likelihood"]
        results["parzen_standard_error"] = parzen["standard_error"]
        results["parzen_sigma"] = parzen["sigma"]
    return {key: float(value) for key, value in results.items()}
