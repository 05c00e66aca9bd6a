"""Mode coverage of every scheme on PacGAN's ring of 8 and grid of 25 Gaussians, in one table.

    python benchmarks/mode_coverage.py                      # every scheme, ring and grid, 3 seeds
    python benchmarks/mode_coverage.py --schemes=gan,wgan_gp --mixtures=ring --seeds=0,1,2
    python benchmarks/mode_coverage.py --cache_dir=/tmp/mode_coverage   # resumable (48 runs, ~3 h)

Each run is ``train.py``'s path (``train_and_evaluate``) with the scheme's own config
(``configs/<scheme>_ring.py`` / ``configs/<scheme>_grid.py``) and only the seed changed; then
2,500 samples from a fixed z are scored with the PacGAN protocol (Lin et al. 2018, Sec. 5.1:
modes with at least one sample within 3 std, the fraction of such "high-quality" samples, and the
reverse KL of their mode histogram). The table gives the mean ± std over the seeds and, for the
ring, PacGAN's published rows (Table 1 of the paper, their own nets and budget, so a point of
reference rather than a like-for-like comparison). The ``gan`` rows are the baseline of this
invocation; every row shows its modes and high-quality fraction as a ratio to it.
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import hashlib  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCHEMES = ("gan", "lsgan", "wgan", "wgan_gp", "dragan", "ebgan", "began", "fgan")
MIXTURES = ("ring", "grid")
#: PacGAN (Lin et al. 2018) Table 1, ring of 8: modes, % high quality, reverse KL.
PACGAN_RING = {"GAN (PacGAN Table 1)": (6.3, 98.2, 0.45), "PacGAN4 (PacGAN Table 1)": (7.8, 95.9, 0.07)}


def load_config(module: str, seed: int, epochs: int | None):
    """``module``'s config with ``seed`` (and ``epochs`` if given)."""
    config = importlib.import_module(module).get_config()
    config.seed = seed
    if epochs:
        config.train.epochs = epochs
    return config


def train_config(module: str, seed: int, epochs: int | None):
    """Trains ``module``'s config (``train.py``'s path) with ``seed`` (and ``epochs`` if given)
    in a temporary workdir; returns ``(config, model, seconds)``."""
    from tfgan_kit.training import train_and_evaluate

    config = load_config(module, seed, epochs)
    config.train.verbose = "0"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        model = train_and_evaluate(config, workdir)
    return config, model, time.perf_counter() - started


def run_one(scheme: str, mixture: str, seed: int, epochs: int | None) -> tuple[float, ...]:
    """Trains ``configs/<scheme>_<mixture>.py`` with ``seed``; returns (modes, % HQ, KL, s)."""
    import tensorflow as tf

    from tfgan_kit.metrics.mode_coverage import PACGAN_NUM_SAMPLES, mode_coverage
    from tfgan_kit.registry import get_dataset

    config, model, seconds = train_config(f"configs.{scheme}_{mixture}", seed, epochs)
    spec = get_dataset(config.data.name)(config, config.train.batch_size)
    z = tf.random.stateless_normal([PACGAN_NUM_SAMPLES, model.latent_dim], seed=[1000 + seed, 0])
    samples = np.asarray(model.generate(z, training=False))
    result = mode_coverage(samples, spec.reference_points, spec.reference_std)
    return result.modes, 100 * result.high_quality_fraction, result.reverse_kl, seconds


def config_digest(scheme: str, mixture: str, seed: int, epochs: int | None) -> str:
    """A short hash of the run's full config, so a cached result is reused only for the same run."""
    config = load_config(f"configs.{scheme}_{mixture}", seed, epochs)
    return hashlib.sha256(config.to_json_best_effort(sort_keys=True).encode()).hexdigest()[:12]


def cached_run(scheme: str, mixture: str, seed: int, epochs: int | None,
               cache_dir: str | None) -> tuple[float, ...]:
    """``run_one``, reading/writing ``<cache_dir>/<scheme>_<mixture>_<seed>_<digest>.json`` when a
    cache directory is given, so an interrupted table resumes where it stopped."""
    if not cache_dir:
        return run_one(scheme, mixture, seed, epochs)
    path = os.path.join(cache_dir, f"{scheme}_{mixture}_{seed}_"
                                   f"{config_digest(scheme, mixture, seed, epochs)}.json")
    if os.path.exists(path):
        with open(path) as f:
            return tuple(json.load(f)["result"])
    result = tuple(float(v) for v in run_one(scheme, mixture, seed, epochs))
    os.makedirs(cache_dir, exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump({"scheme": scheme, "mixture": mixture, "seed": seed, "epochs": epochs,
                   "result": result, "date": time.strftime("%Y-%m-%d")}, f)
    os.replace(path + ".tmp", path)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemes", default=",".join(SCHEMES))
    parser.add_argument("--mixtures", default=",".join(MIXTURES))
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--epochs", type=int, default=None,
                        help="override every config's epochs (quick looks only)")
    parser.add_argument("--cache_dir", default=None,
                        help="keep each run's result here and reuse it (resumable table)")
    args = parser.parse_args()
    schemes = [s for s in args.schemes.split(",") if s]
    mixtures = [m for m in args.mixtures.split(",") if m]
    seeds = [int(s) for s in args.seeds.split(",") if s]
    unknown = [s for s in schemes if s not in SCHEMES] + [m for m in mixtures if m not in MIXTURES]
    if unknown:
        sys.exit(f"error: unknown {unknown}: schemes are {list(SCHEMES)}, mixtures "
                 f"{list(MIXTURES)}.")
    rows = {}
    for mixture in mixtures:
        for scheme in schemes:
            results = []
            for seed in seeds:
                results.append(cached_run(scheme, mixture, seed, args.epochs, args.cache_dir))
                modes, hq, kl, seconds = results[-1]
                print(f"{scheme:>8s} {mixture} seed {seed}: {modes}/{8 if mixture == 'ring' else 25}"
                      f" modes, {hq:.1f}% HQ, reverse KL {kl:.3f} ({seconds:.0f} s)", flush=True)
            rows[scheme, mixture] = np.asarray(results, dtype=np.float64)
    print()
    print(f"{'scheme':<26s}{'mixture':<9s}{'modes':>14s}{'% high quality':>18s}"
          f"{'reverse KL':>16s}{'modes / gan':>13s}{'HQ / gan':>10s}{'s / run':>9s}")
    for (scheme, mixture), values in rows.items():
        with warnings.catch_warnings():  # a column all NaN (no high-quality sample: no KL)
            warnings.simplefilter("ignore", RuntimeWarning)
            mean, std = np.nanmean(values, axis=0), np.nanstd(values, axis=0)
        base = rows.get(("gan", mixture))
        ratio = ("" if base is None else
                 f"{mean[0] / max(np.nanmean(base[:, 0]), 1e-9):13.2f}"
                 f"{mean[1] / max(np.nanmean(base[:, 1]), 1e-9):10.2f}")
        print(f"{scheme:<26s}{mixture:<9s}{mean[0]:8.1f} ± {std[0]:<3.1f}{mean[1]:11.1f} ± "
              f"{std[1]:<4.1f}{mean[2]:9.3f} ± {std[2]:<5.3f}{ratio}{mean[3]:9.0f}")
    if "ring" in mixtures:
        for name, (modes, hq, kl) in PACGAN_RING.items():
            print(f"{name:<26s}{'ring':<9s}{modes:8.1f}{'':6s}{hq:11.1f}{'':7s}{kl:9.3f}")
    print(f"\n{len(seeds)} seeds ({','.join(map(str, seeds))}), 2,500 samples each; "
          "mean ± std over seeds.")


if __name__ == "__main__":
    main()
