"""Learning check: ZAQ recovers the accuracy the W4A4 digits CNN loses to quantization (slow)."""

import os
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from configs import zaq_digits  # noqa: E402
from zaq_digits import run  # noqa: E402


@pytest.mark.slow
@pytest.mark.xfail(reason="issue 14 open: seed 0 measured ZAQ 96.67% = untuned 96.67% < noise "
                   "fine-tuning 99.17% (configs/zaq_digits.py docstring, README ZAQ section)",
                   strict=False)
def test_zaq_beats_the_untuned_and_noise_baselines_on_w4a4_digits(tmp_path):
    """The config's defaults (seed 0): ZAQ above the untuned Q and the same fine-tuning on noise,
    recovering at least half of the full-precision gap (the issue's acceptance)."""
    config = zaq_digits.get_config()
    config.model.teacher_path = str(tmp_path / "teacher.keras")
    started = time.perf_counter()
    results = run(config)
    print(f"\nZAQ digits W4A4 in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{k} {v:.4f}" for k, v in results.items()))
    untuned = results["untuned (ranges from noise)"]
    assert results["full precision"] > untuned  # there is a gap to recover
    assert results["ZAQ (no data)"] > untuned
    assert results["ZAQ (no data)"] > results["noise fine-tuning"]
    assert results["recovered"] >= 0.5
