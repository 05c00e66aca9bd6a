"""Held-out Sort-of-CLEVR accuracy of deeper LSTM Q + norm I (Antol et al. 2015) and r-DAN
(Nam et al. 2017), non-relational and relational questions, in one table.

    python benchmarks/vqa_sort_of_clevr.py                 # both configs, as committed
    python benchmarks/vqa_sort_of_clevr.py --epochs=2      # shorter (not the measured setting)

The two models train at once, each in its own process (``--sequential``: one after the other).

Each model is trained by ``train.py``'s path (``train_and_evaluate``) with its config
(``configs/vqa_sort_of_clevr_lstm.py``, ``configs/vqa_sort_of_clevr_rdan.py``) and scored on
the held-out images of the config (``report.json``: accuracy per group and question type). The
deeper LSTM row is the baseline of this invocation: r-DAN's relational accuracy is shown beside
it as a difference. The acceptance of the VQA issue: the LSTM reaches >= 90% non-relational,
r-DAN matches or beats it on relational questions.
"""

from __future__ import annotations

if __name__ == "__main__":
    from tfgan_kit.quiet import quiet_start

    quiet_start()

import argparse  # noqa: E402
import concurrent.futures  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CONFIGS = {"deeper LSTM Q + norm I": "vqa_sort_of_clevr_lstm", "r-DAN": "vqa_sort_of_clevr_rdan"}


def run_one(config_name: str, epochs: int | None = None) -> dict:
    """Trains one config in a temporary workdir; returns its report plus the wall time."""
    from tfgan_kit.training import train_and_evaluate

    config = importlib.import_module(f"configs.{config_name}").get_config()
    if epochs is not None:
        config.train.epochs = epochs
    config.train.verbose = "2"
    with tempfile.TemporaryDirectory() as workdir:
        started = time.perf_counter()
        train_and_evaluate(config, workdir)
        with open(os.path.join(workdir, "report.json")) as f:
            report = json.load(f)
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    return report


def run(epochs: int | None = None, parallel: bool = True) -> dict[str, dict]:
    """Every model of ``CONFIGS``: ``{row name: report}``; prints the table.

    With ``parallel`` each model trains in its own (spawned) process, both at once.
    """
    if parallel:
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(len(CONFIGS), mp_context=context) as pool:
            futures = {name: pool.submit(run_one, config, epochs)
                       for name, config in CONFIGS.items()}
            reports = {name: future.result() for name, future in futures.items()}
    else:
        reports = {name: run_one(config, epochs) for name, config in CONFIGS.items()}
    baseline = reports["deeper LSTM Q + norm I"]["per_group"]["relational"]
    print(f"\n{'model':<24} {'non-relational':>15} {'relational':>11} {'vs LSTM':>8} "
          f"{'overall':>8} {'time':>7}")
    for name, report in reports.items():
        groups = report["per_group"]
        print(f"{name:<24} {groups['non_relational']:>14.2f}% {groups['relational']:>10.2f}% "
              f"{groups['relational'] - baseline:>+8.2f} {report['accuracy']:>7.2f}% "
              f"{report['wall_seconds']:>6.0f}s")
    for name, report in reports.items():
        print(f"{name} per question type: {report['per_question_type']}")
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=None, help="override both configs' epochs")
    parser.add_argument("--sequential", action="store_true", help="one model after the other")
    args = parser.parse_args()
    run(args.epochs, parallel=not args.sequential)


if __name__ == "__main__":
    main()
