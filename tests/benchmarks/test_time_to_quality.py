"""Pure helpers of benchmarks/time_to_quality.py: targets, stop logic, table (nothing timed)."""

import math
import types

import pytest

from benchmarks.time_to_quality import (
    QualityStop,
    TrainClock,
    fid_reached,
    first_reached,
    format_table,
    ratio_line,
    ring_reached,
)


def test_ring_target_needs_all_modes_and_ninety_percent():
    assert ring_reached({"modes": 8.0, "high_quality": 0.9})
    assert not ring_reached({"modes": 8.0, "high_quality": 0.8996})
    assert not ring_reached({"modes": 7.0, "high_quality": 0.99})
    with pytest.raises(ValueError, match="lack `modes`/`high_quality`: put ModeCoverageLog"):
        ring_reached({"d_loss": 1.0})


def test_fid_target_is_inclusive_and_rejects_nan():
    assert fid_reached({"fid": 20.0}, 20.0)
    assert not fid_reached({"fid": 20.01}, 20.0)
    assert not fid_reached({"fid": math.nan}, 20.0)
    assert fid_reached({"fid": 4.0}, 5.0)
    with pytest.raises(ValueError, match="lack `fid`: put MetricsCallback"):
        fid_reached({"modes": 8.0})


def test_first_reached_on_a_fake_history():
    history = [{"fid": 60.0}, {"fid": 25.0}, {"fid": 19.0}, {"fid": 30.0}, {"fid": 10.0}]
    assert first_reached(history, fid_reached) == 3
    assert first_reached(history, lambda logs: fid_reached(logs, 5.0)) is None


def test_quality_stop_stops_at_the_first_epoch_that_meets_the_target():
    clock = TrainClock()
    stop = QualityStop(ring_reached, clock)
    model = types.SimpleNamespace(stop_training=False)
    stop.set_model(model)
    history = [{"modes": 6, "high_quality": 0.95}, {"modes": 8, "high_quality": 0.85},
               {"modes": 8, "high_quality": 0.91}, {"modes": 8, "high_quality": 0.97}]
    for epoch, logs in enumerate(history[:2]):
        clock.on_epoch_begin(epoch)
        clock.on_epoch_end(epoch, logs)
        stop.on_epoch_end(epoch, dict(logs))
        assert not model.stop_training and stop.reached_epoch is None
    stop.on_epoch_end(2, dict(history[2]))
    assert model.stop_training and stop.reached_epoch == 3
    stop.on_epoch_end(3, dict(history[3]))
    assert stop.reached_epoch == 3
    assert [h["modes"] for h in stop.history] == [6.0, 8.0, 8.0, 8.0]
    assert len(clock.train_seconds) == 2 and len(stop.eval_seconds) == 4


def _row(precision, reached, train_s, target="ring (gan_ring)"):
    return {"target": target, "precision": precision, "policy": "p", "reached_epoch": reached,
            "epochs_run": 100, "train_s": train_s, "eval_s": 1.0, "wall_s": train_s + 2.0,
            "figures": "8/8 modes"}


def test_ratio_line_and_table():
    rows = [_row("auto", 12, 30.0), _row("float32", 20, 40.0)]
    assert ratio_line("ring", rows) == "ring: auto/float32 train time to the target 0.75x"
    rows[0]["reached_epoch"] = None
    assert ratio_line("ring", rows).endswith("target not reached under auto")
    assert ratio_line("digits", rows) == "digits: auto/float32 ratio needs both precisions"
    table = format_table(rows).splitlines()
    assert "not in 100 ep" in table[1] and "epoch 20" in table[2]
    assert table[2].split()[-6:] == ["40.0", "0.40", "1.0", "42.0", "8/8", "modes"]
