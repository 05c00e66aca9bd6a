"""Learning check: with 100 labelled digits the SSGAN classifier beats the classifier trained on
those 100 labels alone, on held-out digits (slow)."""

import pytest

from benchmarks.semi_supervised import held_out_split, supervised_only, train
from configs import ssgan_digits
from tfgan_kit.metrics.classification import classification_accuracy


@pytest.mark.slow
def test_ssgan_beats_the_supervised_only_classifier():
    config = ssgan_digits.get_config()  # the config's defaults
    split = held_out_split(config)
    model, seconds = train(config)
    accuracy = classification_accuracy(model.classify(split.held_out_images),
                                       split.held_out_labels)
    baseline = supervised_only(config, int(model.step_count))
    print(f"\nSSGAN digits: {int(model.step_count)} steps in {seconds:.0f} s; held-out accuracy "
          f"{accuracy:.3f} vs {baseline:.3f} for the same classifier on the 100 labels alone")
    assert accuracy > baseline
