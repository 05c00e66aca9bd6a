"""Feature extractors: InceptionV3 from a local file, any classifier, the digits classifier."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.data import digits_arrays
from tfgan_kit.metrics import ClassifierFeatures, InceptionFeatures, train_digits_classifier


def test_digits_classifier_learns_and_caches(digits_classifier):
    model, path = digits_classifier
    assert model.validation_accuracy > 0.95  # held-out 20%; chance is 0.1
    images, labels = digits_arrays(8, with_labels=True)
    reloaded = train_digits_classifier(8, cache_path=path)  # loads, does not retrain
    assert reloaded.validation_accuracy == model.validation_accuracy
    assert np.allclose(reloaded.predict(images[:50], verbose=0), model.predict(images[:50], verbose=0))
    with pytest.raises(ValueError, match="takes images"):
        train_digits_classifier(16, cache_path=path)


def test_classifier_features_match_the_model_layers(digits_classifier):
    model, _ = digits_classifier
    images = digits_arrays(8)[:70]
    extracted = ClassifierFeatures(model, "features", batch_size=32)(images)
    feature_model = keras.Model(model.inputs, model.get_layer("features").output)
    assert np.allclose(extracted.features, feature_model.predict(images, verbose=0), atol=1e-5)
    assert np.allclose(extracted.probabilities, model.predict(images, verbose=0), atol=1e-6)
    # Larger images are resized bilinearly to the classifier's input.
    big = tf.image.resize(images, (16, 16), method="bilinear").numpy()
    resized = tf.image.resize(big, (8, 8), method="bilinear").numpy()
    assert np.allclose(
        ClassifierFeatures(model, "features")(big).probabilities,
        model.predict(resized, verbose=0),
        atol=1e-6,
    )


def test_classifier_features_apply_softmax_to_logits():
    inputs = keras.Input((4, 4, 1))
    hidden = keras.layers.Flatten(name="flat")(inputs)
    logits = keras.layers.Dense(3, name="logits")(hidden)
    model = keras.Model(inputs, logits)
    images = np.random.default_rng(0).uniform(-1, 1, (5, 4, 4, 1)).astype(np.float32)
    out = ClassifierFeatures(model, "flat")(images)
    assert np.allclose(out.features, images.reshape(5, -1))
    assert np.allclose(out.probabilities, tf.nn.softmax(model(images)).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="is not a layer of"):
        ClassifierFeatures(model, "pool")


def test_inception_needs_a_local_weights_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="never downloads weights"):
        InceptionFeatures(str(tmp_path / "missing.weights.h5"))
    with pytest.raises(FileNotFoundError, match="--inception_weights=PATH"):
        InceptionFeatures(None)


@pytest.mark.slow  # ~20 s on 2 shared cores: builds InceptionV3 twice and traces it at 299x299
def test_inception_features_from_a_weights_file(tmp_path):
    network = keras.applications.InceptionV3(weights=None, classifier_activation=None)
    path = str(tmp_path / "inception.weights.h5")
    network.save_weights(path)
    images = np.random.default_rng(0).uniform(-1, 1, (1, 8, 8, 1)).astype(np.float32)
    out = InceptionFeatures(path)(images)
    assert out.features.shape == (1, 2048) and out.probabilities.shape == (1, 1000)
    # Reference: grey -> RGB, bilinear resize to 299, the same network's pool layer and logits.
    rgb = tf.image.resize(np.repeat(images, 3, axis=-1), (299, 299), method="bilinear")
    reference = keras.Model(network.inputs, [network.get_layer("avg_pool").output, network.output])
    pool, logits = reference.predict(rgb, verbose=0)
    assert np.allclose(out.features, pool, atol=1e-4)
    assert np.allclose(out.probabilities, tf.nn.softmax(logits).numpy(), atol=1e-5)
