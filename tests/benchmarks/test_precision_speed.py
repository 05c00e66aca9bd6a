"""benchmarks/precision_speed.py: the best rate per precision and the auto/float32 ratios."""

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.precision_speed import DEFAULT_CONFIGS, best_rates, format_table


def run(batch, steps, wall, cpu):
    return {"batch": batch, "steps": steps, "wall_s": wall, "cpu_s": cpu}


def test_best_rates_keeps_the_fastest_run_and_skips_failures():
    results = [run(64, 100, 8.0, 16.0), run(64, 100, 4.0, 10.0), {"error": "boom"}]
    assert best_rates(results) == pytest.approx((1600.0, 640.0))
    assert best_rates([{"error": "boom"}]) is None


def test_table_ratio_is_auto_over_float32():
    base = [run(10, 100, 2.0, 4.0)]  # 500/s wall, 250 per cpu-s
    auto = [run(10, 100, 1.0, 2.5)]  # 1000/s wall, 400 per cpu-s
    lines = format_table([("dcgan_digits", "auto", "mixed_bfloat16", base, auto)]).splitlines()
    assert lines[1].split() == ["dcgan_digits", "auto", "mixed_bfloat16", "500.0", "250.0",
                                "1000.0", "400.0", "2.00x", "1.60x"]
    failed = format_table([("x", "-", "float32", [{"error": "no data"}], auto)]).splitlines()
    assert failed[1].endswith("failed: no data")


def test_default_configs_exist():
    for name in DEFAULT_CONFIGS:
        assert os.path.exists(os.path.join(ROOT, "configs", name + ".py")), name
