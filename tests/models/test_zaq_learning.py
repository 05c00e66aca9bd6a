"""Learning check: ZAQ recovers the accuracy the W4A4 digits CNN loses to quantization (slow)."""

import os
import sys
import time

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from configs import zaq_digits  # noqa: E402
from zaq_digits import run  # noqa: E402

SEEDS = (0, 1, 2, 3, 4, 5)
NOT_MET = ("measured (benchmarks/zaq_digits.py, seeds 0-5): ZAQ 94.26% mean, noise fine-tuning "
           "94.77%, untuned 92.27%, full precision 97.74%: 36% of the mean gap (issue 14)")


@pytest.mark.slow
@pytest.mark.xfail(reason=NOT_MET)
def test_zaq_beats_the_untuned_and_noise_baselines_on_w4a4_digits(tmp_path):
    """The config's defaults, means over 6 seeds (the W4A4 gap is 2-8 points; one seed's 360
    held-out digits swing by about +-1 point): ZAQ above the untuned Q on every seed, above the
    same fine-tuning on noise on average, recovering at least half of the mean gap."""
    table = []
    for seed in SEEDS:
        config = zaq_digits.get_config()
        config.seed = seed
        config.model.teacher_path = str(tmp_path / f"teacher_{seed}.keras")
        started = time.perf_counter()
        table.append(run(config))
        print(f"\nZAQ digits W4A4 seed {seed} in {time.perf_counter() - started:.0f} s: "
              + ", ".join(f"{k} {v:.4f}" for k, v in table[-1].items()))
    mean = {k: float(np.mean([r[k] for r in table])) for k in table[0]}
    untuned = "untuned (ranges from noise)"
    recovered = ((mean["ZAQ (no data)"] - mean[untuned])
                 / (mean["full precision"] - mean[untuned]))
    print(f"means: {mean}; recovered of the mean gap {recovered:.3f}")
    assert mean["full precision"] > mean[untuned]  # there is a gap to recover
    assert all(r["ZAQ (no data)"] > r[untuned] for r in table)
    assert mean["ZAQ (no data)"] > mean["noise fine-tuning"]
    assert recovered >= 0.5
