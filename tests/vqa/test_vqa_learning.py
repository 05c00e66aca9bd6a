"""Learning check (slow): held-out Sort-of-CLEVR accuracy of deeper LSTM Q + norm I and r-DAN
with the committed configs, through benchmarks/vqa_sort_of_clevr.py (which prints the table).

    pytest -q -m slow tests/vqa/test_vqa_learning.py -s

NOT MET yet (open part of issue 15): measured 2026-12-02 on the shared 2-core machine, 12,000
steps each (36 min wall, both at once): deeper LSTM Q + norm I 57.7% non-relational / 41.5%
relational, r-DAN 51.4% / 32.2%, held out, while both reach 66-67% training accuracy: the models
fit the training images without generalising (see the README's VQA section). The marker is
strict: the day the check passes it reports XPASS as a failure, so the marker gets removed.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from benchmarks import vqa_sort_of_clevr  # noqa: E402


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="measured 57.7% non-relational (LSTM), r-DAN 32.2% vs "
                                       "41.5% relational: issue 15 acceptance not met yet")
def test_lstm_non_relational_and_rdan_relational():
    reports = vqa_sort_of_clevr.run()
    lstm = reports["deeper LSTM Q + norm I"]["per_group"]
    rdan = reports["r-DAN"]["per_group"]
    assert lstm["non_relational"] >= 90.0, lstm
    assert rdan["relational"] >= lstm["relational"], (rdan, lstm)
