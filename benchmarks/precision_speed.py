"""Whether ``auto`` precision pays for a config: its train-step samples/s in float32 and under
``auto``, measured alternately in one run, and their ratio.

    python benchmarks/precision_speed.py                                   # the configs below
    python benchmarks/precision_speed.py --configs=cgan_digits,dcgan_digits --repeats=3

The trainer's default precision is ``auto`` (issue 16); a config sets ``precision = "float32"``
where ``auto`` measurably does not pay, and this table is that measurement (README,
Performance). Each measurement is one row of ``benchmarks/schemes_speed.py`` (its ``measure``
in a fresh subprocess: the run built as ``train.py`` builds it, one warm-up epoch, then timed
epochs of ``--steps`` steps), with ``--precision`` overriding the config's own setting. The two
precisions alternate per config, ``--repeats`` times, and the best samples/s of each is kept
(the least disturbed by other work on the machine). ``auto`` resolves on this machine
(:func:`tfgan_kit.training.precision.detect_precision`): on a CPU without bfloat16 both columns
are float32. ``set`` is the config's own ``config.train.precision`` (``-``: the default).
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import importlib  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks.schemes_speed import run_child, samples_per_second  # noqa: E402

#: One config per kind of net: the ring MLPs, the digits DCGAN and the loss family's digits
#: configs, the fully connected conditional / semi-supervised nets, InfoGAN, translation, PGGAN
#: and ZAQ.
DEFAULT_CONFIGS = ("gan_ring", "dcgan_digits", "lsgan_digits", "wgan_digits", "wgan_gp_digits",
                   "dragan_digits", "ebgan_digits", "began_digits", "fgan_digits",
                   "acgan_digits", "cgan_digits", "ssgan_digits", "catgan_digits",
                   "infogan_digits", "pix2pix_shapes", "cyclegan_shapes", "pggan_digits",
                   "zaq_digits")
PRECISIONS = ("float32", "auto")

__all__ = ["DEFAULT_CONFIGS", "best_rates", "format_table"]


def best_rates(results: list[dict]) -> tuple[float, float] | None:
    """The best (wall, per CPU second) samples/s over a config's results under one precision;
    ``None`` when every run failed."""
    rates = [(samples_per_second(r["batch"], r["steps"], r["wall_s"]),
              samples_per_second(r["batch"], r["steps"], r["cpu_s"]))
             for r in results if "error" not in r]
    if not rates:
        return None
    return max(w for w, _ in rates), max(c for _, c in rates)


def format_table(rows: list[tuple[str, str, str, list[dict], list[dict]]]) -> str:
    """One line per ``(config, set, auto_policy, float32_results, auto_results)``: the best
    samples/s of each precision (wall, per CPU second) and auto over float32."""
    lines = [f"{'config':<18s}{'set':>9s}{'auto is':>16s}{'float32/s':>11s}{'per cpu-s':>11s}"
             f"{'auto/s':>10s}{'per cpu-s':>11s}{'wall ratio':>11s}{'cpu ratio':>10s}"]
    for config, setting, policy, base, auto in rows:
        one, other = best_rates(base), best_rates(auto)
        head = f"{config:<18s}{setting:>9s}{policy:>16s}"
        if one is None or other is None:
            failed = next(r for r in (*base, *auto) if "error" in r)
            lines.append(f"{head}  failed: {failed['error']}")
            continue
        lines.append(f"{head}{one[0]:11.1f}{one[1]:11.1f}{other[0]:10.1f}{other[1]:11.1f}"
                     f"{other[0] / one[0]:10.2f}x{other[1] / one[1]:9.2f}x")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default=",".join(DEFAULT_CONFIGS),
                        help="comma-separated names of configs/<name>.py")
    parser.add_argument("--repeats", type=int, default=2, help="measurements per precision")
    parser.add_argument("--steps", type=int, default=15, help="fit steps per timed epoch")
    parser.add_argument("--rounds", type=int, default=2, help="least timed epochs per run")
    parser.add_argument("--min_seconds", type=float, default=4.0,
                        help="least timed wall seconds per run")
    args = parser.parse_args()
    configs = [c for c in args.configs.split(",") if c]
    missing = [c for c in configs if not os.path.exists(os.path.join(ROOT, "configs", c + ".py"))]
    if missing:
        sys.exit(f"error: no configs/<name>.py for {missing}.")
    if args.repeats < 1 or args.steps < 1 or args.rounds < 1:
        sys.exit("error: --repeats, --steps and --rounds must be >= 1.")

    from tfgan_kit.training.precision import detect_precision

    policy, reason = detect_precision("auto")
    started = time.perf_counter()
    rows = []
    for config in configs:
        setting = importlib.import_module(f"configs.{config}").get_config().train.get(
            "precision") or "-"
        runs = {p: [] for p in PRECISIONS}
        for _ in range(args.repeats):
            for precision in PRECISIONS:
                args.precision = precision  # run_child passes it on to the child
                runs[precision].append(run_child(config, config, args))
        rows.append((config, setting, policy, runs["float32"], runs["auto"]))
        print(f"{config} done", flush=True)
    print(f"\nauto is {policy} here ({reason}); best of {args.repeats} alternating runs per "
          f"precision, epochs of {args.steps} steps; load average {os.getloadavg()[0]:.1f}; "
          f"{time.perf_counter() - started:.0f} s in all")
    print(format_table(rows))


if __name__ == "__main__":
    main()
