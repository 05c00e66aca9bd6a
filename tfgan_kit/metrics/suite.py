"""Named metric sets on image arrays, shared by the evaluate CLI and `MetricsCallback`."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Callable, NamedTuple, Sequence

import numpy as np

from tfgan_kit.errors import UserError
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


class MinImages(NamedTuple):
    """The fewest images a metric can be computed on, and why."""

    real: int
    generated: int
    why: str


#: Metrics that need more than 2 real and 2 generated images: a point's k-nearest-neighbour ball
#: needs k other points, and `compute_metrics` runs PRDC with k = 3 for precision/recall (in each
#: set) and k = 5 for density/coverage (in the real set) (Kynkäänniemi et al. 2019; Naeem et al.
#: 2020).
MIN_IMAGES = {"prdc": MinImages(6, 4, "its k = 3 and k = 5 nearest neighbours")}


class MetricInfo(NamedTuple):
    """How to read one metric key: its unit/scale, which way is better, and its real yardstick.

    ``better`` is ``"lower"``, ``"higher"``, ``"~1"``, ``"closer to real"`` or ``"-"`` (a spread
    or a fitted parameter, not a score). ``floor_kind`` names what the same metric of held-out
    real images means: ``"floor"`` (held-out real vs the reference real images: what a perfect
    generator scores with this many samples) or ``"real data"`` (a metric of the generated set
    alone, e.g. IS, MS-SSIM: the real images' own value). ``unit`` may hold ``{features}`` (the
    feature space) and ``{resolution}`` placeholders, filled by `metric_info`.
    """

    unit: str
    better: str
    floor_kind: str
    paper: str


_FEATURES = "{features} features"
#: Unit, direction and paper of every key `compute_metrics` can return (see `metric_info`).
METRIC_INFO = {
    "fid": MetricInfo(f"squared Fréchet distance, {_FEATURES}", "lower", "floor",
                      "Heusel et al. 2017"),
    "kid": MetricInfo(f"MMD^2 (cubic kernel), {_FEATURES}; raw, not x10^3; can be < 0",
                      "lower", "floor", "Bińkowski et al. 2018"),
    "kid_std": MetricInfo("std of kid over 100 subsets (kid's scale)", "-", "floor",
                          "Bińkowski et al. 2018"),
    "is": MetricInfo("exp E KL(p(y|x) || p(y)), {features} classes; 1..#classes", "higher",
                     "real data", "Salimans et al. 2016"),
    "is_std": MetricInfo("std of is over <= 10 splits", "-", "real data",
                         "Salimans et al. 2016"),
    "precision": MetricInfo(f"share of generated in real 3-NN balls, {_FEATURES}", "higher",
                            "floor", "Kynkäänniemi et al. 2019"),
    "recall": MetricInfo(f"share of real in generated 3-NN balls, {_FEATURES}", "higher",
                         "floor", "Kynkäänniemi et al. 2019"),
    "density": MetricInfo(f"generated in real 5-NN balls / 5 per sample, {_FEATURES}; > 1 "
                          "crowds real modes", "~1", "floor", "Naeem et al. 2020"),
    "coverage": MetricInfo(f"share of real 5-NN balls holding a generated, {_FEATURES}",
                           "higher", "floor", "Naeem et al. 2020"),
    "swd_x1e3_<resolution>": MetricInfo("SWD x10^3, 7x7 Laplacian-pyramid patches at "
                                        "{resolution}x{resolution}", "lower", "floor",
                                        "Karras et al. 2018"),
    "swd_x1e3_avg": MetricInfo("SWD x10^3, mean over the pyramid levels", "lower", "floor",
                               "Karras et al. 2018"),
    "ms_ssim": MetricInfo("mean MS-SSIM of pairs, 0..1; lower = more diverse",
                          "closer to real", "real data", "Odena et al. 2017"),
    "parzen_log_likelihood": MetricInfo("nats/image, Gaussian KDE on pixels in [-1, 1] "
                                        "(unreliable: Theis et al. 2016)", "higher", "floor",
                                        "Goodfellow et al. 2014"),
    "parzen_standard_error": MetricInfo("standard error of parzen_log_likelihood (nats)", "-",
                                        "floor", "Goodfellow et al. 2014"),
    "parzen_sigma": MetricInfo("KDE bandwidth chosen on real images (pixels)", "-", "floor",
                               "Goodfellow et al. 2014"),
}
_SWD_LEVEL = re.compile(r"swd_x1e3_(\d+)")


def metric_info(key: str, features: str | None = None) -> dict[str, str]:
    """``{"unit", "better", "floor_kind", "paper"}`` of a key returned by `compute_metrics`.

    Fills `features` (e.g. ``report["features"]``, ``"digits_classifier_32"``) into the unit and
    resolves the per-level SWD keys (``swd_x1e3_32``; Karras et al. 2018, PGGAN, Sec. 5). The
    directions follow each metric's paper: FID (Heusel et al. 2017), KID (Bińkowski et al.
    2018), IS (Salimans et al. 2016), precision/recall (Kynkäänniemi et al. 2019),
    density/coverage (Naeem et al. 2020), MS-SSIM diversity (Odena et al. 2017), Parzen
    (Goodfellow et al. 2014).

    Raises:
        KeyError: for a key `compute_metrics` does not return.
    """
    level = _SWD_LEVEL.fullmatch(key)
    if level:
        info, resolution = METRIC_INFO["swd_x1e3_<resolution>"], level.group(1)
    else:
        info, resolution = METRIC_INFO[key], ""
    unit = info.unit.format(features=features or "extractor", resolution=resolution)
    return {"unit": unit, "better": info.better, "floor_kind": info.floor_kind,
            "paper": info.paper}


def minimum_images(name: str) -> MinImages:
    """``(real, generated, why)``: the fewest images metric ``name`` can be computed on.

    2 of each (a covariance, a kernel mean over pairs, a pair of images) unless
    :data:`MIN_IMAGES` says more (PRDC's nearest neighbours).
    """
    return MIN_IMAGES.get(name, MinImages(2, 2, "a spread needs two images"))


def parse_metric_names(names: str | Sequence[str]) -> tuple[str, ...]:
    """Validates metric names given as ``"fid,kid"`` or a sequence; keeps order, drops repeats.

    Raises:
        ValueError: naming an unknown metric and listing the valid ones.
    """
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in names if name not in METRIC_KEYS]
    if unknown or not names:
        raise UserError(
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
    on_metric: Callable[[str, dict[str, float], float], None] | None = None,
) -> dict[str, float]:
    """Computes the named metrics of generated images against real images.

    ``fid``: `frechet_distance`; ``kid``: `kernel_distance` (100 subsets of <= 1000);
    ``is``: `inception_score` (10 splits, on the generated images' probabilities); ``prdc``:
    `precision_recall_density_coverage` (k = 3 and 5); ``swd``: `sliced_wasserstein_distance`
    on ``min(n_real, n_fake)`` images of each set; ``ms_ssim``: `ms_ssim_diversity` of the
    generated images; ``parzen``: `parzen_log_likelihood` of the second half of the real images
    with sigma chosen on the first half (pixels, flattened). The metrics run in the order of
    `METRIC_KEYS`; each key's unit, direction and paper (Heusel et al. 2017, Bińkowski et al.
    2018, Salimans et al. 2016, Kynkäänniemi et al. 2019, Naeem et al. 2020, Karras et al.
    2018, Odena et al. 2017, Goodfellow et al. 2014) are in `METRIC_INFO` / `metric_info`.

    Args:
        names: metric names (see `METRIC_KEYS`), as ``"fid,kid"`` or a sequence.
        real_images: ``[n_real, H, W, C]`` in [-1, 1].
        fake_images: ``[n_fake, H, W, C]`` in [-1, 1].
        extractor: features for fid/kid/is/prdc (e.g. `ClassifierFeatures`).
        seed: seed of KID subsets and SWD patches/directions. Defaults to `0`.
        real_features: precomputed ``extractor(real_images)`` (to reuse across calls).
        on_metric: optional progress callback, called as ``on_metric(name, values, seconds)``
            after the feature extraction (``name="features"``, ``values={}``) and after each
            metric (``values`` holds that metric's keys), with its wall time in seconds.

    Returns:
        A flat ``{key: float}`` dict (keys in `METRIC_KEYS`).

    Raises:
        ValueError: on unknown names, or a feature metric without an extractor.
    """
    names = parse_metric_names(names)
    needs_features = FEATURE_METRICS.intersection(names)
    if needs_features and extractor is None:
        raise UserError(
            f"Metrics {sorted(needs_features)} need a feature extractor: pass `extractor` "
            "(e.g. ClassifierFeatures or InceptionFeatures)."
        )
    results: dict[str, float] = {}

    def run(name: str, compute: Callable[[], dict]) -> None:
        start = time.perf_counter()
        values = {key: float(value) for key, value in compute().items()}
        results.update(values)
        if on_metric is not None:
            on_metric(name, values, time.perf_counter() - start)

    real = fake = None

    def extract() -> dict:
        nonlocal real, fake
        real = real_features if real_features is not None else extractor(real_images)
        fake = extractor(fake_images)
        return {}

    if needs_features:
        run("features", extract)
    for name in METRIC_KEYS:  # a fixed order, whatever the order of `names`
        if name in names:
            run(name, lambda name=name: _metric(name, real_images, fake_images, real, fake, seed))
    return results


def _metric(name, real_images, fake_images, real, fake, seed) -> dict:
    """One metric of `compute_metrics` (the papers are cited in `METRIC_INFO`)."""
    if name == "fid":
        return {"fid": frechet_distance(real.features, fake.features)}
    if name == "kid":
        kid, kid_std = kernel_distance(real.features, fake.features, seed=seed)
        return {"kid": kid, "kid_std": kid_std}
    if name == "is":
        score, score_std = inception_score(
            fake.probabilities, splits=min(10, len(fake.probabilities))
        )
        return {"is": score, "is_std": score_std}
    if name == "prdc":
        return precision_recall_density_coverage(real.features, fake.features)
    if name == "swd":
        count = min(len(real_images), len(fake_images))
        return sliced_wasserstein_distance(real_images[:count], fake_images[:count], seed=seed)
    if name == "ms_ssim":
        return {"ms_ssim": ms_ssim_diversity(fake_images)}
    half = len(real_images) // 2  # parzen
    parzen = parzen_log_likelihood(
        fake_images.reshape(len(fake_images), -1),
        test=real_images[half:].reshape(len(real_images) - half, -1),
        validation=real_images[:half].reshape(half, -1),
    )
    return {
        "parzen_log_likelihood": parzen["log_likelihood"],
        "parzen_standard_error": parzen["standard_error"],
        "parzen_sigma": parzen["sigma"],
    }
