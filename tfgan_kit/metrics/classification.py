"""Scores of the classifiers semi-supervised GANs learn, and their supervised-only baseline.

* :func:`classification_accuracy`: the fraction of examples whose most probable class is right.
* :func:`cluster_accuracy`: unsupervised clustering accuracy, ``max_m (1/N) sum_i 1[y_i =
  m(c_i)]`` over one-to-one maps m from clusters to classes, found with the Hungarian algorithm
  (``scipy.optimize.linear_sum_assignment``) on the cluster/class contingency table, the
  measure of Springenberg 2016 (Section 5.3) and of clustering papers since.
* :func:`train_supervised_baseline`: the same classifier trained on the labelled examples alone
  (cross-entropy, Adam), the baseline a semi-supervised GAN must beat.

Reference:
    Springenberg, "Unsupervised and Semi-supervised Learning with Categorical Generative
    Adversarial Networks", ICLR 2016, Section 5; Kuhn, "The Hungarian method for the assignment
    problem", 1955; Salimans et al. 2016, Section 5.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from scipy.optimize import linear_sum_assignment

from tfgan_kit.errors import UserError

__all__ = ["classification_accuracy", "cluster_accuracy", "train_supervised_baseline"]


def classification_accuracy(probabilities, labels) -> float:
    """Fraction of rows of ``probabilities [N, K]`` whose argmax equals ``labels [N]``.

    Raises:
        ValueError: for mismatched lengths.
    """
    probabilities, labels = np.asarray(probabilities), np.asarray(labels).reshape(-1)
    if probabilities.ndim != 2 or len(probabilities) != len(labels):
        raise UserError(f"`probabilities` must be [N, K] for N = {len(labels)} labels. "
                        f"Received shape {probabilities.shape}")
    return float(np.mean(probabilities.argmax(axis=1) == labels))


def cluster_accuracy(clusters, labels) -> float:
    """Clustering accuracy under the best one-to-one cluster-to-class map (Hungarian matching).

    Args:
        clusters: int ``[N]`` cluster assignments (e.g. ``argmax p(y|x)`` of CatGAN's D).
        labels: int ``[N]`` true classes.

    Returns:
        ``max_m mean(labels == m(clusters))`` over injective maps ``m``; clusters left without a
        class (more clusters than classes) count as wrong.

    Raises:
        ValueError: for mismatched lengths, negative ids or empty input.
    """
    clusters = np.asarray(clusters).reshape(-1).astype(np.int64)
    labels = np.asarray(labels).reshape(-1).astype(np.int64)
    if len(clusters) != len(labels) or len(labels) == 0:
        raise UserError(f"`clusters` and `labels` must be non-empty and of the same length. "
                        f"Received {len(clusters)} and {len(labels)}")
    if clusters.min() < 0 or labels.min() < 0:
        raise UserError("Cluster and class ids must be >= 0.")
    size = int(max(clusters.max(), labels.max())) + 1
    counts = np.zeros((size, size), np.int64)
    np.add.at(counts, (clusters, labels), 1)
    rows, columns = linear_sum_assignment(-counts)
    return float(counts[rows, columns].sum() / len(labels))


def train_supervised_baseline(classifier: keras.Model, images, labels, steps: int,
                              learning_rate: float, beta_1: float = 0.5,
                              batch_size: int | None = None, seed: int = 0) -> keras.Model:
    """Trains ``classifier`` (``x -> {"logits", ...}``) on the labelled examples alone.

    ``steps`` Adam steps of the K-way cross-entropy on minibatches of ``batch_size`` (``None``:
    all labelled examples), reshuffled every pass with ``seed``: the supervised-only baseline
    a semi-supervised GAN trained with the same classifier, optimizer and steps must beat.

    Args:
        classifier: a fresh classifier-discriminator (e.g. the scheme's ``"classifier"`` net).
        images, labels: the labelled examples.
        steps: optimizer steps.
        learning_rate, beta_1: Adam's settings (the scheme's D optimizer).
        batch_size: examples per step. Defaults to `None` (all).
        seed: shuffle seed. Defaults to `0`.

    Returns:
        The trained ``classifier``.
    """
    images = np.asarray(images, np.float32)
    labels = np.asarray(labels, np.int32)
    batch_size = len(labels) if batch_size is None else int(batch_size)
    optimizer = keras.optimizers.Adam(learning_rate, beta_1=beta_1)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            logits = classifier(x, training=True)["logits"]
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
        variables = classifier.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    rng = np.random.default_rng(seed)
    order = np.empty(0, np.int64)
    for _ in range(steps):
        if len(order) < batch_size:
            order = np.concatenate([order, rng.permutation(len(labels))])
        batch, order = order[:batch_size], order[batch_size:]
        step(images[batch], labels[batch])
    return classifier
