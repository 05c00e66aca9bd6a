"""FID and SWD of every loss-family scheme's digits config beside the GAN's, in one table.

    nice python benchmarks/digits_quality.py                       # every scheme, seed 0
    nice python benchmarks/digits_quality.py --schemes=gan,wgan_gp --num_samples=2000

Each run is ``train.py``'s path (``train_and_evaluate``) with the scheme's own digits config
(``configs/<scheme>_digits.py``; the GAN's is ``configs/dcgan_digits.py``: DCGAN nets, the embedded
scikit-learn digits at 32x32) and its defaults. Then ``--num_samples`` images from a fixed z are
scored by `tfgan_kit.evaluate.evaluate_images` against the real digits: FID on the features of the
offline digits classifier (Heusel et al. 2017, with `train_digits_classifier`'s features; not
comparable with Inception FIDs) and PGGAN's sliced Wasserstein distance (Karras et al. 2018, Sec.
5, mean over the Laplacian-pyramid levels, x10^3). The last rows are the floor: held-out real
digits scored the same way (what a perfect generator reaches with this many samples). The
``gan`` row is the baseline of the invocation; every row gives its FID as a ratio to it. The
check that samples are recognisable digits is the ``confident`` column: the share of samples
that the 8x8 digits classifier (`train_digits_classifier`, 98.9% on its held-out digits), fed
the samples average-pooled 4x4 back to 8x8, assigns to one class with probability >= 0.9 (real
held-out digits: the floor row).
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCHEMES = ("gan", "lsgan", "wgan", "wgan_gp", "dragan", "ebgan", "began", "fgan")
CONFIDENT = 0.9


def config_module(scheme: str) -> str:
    """``configs.<scheme>_digits`` (the GAN's digits config is ``configs.dcgan_digits``)."""
    return "configs.dcgan_digits" if scheme == "gan" else f"configs.{scheme}_digits"


def confident_share(images: np.ndarray, classifier) -> float:
    """Share of 32x32 ``images`` that the 8x8 digits classifier, fed them average-pooled 4x4,
    gives one class with probability >= 0.9."""
    import tensorflow as tf

    small = tf.nn.avg_pool2d(np.asarray(images, np.float32), 4, 4, "VALID")
    probabilities = np.asarray(classifier.predict(small, batch_size=500, verbose=0))
    return float(np.mean(probabilities.max(axis=-1) >= CONFIDENT))


def run_one(scheme: str, seed: int, num_samples: int, epochs: int | None, classifier):
    """Trains the scheme's digits config; returns (FID, SWD, floors, confident share, seconds)."""
    import tensorflow as tf

    from benchmarks.mode_coverage import train_config
    from tfgan_kit.evaluate import evaluate_images

    _, model, seconds = train_config(config_module(scheme), seed, epochs)
    z = tf.random.stateless_normal([num_samples, model.latent_dim], seed=[2000 + seed, 0])
    fake = np.concatenate([np.asarray(model.generate(z[i:i + 500], training=False))
                           for i in range(0, num_samples, 500)])
    report = evaluate_images(np.clip(fake, -1.0, 1.0), dataset="digits", metrics="fid,swd",
                             seed=seed, verbose=False)
    return (report["metrics"]["fid"], report["metrics"]["swd_x1e3_avg"],
            report["floor"]["fid"], report["floor"]["swd_x1e3_avg"],
            confident_share(fake, classifier), seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemes", default=",".join(SCHEMES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num_samples", type=int, default=898,
                        help="generated images (898 = the held-out real digits of the floor)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="override every config's epochs (quick looks only)")
    args = parser.parse_args()
    schemes = [s for s in args.schemes.split(",") if s]
    unknown = [s for s in schemes if s not in SCHEMES]
    if unknown:
        sys.exit(f"error: unknown schemes {unknown}: choose from {list(SCHEMES)}.")

    from tfgan_kit.evaluate import split_real_images
    from tfgan_kit.metrics import train_digits_classifier

    classifier = train_digits_classifier(image_size=8)
    rows, floors = {}, []
    for scheme in schemes:
        fid, swd, floor_fid, floor_swd, confident, seconds = run_one(
            scheme, args.seed, args.num_samples, args.epochs, classifier)
        rows[scheme] = (fid, swd, confident, seconds)
        floors.append((floor_fid, floor_swd))
        print(f"{scheme:>8s}: FID {fid:.2f}, SWD x1e3 {swd:.2f}, confident {100 * confident:.1f}%"
              f" ({seconds:.0f} s)", flush=True)
    _, held_out, _ = split_real_images("digits", 32, 1, args.num_samples, args.num_samples,
                                       "train", None, args.seed, None, load_held_out=True)
    real_confident = confident_share(held_out, classifier)
    print()
    print(f"{'scheme (config)':<34s}{'FID':>9s}{'SWD x1e3':>10s}{'confident':>11s}"
          f"{'FID / gan':>11s}{'train s':>9s}")
    base = rows.get("gan")
    for scheme, (fid, swd, confident, seconds) in rows.items():
        ratio = f"{fid / base[0]:11.2f}" if base else f"{'':11s}"
        name = f"{scheme} ({config_module(scheme).split('.')[-1]})"
        print(f"{name:<34s}{fid:9.2f}{swd:10.2f}{100 * confident:10.1f}%{ratio}{seconds:9.0f}")
    floor = np.mean(floors, axis=0)
    print(f"{'held-out real digits (floor)':<34s}{floor[0]:9.2f}{floor[1]:10.2f}"
          f"{100 * real_confident:10.1f}%")
    print(f"\nseed {args.seed}, {args.num_samples} generated images each; FID on the digits "
          "classifier's features; confident: max class probability >= 0.9.")


if __name__ == "__main__":
    main()
