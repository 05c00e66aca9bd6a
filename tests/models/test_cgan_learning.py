"""Learning check: the conditional GAN draws the digit it is asked for (slow)."""

import time

import numpy as np
import pytest
import tensorflow as tf

from configs import cgan_digits
from tfgan_kit.metrics.features import train_digits_classifier
from tfgan_kit.training import train_and_evaluate

SAMPLES_PER_CLASS = 200


def class_accuracy(model, classifier, latent_dim, num_classes=10):
    """Per-class fraction of G(z, k) that a real-digits classifier labels k (fixed z draws)."""
    accuracies = []
    for k in range(num_classes):
        z = tf.random.stateless_normal([SAMPLES_PER_CLASS, latent_dim], seed=[123, k])
        images = model.generate(z, tf.fill([SAMPLES_PER_CLASS], k)).numpy()
        predicted = classifier.predict(images, verbose=0).argmax(axis=1)
        accuracies.append(float(np.mean(predicted == k)))
    return np.array(accuracies)


@pytest.mark.slow
def test_cgan_digits_are_of_the_requested_class(tmp_path):
    config = cgan_digits.get_config()  # the config's defaults
    config.train.verbose = "0"
    started = time.perf_counter()
    model = train_and_evaluate(config, str(tmp_path))
    seconds = time.perf_counter() - started
    classifier = train_digits_classifier(config.data.image_size)
    accuracies = class_accuracy(model, classifier, config.model.latent_dim)
    print(f"\ncGAN digits: {int(model.step_count)} steps in {seconds:.0f} s; classifier "
          f"held-out accuracy {classifier.validation_accuracy:.3f}; requested-class accuracy "
          f"{accuracies.mean():.3f} (per class {np.round(accuracies, 2).tolist()})")
    assert accuracies.mean() >= 0.80
