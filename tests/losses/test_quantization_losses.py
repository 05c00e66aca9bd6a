"""ZAQ's discrepancies (Liu et al. 2021, Section 3.2) against numpy loops written out."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.losses import (
    channel_relation_discrepancy,
    channel_relation_map,
    layer_weight_update,
    output_discrepancy,
    relation_discrepancies,
)

RNG = np.random.default_rng(0)
P_FEATURES = [RNG.normal(size=(3, 4, 5, 6)).astype(np.float32),
              np.maximum(RNG.normal(size=(3, 2, 2, 8)), 0).astype(np.float32)]
Q_FEATURES = [f + 0.3 * RNG.normal(size=f.shape).astype(np.float32) for f in P_FEATURES]


def numpy_relation_map(features):
    """Loop over examples and channel pairs: cosine similarity of flattened channels."""
    batch, channels = features.shape[0], features.shape[-1]
    out = np.zeros((batch, channels, channels))
    for b in range(batch):
        for i in range(channels):
            for j in range(channels):
                fi, fj = features[b, ..., i].ravel(), features[b, ..., j].ravel()
                out[b, i, j] = fi @ fj / (max(np.linalg.norm(fi), 1e-12)
                                          * max(np.linalg.norm(fj), 1e-12))
    return out


def test_output_discrepancy_is_the_mean_absolute_logit_difference():
    p, q = RNG.normal(size=(5, 10)), RNG.normal(size=(5, 10))
    expected = np.mean([np.sum(np.abs(p[b] - q[b])) / 10 for b in range(5)])
    np.testing.assert_allclose(float(output_discrepancy(p, q)), expected, rtol=1e-5)
    assert float(output_discrepancy(p, p)) == 0.0


def test_channel_relation_map_is_the_channel_cosine_similarity_matrix():
    got = channel_relation_map(P_FEATURES[0]).numpy()
    np.testing.assert_allclose(got, numpy_relation_map(P_FEATURES[0]), atol=1e-5)
    np.testing.assert_allclose(np.diagonal(got, axis1=1, axis2=2), 1.0, atol=1e-5)
    np.testing.assert_allclose(got, np.transpose(got, (0, 2, 1)), atol=1e-6)
    dead = P_FEATURES[1].copy()
    dead[..., 3] = 0.0  # a dead ReLU channel: zero similarity, no NaN, no gradient through it
    variable = tf.Variable(dead)
    with tf.GradientTape() as tape:
        got = channel_relation_map(variable)
        loss = tf.reduce_sum(tf.abs(got - 0.5))
    grad = tape.gradient(loss, variable).numpy()
    got = got.numpy()
    assert np.all(np.isfinite(got)) and np.all(got[:, 3, :] == 0)
    np.testing.assert_allclose(got, numpy_relation_map(dead), atol=1e-5)
    assert np.all(np.isfinite(grad)) and np.all(grad[..., 3] == 0) and np.abs(grad).max() < 100
    # invariant to a positive scale of a channel (cosine), not to the other model's weights
    scaled = P_FEATURES[0] * np.array([1, 2, 3, 4, 5, 6], np.float32)
    np.testing.assert_allclose(channel_relation_map(scaled), channel_relation_map(P_FEATURES[0]),
                               atol=1e-5)


def test_weighted_inter_channel_discrepancy():
    weights = np.array([0.3, 0.7], np.float32)
    per_layer = [np.mean(np.abs(numpy_relation_map(p) - numpy_relation_map(q)))
                 for p, q in zip(P_FEATURES, Q_FEATURES)]
    np.testing.assert_allclose(relation_discrepancies(P_FEATURES, Q_FEATURES), per_layer,
                               rtol=1e-4)
    total, d = channel_relation_discrepancy(P_FEATURES, Q_FEATURES, weights)
    np.testing.assert_allclose(float(total), weights @ np.array(per_layer), rtol=1e-4)
    np.testing.assert_allclose(d, per_layer, rtol=1e-4)
    q = [tf.Variable(f) for f in Q_FEATURES]
    w = tf.Variable(weights)
    with tf.GradientTape(persistent=True) as tape:
        total, _ = channel_relation_discrepancy(P_FEATURES, q, w)
    assert all(tape.gradient(total, v) is not None for v in q)
    assert tape.gradient(total, w) is None  # the weights are not trained by the loss


def test_layer_weights_are_a_moving_average_of_the_softmax_of_the_discrepancies():
    d = np.array([0.1, 0.5, 0.2])
    softmax = np.exp(d) / np.exp(d).sum()
    w = np.full(3, 1 / 3)
    got = layer_weight_update(w, d, momentum=0.9).numpy()
    np.testing.assert_allclose(got, 0.9 * w + 0.1 * softmax, rtol=1e-6)
    np.testing.assert_allclose(got.sum(), 1.0, rtol=1e-6)
    assert np.argmax(got) == 1  # the most discrepant layer gains weight
    for _ in range(300):
        got = layer_weight_update(got, d, momentum=0.9).numpy()
    np.testing.assert_allclose(got, softmax, rtol=1e-4)  # it converges to the softmax
    np.testing.assert_allclose(layer_weight_update(w, d, momentum=0.0), softmax, rtol=1e-6)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="same layers of both models.*Received: 2 and 1"):
        relation_discrepancies(P_FEATURES, Q_FEATURES[:1])
    with pytest.raises(ValueError, match=r"`momentum` must be in \[0, 1\). Received: "
                                         r"momentum=1.0"):
        layer_weight_update(np.ones(2) / 2, np.zeros(2), momentum=1.0)
