"""Learning check: the ACGAN draws the digit it is asked for (slow)."""

import time

import numpy as np
import pytest

from configs import acgan_digits
from tfgan_kit.metrics.features import train_digits_classifier
from tfgan_kit.training import train_and_evaluate

from .test_cgan_learning import class_accuracy


@pytest.mark.slow
def test_acgan_digits_are_of_the_requested_class(tmp_path):
    config = acgan_digits.get_config()  # the config's defaults
    config.train.verbose = "0"
    started = time.perf_counter()
    model = train_and_evaluate(config, str(tmp_path))
    seconds = time.perf_counter() - started
    classifier = train_digits_classifier(config.data.image_size)
    accuracies = class_accuracy(model, classifier, config.model.latent_dim)
    print(f"\nACGAN digits: {int(model.step_count)} steps in {seconds:.0f} s; classifier "
          f"held-out accuracy {classifier.validation_accuracy:.3f}; requested-class accuracy "
          f"{accuracies.mean():.3f} (per class {np.round(accuracies, 2).tolist()})")
    assert accuracies.mean() >= 0.85
