"""Learning check: Pix2Pix fills held-out shape outlines (slow).

Held-out pairs (another seed) translated by the trained U-Net (test-time dropout on) must be at
least 3x closer in L1 to their targets than the inputs themselves are (the identity mapping).
"""

import time

import numpy as np
import pytest

from configs import pix2pix_shapes
from tfgan_kit.data.translation_shapes import paired_shapes
from tfgan_kit.training import train_and_evaluate

HELD_OUT_SEED = 12345


@pytest.mark.slow
def test_pix2pix_beats_the_identity_l1_three_times_on_held_out_pairs(tmp_path):
    config = pix2pix_shapes.get_config()  # the config's defaults
    config.train.verbose = "0"
    started = time.perf_counter()
    model = train_and_evaluate(config, str(tmp_path))
    seconds = time.perf_counter() - started
    sources, targets = paired_shapes(500, config.data.image_size, seed=HELD_OUT_SEED)
    outputs = np.concatenate([model.translate(sources[i : i + 100]).numpy()
                              for i in range(0, 500, 100)])
    translated = float(np.mean(np.abs(outputs - targets)))
    identity = float(np.mean(np.abs(sources - targets)))
    print(f"\nPix2Pix shapes: {int(model.step_count)} steps in {seconds:.0f} s; held-out L1 "
          f"{translated:.4f} vs identity {identity:.4f} (ratio {identity / translated:.1f}x)")
    assert translated * 3 <= identity
