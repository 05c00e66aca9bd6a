"""FID and PRDC speed on Inception-sized features, with a same-run baseline.

    nice python benchmarks/metrics_speed.py            # 10,000 x 2048 (issue 3's sizes)
    python benchmarks/metrics_speed.py --num=2000 --dim=512   # quick look

FID: tfgan_kit's trace of the matrix square root (symmetric eigen-decompositions) against the
scipy.linalg.sqrtm formula (the original TTUR / pytorch-fid computation) on the same
covariances, timed in the same run; prints both times, the speed ratio and the value
difference. PRDC: precision, recall, density and coverage of 10k x 10k x 2048 features in
batched distance blocks; prints seconds and the peak memory of the call (tracemalloc, which
sees numpy's allocations) next to the size the full distance matrices would take.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

if __name__ == "__main__":  # before anything imports TensorFlow: filter its start-up lines
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import numpy as np  # noqa: E402
import scipy.linalg  # noqa: E402

from tfgan_kit.metrics.frechet_distance import frechet_distance_from_statistics  # noqa: E402
from tfgan_kit.metrics.precision_recall import precision_recall_density_coverage  # noqa: E402


def inception_like_features(num: int, dim: int, seed: int, shift: float) -> np.ndarray:
    """Non-negative, correlated features (ReLU of a random linear map), as pool3 features."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(num, 256))
    mixing = np.random.default_rng(123).normal(size=(256, dim)) / 16.0
    noise = 0.5 * rng.normal(size=(num, dim))
    return np.maximum(latent @ mixing + noise + shift, 0.0).astype(np.float32)


def fid_with_sqrtm(mu_a, sigma_a, mu_b, sigma_b) -> float:
    """The reference formula: ``scipy.linalg.sqrtm`` of the product, real part."""
    root = scipy.linalg.sqrtm(sigma_a @ sigma_b)
    root = root.real if np.iscomplexobj(root) else root
    diff = mu_a - mu_b
    return float(diff @ diff + np.trace(sigma_a) + np.trace(sigma_b) - 2.0 * np.trace(root))


def bench_fid(a: np.ndarray, b: np.ndarray) -> None:
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    start = time.perf_counter()
    stats = (a64.mean(0), np.cov(a64, rowvar=False), b64.mean(0), np.cov(b64, rowvar=False))
    stats_seconds = time.perf_counter() - start

    start = time.perf_counter()
    ours = frechet_distance_from_statistics(*stats)
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    reference = fid_with_sqrtm(*stats)
    reference_seconds = time.perf_counter() - start

    print(f"FID on {a.shape[0]:,} x {a.shape[1]} features per set (float64)")
    print(f"  mean + covariance of both sets (shared): {stats_seconds:8.2f} s")
    print(f"  tfgan_kit (Cholesky + eigvalsh trace):   {ours_seconds:8.2f} s   FID = {ours:.6f}")
    print(f"  scipy.linalg.sqrtm formula:              {reference_seconds:8.2f} s   "
          f"FID = {reference:.6f}")
    print(f"  speed-up: {reference_seconds / ours_seconds:.1f}x   |difference| = "
          f"{abs(ours - reference):.2e} (relative {abs(ours - reference) / abs(reference):.2e})")


def bench_prdc(real: np.ndarray, fake: np.ndarray) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    result = precision_recall_density_coverage(real, fake)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    full = 3 * len(real) * len(fake) * 8
    print(f"PRDC on {len(real):,} real x {len(fake):,} fake x {real.shape[1]} features "
          "(precision/recall k=3, density/coverage k=5, one pass)")
    print("  " + ", ".join(f"{key} = {value:.4f}" for key, value in result.items()))
    print(f"  time: {seconds:.1f} s   peak memory of the call: {peak / 2**30:.2f} GiB "
          f"(inputs as float64 included; the three full float64 distance matrices alone would "
          f"be {full / 2**30:.2f} GiB)")
    print(f"  process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num", type=int, default=10_000, help="samples per set")
    parser.add_argument("--dim", type=int, default=2048, help="feature dimension")
    parser.add_argument("--skip_prdc", action="store_true", help="only time FID")
    args = parser.parse_args()
    real = inception_like_features(args.num, args.dim, seed=0, shift=0.0)
    fake = inception_like_features(args.num, args.dim, seed=1, shift=0.05)
    bench_fid(real, fake)
    if not args.skip_prdc:
        bench_prdc(real, fake)


if __name__ == "__main__":
    main()
