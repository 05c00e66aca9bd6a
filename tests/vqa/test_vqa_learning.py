"""Learning checks (slow): held-out Sort-of-CLEVR accuracy of deeper LSTM Q + norm I and r-DAN
with the committed configs, through benchmarks/vqa_sort_of_clevr.py (which prints the table;
both models train once, at the same time, for the two checks).

    pytest -q -s -m slow tests/vqa/test_vqa_learning.py

Measured 2026-12-03 on the 2-core CPU machine (26 min wall, 20,000 steps each; another VQA run
on one core for the first 12 min): r-DAN
99.3% non-relational / 81.6% relational, deeper LSTM Q + norm I (rescaled norm I, CNN without
batch norm: the config's defaults since that day) 81.6% / 72.0% (2026-12-02, the former
defaults: 54.4% / 32.3%). r-DAN's check passes; the LSTM's (>= 90% non-relational) is NOT met:
its training accuracy keeps rising after ~15,000 steps while the held-out figure stays near 80%
(longer runs and a decayed rate did not help, nor did 4x the images within 14,000 steps;
configs/vqa_sort_of_clevr_lstm.py). The LSTM's figure varies from run to run (seed 1: 70.9%;
AdamW, not adopted, 83.4% in one run and 71.3% in another).
Its marker is strict: the day it passes it reports XPASS as a failure, so the marker gets
removed.
"""


import pytest


from benchmarks import vqa_sort_of_clevr


@pytest.fixture(scope="module")
def reports():
    return vqa_sort_of_clevr.run()


@pytest.mark.slow
def test_rdan_matches_or_beats_lstm_on_relational(reports):
    lstm = reports["deeper LSTM Q + norm I"]["per_group"]
    rdan = reports["r-DAN"]["per_group"]
    assert rdan["relational"] >= lstm["relational"], (rdan, lstm)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="measured 81.6% non-relational after 20,000 steps "
                                       "(issue 15, open part)")
def test_lstm_non_relational_reaches_90(reports):
    lstm = reports["deeper LSTM Q + norm I"]["per_group"]
    assert lstm["non_relational"] >= 90.0, lstm
