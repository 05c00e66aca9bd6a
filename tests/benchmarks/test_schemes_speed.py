"""Pure helpers of benchmarks/schemes_speed.py: config choice, row plan, table (nothing timed)."""

import os

import pytest

from benchmarks.schemes_speed import (
    BASELINE,
    choose_config,
    format_table,
    plan_rows,
    samples_per_second,
)
from tfgan_kit import registry

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_choose_config_prefers_ring_then_digits_and_matches_the_whole_name():
    names = {"wgan_gp_ring", "wgan_digits", "wgan_ring", "pggan_celeba_hq", "pggan_digits",
             "cyclegan_horse2zebra", "cyclegan_shapes", "vqa_sort_of_clevr_rdan",
             "vqa_sort_of_clevr_lstm"}
    assert choose_config("wgan", names) == "wgan_ring"
    assert choose_config("wgan_gp", names) == "wgan_gp_ring"
    assert choose_config("pggan", names) == "pggan_digits"
    assert choose_config("cyclegan", names) == "cyclegan_shapes"
    assert choose_config("vqa", names) == "vqa_sort_of_clevr_lstm"
    assert choose_config("wgan", names - {"wgan_ring"}) == "wgan_digits"


def test_choose_config_without_a_small_config_names_the_files():
    with pytest.raises(ValueError, match=r"No small config for 'pggan'.*configs/pggan_ring\.py"):
        choose_config("pggan", {"pggan_celeba_hq"})


def test_every_registered_scheme_and_task_has_a_small_config():
    registry.get_scheme("gan")
    registry.get_task("vqa")
    configs = {f[:-3] for f in os.listdir(os.path.join(ROOT, "configs")) if f.endswith(".py")}
    # The kit's own builders only: other test modules register test schemes of their own.
    names = [name for name, builder in [*registry.SCHEMES.items(), *registry.TASKS.items()]
             if builder.__module__.startswith("tfgan_kit.")]
    rows = plan_rows(names, configs)
    assert rows[0] == BASELINE
    assert {name for name, _ in rows} == set(names)
    assert ("gan", "dcgan_digits") in rows and ("zaq", "zaq_digits") in rows
    assert len(rows) == len(set(rows))


def test_registered_names_list_the_builtin_schemes_and_tasks():
    """The benchmark's public listing: every scheme and task module under tfgan_kit registers."""
    schemes, tasks = registry.registered_schemes(), registry.registered_tasks()
    assert schemes == sorted(schemes) and tasks == sorted(tasks)
    assert {"gan", "lsgan", "wgan", "wgan_gp", "dragan", "ebgan", "began", "fgan", "pggan",
            "zaq"} <= set(schemes)
    assert "vqa" in tasks and "vqa" not in schemes


def test_plan_rows_keeps_the_baseline_and_rejects_unknown_names():
    configs = {"gan_ring", "dcgan_digits", "lsgan_ring", "acgan_digits"}
    assert plan_rows(["gan", "lsgan", "acgan"], configs, wanted=["lsgan"]) == [
        BASELINE, ("lsgan", "lsgan_ring")]
    assert plan_rows(["gan", "acgan"], configs) == [
        BASELINE, ("acgan", "acgan_digits"), ("gan", "dcgan_digits")]
    with pytest.raises(ValueError, match=r"Unknown scheme\(s\) \['nope'\] in --schemes"):
        plan_rows(["gan"], configs, wanted=["nope"])


def test_samples_per_second():
    assert samples_per_second(64, 10, 2.0) == pytest.approx(320.0)
    with pytest.raises(ValueError, match="Elapsed seconds must be > 0"):
        samples_per_second(64, 10, 0.0)


def test_format_table_ratios_against_the_first_row():
    results = [
        {"name": "gan", "config": "gan_ring", "policy": "float32", "batch": 256, "steps": 30,
         "wall_s": 1.5, "cpu_s": 3.0, "tf_peak_mb": 10.0, "rss_mb": 200.0},
        {"name": "acgan", "config": "acgan_digits", "policy": "mixed_bfloat16", "batch": 64,
         "steps": 30, "wall_s": 4.0, "cpu_s": 6.0, "tf_peak_mb": 40.5, "rss_mb": 150.25},
        {"name": "zaq", "config": "zaq_digits", "error": "ValueError: boom"},
    ]
    lines = format_table(results).splitlines()
    assert len(lines) == 4
    base = 256 * 30 / 1.5
    acgan = lines[2].split()
    assert acgan[:3] == ["acgan", "(acgan_digits)", "mixed_bfloat16"]
    assert float(acgan[4]) == pytest.approx(64 * 30 / 4.0, abs=0.05)
    assert float(acgan[5]) == pytest.approx(64 * 30 / 6.0, abs=0.05)
    assert acgan[6] == f"{64 * 30 / 4.0 / base:.2f}x"
    assert acgan[7] == f"{(64 * 30 / 6.0) / (256 * 30 / 3.0):.2f}x"
    assert lines[1].split()[6:8] == ["1.00x", "1.00x"]
    assert lines[3].endswith("failed: ValueError: boom")


def test_enough_rounds_needs_both_the_epochs_and_the_seconds():
    from benchmarks.schemes_speed import enough_rounds

    assert not enough_rounds([(3.0, 1.0)], min_rounds=2, min_seconds=1.0)
    assert not enough_rounds([(0.5, 9.0), (0.4, 9.0)], min_rounds=2, min_seconds=1.0)
    assert enough_rounds([(0.5, 0.1), (0.5, 0.1)], min_rounds=2, min_seconds=1.0)
