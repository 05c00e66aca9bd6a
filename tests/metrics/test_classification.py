"""Classification and Hungarian-matched cluster accuracy against brute force; the baseline."""

import itertools

import keras
import numpy as np
import pytest

from tfgan_kit.metrics.classification import (
    classification_accuracy,
    cluster_accuracy,
    train_supervised_baseline,
)
from tfgan_kit.nets.classifier import noisy_mlp_classifier


def brute_force_cluster_accuracy(clusters, labels, k):
    return max(np.mean(np.asarray(mapping)[clusters] == labels)
               for mapping in itertools.permutations(range(k)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cluster_accuracy_equals_the_best_permutation(seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 5, 60)
    clusters = np.where(rng.random(60) < 0.6, (labels + 2) % 5, rng.integers(0, 5, 60))
    np.testing.assert_allclose(cluster_accuracy(clusters, labels),
                               brute_force_cluster_accuracy(clusters, labels, 5))


def test_cluster_accuracy_extremes_and_errors():
    labels = np.array([0, 0, 1, 1, 2, 2])
    assert cluster_accuracy([2, 2, 0, 0, 1, 1], labels) == 1.0  # a relabelling is perfect
    assert cluster_accuracy([0] * 6, labels) == pytest.approx(2 / 6)  # one cluster: one class
    with pytest.raises(ValueError, match="same length"):
        cluster_accuracy([0, 1], [0])
    with pytest.raises(ValueError, match=">= 0"):
        cluster_accuracy([-1, 0], [0, 0])


def test_classification_accuracy_and_baseline_learns_the_labels():
    assert classification_accuracy([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], [0, 1, 1]) == 2 / 3
    with pytest.raises(ValueError, match=r"must be \[N, K\] for N = 2"):
        classification_accuracy([[1.0, 0.0]], [0, 1])
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 8)
    images = (rng.normal(size=(24, 4)) + 3.0 * np.eye(3, 4)[labels]).astype(np.float32)
    keras.utils.set_random_seed(0)
    classifier = noisy_mlp_classifier(4, 3, hidden=(16,), input_noise=0.0, hidden_noise=0.0)
    train_supervised_baseline(classifier, images, labels, steps=60, learning_rate=1e-2)
    logits = classifier(images, training=False)["logits"].numpy()
    assert classification_accuracy(logits, labels) >= 0.9
