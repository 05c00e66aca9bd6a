"""Training wall time until a quality target, under ``auto`` and ``float32`` precision, in one run.

    nice python benchmarks/time_to_quality.py                       # both targets, both precisions
    nice python benchmarks/time_to_quality.py --targets=ring --precisions=float32 --epochs=20

Targets (issue 16):

* **ring**: ``configs/gan_ring.py`` (non-saturating GAN, MLPs, PacGAN's ring of 8 Gaussians,
  std 0.01) until its samples first cover 8/8 modes with >= 90% high quality, checked at every
  epoch end (100 steps) with PacGAN's protocol (Lin et al. 2018, Sec. 5.1: 2,500 samples from a
  fixed seed, :class:`tfgan_kit.training.ModeCoverageLog`, i.e.
  :func:`tfgan_kit.metrics.mode_coverage.mode_coverage`);
* **digits**: ``configs/dcgan_digits.py`` (DCGAN on the embedded digits at 32x32) until the FID
  of 898 generated images against the 899 reference digits of
  :func:`tfgan_kit.evaluate.split_real_images` (features of the offline digits classifier,
  :func:`tfgan_kit.metrics.train_digits_classifier` at 32x32; Heusel et al. 2017; not comparable
  with Inception FIDs) is first <= ``--fid`` (default 20), checked at every epoch end with
  :class:`tfgan_kit.metrics.MetricsCallback`.

Each run is built as ``train.py`` builds it (``build_data``, ``registry.get_scheme``,
``steps_per_epoch`` of :mod:`tfgan_kit.training.trainer`) under the config's dtype policy
(``detect_precision``: ``auto`` names what it resolves to), and trained with ``model.fit`` for at
most the config's epochs (``--epochs`` lowers the cap); :class:`QualityStop` stops it at the
first epoch that meets the target ("not reached" otherwise). The sample pictures, TensorBoard
and checkpoints of a full run are left out. ``train s`` is the wall time of the epochs' training
only (:class:`TrainClock` stops at each epoch end before any evaluation), ``eval s`` the time of
the per-epoch checks, ``wall s`` the whole ``fit`` (tracing included). The last lines give the
ratio auto/float32 of the train seconds to reach each target; it mixes speed per epoch
(``s/epoch``) with learning per epoch (``reached at``), which precision changes too.
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import importlib  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import keras  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TARGETS = {"ring": "gan_ring", "digits": "dcgan_digits"}
RING_MODES = 8
RING_HIGH_QUALITY = 0.9
FID_THRESHOLD = 20.0
FID_SAMPLES = 898  # the held-out half of the 1,797 digits; the other 899 are the reference

__all__ = ["ring_reached", "fid_reached", "first_reached", "TrainClock", "QualityStop",
           "format_table", "ratio_line"]


def ring_reached(logs: dict, modes: int = RING_MODES,
                 high_quality: float = RING_HIGH_QUALITY) -> bool:
    """Whether an epoch's logs show ``>= modes`` modes and ``>= high_quality`` high-quality
    samples (PacGAN's protocol; the keys ``modes`` and ``high_quality`` of ``ModeCoverageLog``).

    Raises:
        ValueError: when the logs lack those keys (no ``ModeCoverageLog`` before the check).
    """
    if "modes" not in logs or "high_quality" not in logs:
        raise ValueError(f"Epoch logs {sorted(logs)} lack `modes`/`high_quality`: put "
                         "ModeCoverageLog before QualityStop in the callbacks.")
    return logs["modes"] >= modes and logs["high_quality"] >= high_quality


def fid_reached(logs: dict, threshold: float = FID_THRESHOLD) -> bool:
    """Whether an epoch's ``fid`` is finite and ``<= threshold``.

    Raises:
        ValueError: when the logs lack ``fid`` (no ``MetricsCallback`` before the check).
    """
    if "fid" not in logs:
        raise ValueError(f"Epoch logs {sorted(logs)} lack `fid`: put MetricsCallback(metrics="
                         "'fid') before QualityStop in the callbacks.")
    return math.isfinite(logs["fid"]) and logs["fid"] <= threshold


def first_reached(history: list[dict], reached) -> int | None:
    """The 1-based epoch of the first logs in ``history`` for which ``reached(logs)``, or None."""
    for epoch, logs in enumerate(history, start=1):
        if reached(logs):
            return epoch
    return None


class TrainClock(keras.callbacks.Callback):
    """Wall seconds of each epoch's training, stopped at the epoch's end before the callbacks
    after it (evaluations) run: put it FIRST in the callbacks list."""

    def __init__(self):
        super().__init__()
        self.train_seconds: list[float] = []
        self.epoch_end = 0.0
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_end = time.perf_counter()
        self.train_seconds.append(self.epoch_end - self._start)


class QualityStop(keras.callbacks.Callback):
    """Stops ``fit`` at the first epoch whose logs meet ``reached(logs)``; put it LAST.

    Records each epoch's logs (``history``), the evaluation seconds since ``clock`` stopped
    (``eval_seconds``) and the 1-based epoch that met the target (``reached_epoch``, or None).
    """

    def __init__(self, reached, clock: TrainClock):
        super().__init__()
        self.reached = reached
        self.clock = clock
        self.history: list[dict] = []
        self.eval_seconds: list[float] = []
        self.reached_epoch: int | None = None

    def on_epoch_end(self, epoch, logs=None):
        self.eval_seconds.append(time.perf_counter() - self.clock.epoch_end)
        self.history.append({k: float(v) for k, v in (logs or {}).items()})
        if self.reached_epoch is None and self.reached(self.history[-1]):
            self.reached_epoch = epoch + 1
            self.model.stop_training = True


def format_table(rows: list[dict]) -> str:
    """One line per run: target, precision (resolved policy), epoch reached (or "not reached"
    with the epochs run), train seconds (in all and per epoch: speed apart from learning), eval
    and wall seconds, and the last epoch's figure."""
    lines = [f"{'target (config)':<24s}{'precision':>26s}{'reached at':>16s}{'train s':>9s}"
             f"{'s/epoch':>8s}{'eval s':>8s}{'wall s':>8s}  last figures"]
    for row in rows:
        if row["reached_epoch"] is None:
            when = f"not in {row['epochs_run']} ep"
        else:
            when = f"epoch {row['reached_epoch']}"
        precision = f"{row['precision']} ({row['policy']})"
        per_epoch = row["train_s"] / max(row["epochs_run"], 1)
        lines.append(f"{row['target']:<24s}{precision:>26s}{when:>16s}{row['train_s']:9.1f}"
                     f"{per_epoch:8.2f}{row['eval_s']:8.1f}{row['wall_s']:8.1f}  "
                     f"{row['figures']}")
    return "\n".join(lines)


def ratio_line(target: str, rows: list[dict]) -> str:
    """``<target>: auto/float32 train time to the target R.RRx`` or why there is no ratio."""
    by = {row["precision"]: row for row in rows if row["target"].startswith(target)}
    if "auto" not in by or "float32" not in by:
        return f"{target}: auto/float32 ratio needs both precisions"
    missing = [p for p in ("auto", "float32") if by[p]["reached_epoch"] is None]
    if missing:
        return f"{target}: no auto/float32 ratio, target not reached under {', '.join(missing)}"
    return (f"{target}: auto/float32 train time to the target "
            f"{by['auto']['train_s'] / by['float32']['train_s']:.2f}x")


def run_target(target: str, precision: str, epochs: int | None, fid: float, fid_parts):
    """Trains one target under one precision until it meets its quality target; the row dict."""
    from tfgan_kit import registry
    from tfgan_kit.metrics import MetricsCallback
    from tfgan_kit.metrics.mode_coverage import PACGAN_NUM_SAMPLES
    from tfgan_kit.training.callbacks import ModeCoverageLog
    from tfgan_kit.training.precision import detect_precision, dtype_policy
    from tfgan_kit.training.trainer import (build_data, check_batches, steps_per_call,
                                            steps_per_epoch)

    config = importlib.import_module(f"configs.{TARGETS[target]}").get_config()
    if epochs:
        config.train.epochs = min(epochs, config.train.epochs)
    policy = detect_precision(precision)[0]
    with dtype_policy(policy):
        spec = build_data(config, 0)
        steps = steps_per_epoch(config, spec)
        keras.utils.set_random_seed(config.seed)
        model = registry.get_scheme(config.scheme)(config, spec)
        model.steps_per_execution = steps_per_call(config, steps)  # as the trainer
        check_batches(model, spec, config)
        clock = TrainClock()
        if target == "ring":
            evaluator = ModeCoverageLog(spec, num_samples=PACGAN_NUM_SAMPLES, seed=config.seed)
            stop = QualityStop(ring_reached, clock)
        else:
            reference, extractor = fid_parts
            evaluator = MetricsCallback(reference, metrics="fid", extractor=extractor,
                                        num_samples=FID_SAMPLES, seed=config.seed)
            stop = QualityStop(lambda logs: fid_reached(logs, fid), clock)
        started = time.perf_counter()
        model.fit(spec.dataset, epochs=config.train.epochs, steps_per_epoch=steps,
                  callbacks=[clock, evaluator, stop], verbose=0, shuffle=False)
        wall = time.perf_counter() - started
    last = stop.history[-1]
    figures = (f"{last['modes']:.0f}/8 modes, {100 * last['high_quality']:.1f}% HQ"
               if target == "ring" else f"FID {last['fid']:.2f}")
    return {"target": f"{target} ({TARGETS[target]})", "precision": precision, "policy": policy,
            "reached_epoch": stop.reached_epoch, "epochs_run": len(stop.history),
            "train_s": sum(clock.train_seconds), "eval_s": sum(stop.eval_seconds),
            "wall_s": wall, "figures": figures, "steps_per_epoch": steps}


def digits_fid_parts(seed: int = 0):
    """(899 reference digits at 32x32, the 32x32 digits classifier's feature extractor)."""
    from tfgan_kit.evaluate import build_extractor, split_real_images

    reference, _, _ = split_real_images("digits", 32, 1, 1797 - FID_SAMPLES, FID_SAMPLES,
                                        "train", None, seed, None, load_held_out=False)
    extractor, _ = build_extractor("digits", 32, None, None)
    return reference, extractor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default="ring,digits")
    parser.add_argument("--precisions", default="auto,float32")
    parser.add_argument("--fid", type=float, default=FID_THRESHOLD,
                        help="digits target: FID on the digits classifier's features")
    parser.add_argument("--epochs", type=int, default=None,
                        help="lower the cap of every run's epochs (quick looks only)")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        sys.exit(f"error: unknown targets {unknown}: choose from {sorted(TARGETS)}.")
    precisions = [p for p in args.precisions.split(",") if p]
    from tfgan_kit.training.precision import check_precision

    for precision in precisions:
        check_precision(precision)
    fid_parts = digits_fid_parts() if "digits" in targets else None
    started, rows = time.perf_counter(), []
    for target in targets:
        for precision in precisions:
            rows.append(run_target(target, precision, args.epochs, args.fid, fid_parts))
            print(f"{target} {precision}: {rows[-1]['figures']}", flush=True)
    print(f"\nring: {RING_MODES}/8 modes and >= {100 * RING_HIGH_QUALITY:.0f}% high quality; "
          f"digits: FID <= {args.fid:g} ({FID_SAMPLES} samples); load average "
          f"{os.getloadavg()[0]:.1f}; {time.perf_counter() - started:.0f} s in all")
    print(format_table(rows))
    for target in targets:
        print(ratio_line(target, rows))


if __name__ == "__main__":
    main()
