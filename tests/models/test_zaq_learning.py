"""Learning check: ZAQ recovers the accuracy the W4A4 digits CNN loses to quantization (slow)."""

import time

import numpy as np
import pytest

from benchmarks.zaq_digits import run
from configs import zaq_digits

SEEDS = (0, 1, 2, 3, 4, 5)


@pytest.mark.slow
def test_zaq_beats_the_untuned_quantized_net_on_every_seed_of_w4a4_digits(tmp_path):
    """The config's defaults over 6 seeds: ZAQ's fine-tuning raises the W4A4 digits CNN above the
    untuned Q (ranges from noise) on every seed (measured: 6 of 6; means 94.26% against 92.27%,
    full precision 97.74%).

    Not asserted here: ZAQ against the same fine-tuning on Gaussian noise. On the 8x8 digits the
    two cannot be told apart (means 94.26% and 94.77% over 6 seeds, ZAQ ahead on 1 seed; one
    seed's 360 held-out digits move by about a point between invocations), so such a check passes
    or fails by chance. That comparison needs a benchmark with a larger gap and test set.
    """
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
    print(f"means: {mean}")
    assert mean["full precision"] > mean[untuned]  # there is a gap to recover
    assert all(r["ZAQ (no data)"] > r[untuned] for r in table)
