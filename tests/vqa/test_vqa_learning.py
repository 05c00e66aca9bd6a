"""Learning check (slow): held-out Sort-of-CLEVR accuracy of deeper LSTM Q + norm I and r-DAN
with the committed configs, through benchmarks/vqa_sort_of_clevr.py (which prints the table).

    pytest -q -m slow tests/vqa/test_vqa_learning.py -s
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from benchmarks import vqa_sort_of_clevr  # noqa: E402


@pytest.mark.slow
def test_lstm_non_relational_and_rdan_relational():
    reports = vqa_sort_of_clevr.run()
    lstm = reports["deeper LSTM Q + norm I"]["per_group"]
    rdan = reports["r-DAN"]["per_group"]
    assert lstm["non_relational"] >= 90.0, lstm
    assert rdan["relational"] >= lstm["relational"], (rdan, lstm)
