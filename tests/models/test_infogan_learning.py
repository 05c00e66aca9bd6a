"""Learning check: InfoGAN's categorical code is read back by Q and picks the digit (slow)."""

import itertools
import math
import time

import numpy as np
import pytest
import tensorflow as tf

from configs import infogan_digits
from tfgan_kit.metrics.features import train_digits_classifier
from tfgan_kit.training import train_and_evaluate

SAMPLES = 200


def categorical_information(model, n=2000):
    """L_I of the categorical code (E[log Q(c|G(z, c))] + ln 10) on fresh samples, Q in eval."""
    z = tf.random.stateless_normal([n, model.latent_dim], seed=[7, 0])
    codes = tf.random.stateless_uniform([n, 1], seed=[7, 1], minval=0, maxval=10, dtype=tf.int32)
    continuous = tf.random.stateless_uniform([n, 2], seed=[7, 2], minval=-1.0, maxval=1.0)
    outputs = model.discriminator(model.generate(z, categorical=codes, continuous=continuous))
    return float(model.mutual_information(outputs, codes, continuous).categorical)


def code_changes_class(model, classifier):
    """Fraction of (z, c != c') pairs, z and the continuous codes fixed, whose samples a
    real-digits classifier puts in different classes."""
    z = tf.random.stateless_normal([SAMPLES, model.latent_dim], seed=[5, 0])
    continuous = tf.random.stateless_uniform([SAMPLES, 2], seed=[5, 1], minval=-1.0, maxval=1.0)
    predicted = np.stack([
        classifier.predict(model.generate(z, categorical=np.full([SAMPLES, 1], k),
                                          continuous=continuous).numpy(), verbose=0).argmax(1)
        for k in range(10)])
    return float(np.mean([np.mean(predicted[a] != predicted[b])
                          for a, b in itertools.permutations(range(10), 2)]))


@pytest.mark.slow
def test_infogan_categorical_code_is_informative_and_picks_the_digit(tmp_path):
    config = infogan_digits.get_config()  # the config's defaults
    config.train.verbose = "0"
    started = time.perf_counter()
    model = train_and_evaluate(config, str(tmp_path))
    seconds = time.perf_counter() - started
    information = categorical_information(model)
    classifier = train_digits_classifier(config.data.image_size)
    changed = code_changes_class(model, classifier)
    print(f"\nInfoGAN digits: {int(model.step_count)} steps in {seconds:.0f} s; categorical L_I "
          f"{information:.3f} of ln 10 = {math.log(10):.3f} ({information / math.log(10):.1%}); "
          f"changing only the categorical code changes the class in {changed:.1%} of pairs")
    assert information >= 0.9 * math.log(10)
    assert changed >= 0.70
