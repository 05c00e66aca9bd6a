"""Feature extractors for FID / KID / IS / PRDC: InceptionV3 (local weights) and any classifier."""

from __future__ import annotations

import os
import warnings
from typing import NamedTuple

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.files import load_keras_file, weights_file_problem

INCEPTION_SIZE = 299

_INCEPTION_WEIGHTS_HELP = (
    "tfgan_kit never downloads weights. On a machine with network access run "
    "`python -c \"import keras; keras.applications.InceptionV3(weights='imagenet')"
    ".save_weights('inception_v3.weights.h5')\"` (or fetch Keras' "
    "inception_v3_weights_tf_dim_ordering_tf_kernels.h5), copy the file here and pass its "
    "path (--inception_weights=PATH)."
)


class Features(NamedTuple):
    """Output of a feature extractor: ``features [N, D]`` and class ``probabilities [N, K]``."""

    features: np.ndarray
    probabilities: np.ndarray


class FeatureExtractor:
    """Base class: runs a two-output Keras model over images in batches.

    Subclasses set ``self._model`` (image -> ``[features, logits_or_probabilities]``),
    ``self._outputs_probabilities`` and ``self.input_size`` / ``self.input_channels``.
    """

    batch_size: int = 64

    def _prepare(self, images: tf.Tensor) -> tf.Tensor:
        channels = images.shape[-1]
        if channels != self.input_channels:
            if channels == 1:
                images = tf.repeat(images, self.input_channels, axis=-1)
            else:
                raise UserError(
                    f"The feature network takes {self.input_channels}-channel images. "
                    f"Received: {channels} channels"
                )
        if tuple(images.shape[1:3]) != self.input_size:
            images = tf.image.resize(images, self.input_size, method="bilinear")
        return images

    def __call__(self, images, batch_size: int | None = None) -> Features:
        """Features and class probabilities of images ``[N, H, W, C]`` in [-1, 1] (float64)."""
        images = np.asarray(images, dtype=np.float32)
        if images.ndim != 4 or images.shape[0] == 0:
            raise UserError(
                f"`images` must have shape [N, H, W, C] with N > 0. Received: {images.shape}"
            )
        batch_size = batch_size or self.batch_size
        features, probabilities = [], []
        for start in range(0, len(images), batch_size):
            f, p = self._forward(tf.constant(images[start : start + batch_size]))
            features.append(np.asarray(f, dtype=np.float64).reshape(len(f), -1))
            probabilities.append(np.asarray(p, dtype=np.float64))
        return Features(np.concatenate(features), np.concatenate(probabilities))

    @tf.function(reduce_retracing=True)
    def _forward(self, images):
        outputs = self._model(self._prepare(images), training=False)
        features, scores = outputs[0], outputs[1]
        if not self._outputs_probabilities:
            scores = tf.nn.softmax(scores, axis=-1)
        return features, scores


class InceptionFeatures(FeatureExtractor):
    """InceptionV3 pool features (2048-d) and ImageNet class probabilities, from local weights.

    Images in [-1, 1] (already InceptionV3's input range) are resized bilinearly to 299x299;
    grey images are repeated to 3 channels. The network is ``keras.applications.InceptionV3``
    with the top, its ``avg_pool`` output giving the FID/KID/PRDC features and the softmax of
    its logits the Inception-Score probabilities.

    Note: Keras' InceptionV3 weights are not the TF-slim graph used by the original FID and
    Inception Score code, so values are comparable between runs of this library, not with
    published numbers.

    Args:
        weights_path: a local weights file for ``keras.applications.InceptionV3`` (include
            top), ``.weights.h5`` or Keras' legacy ``.h5``.
        batch_size: images per forward pass. Defaults to `64`.

    Raises:
        FileNotFoundError: if `weights_path` is missing, with how to obtain the file.
        ValueError: if it is not a Keras weights file or does not hold InceptionV3's weights,
            naming it.

    Reference:
        Szegedy et al. "Rethinking the Inception Architecture for Computer Vision", CVPR 2016;
        Heusel et al. 2017 (FID uses the pool3 features); Salimans et al. 2016 (IS).
    """

    def __init__(self, weights_path: str | None, batch_size: int = 64):
        if not weights_path or not os.path.isfile(weights_path):
            raise FileNotFoundError(
                f"InceptionV3 weights not found at {weights_path!r}. {_INCEPTION_WEIGHTS_HELP}"
            )
        network = keras.applications.InceptionV3(
            include_top=True, weights=None, classifier_activation=None
        )
        problem = weights_file_problem(weights_path)
        if problem is not None:
            raise UserError(f"{weights_path} is not an InceptionV3 weights file ({problem}). "
                            f"{_INCEPTION_WEIGHTS_HELP}")
        with warnings.catch_warnings(record=True) as caught:  # one per layer for a wrong file
            warnings.simplefilter("always")
            try:
                network.load_weights(weights_path)
            except (ValueError, OSError, KeyError) as error:
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
                raise UserError(f"{weights_path} does not hold InceptionV3 weights "
                                f"({reason.rstrip(':')}). {_INCEPTION_WEIGHTS_HELP}") from None
        for warning in caught:  # the weights loaded: their warnings, if any, are real
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
        self._model = keras.Model(
            network.inputs, [network.get_layer("avg_pool").output, network.outputs[0]]
        )
        self._outputs_probabilities = False
        self.input_size = (INCEPTION_SIZE, INCEPTION_SIZE)
        self.input_channels = 3
        self.batch_size = batch_size


class ClassifierFeatures(FeatureExtractor):
    """Features from a named layer of any functional Keras classifier, plus its probabilities.

    Lets FID/KID/IS/PRDC run on a domain classifier (e.g. `train_digits_classifier` for the
    embedded digits, as the "MNIST classifier" scores of the GAN literature). Images are
    resized bilinearly to the model's input size and grey images repeated to its channels. The
    model's output is taken as probabilities if its last layer has a softmax activation,
    otherwise as logits (a softmax is applied).

    Args:
        model: a functional (or Sequential) ``keras.Model`` classifier taking images in [-1, 1].
        layer_name: the layer whose (flattened) output is the feature vector.
        batch_size: images per forward pass. Defaults to `256`.

    Raises:
        ValueError: if `layer_name` is not a layer of `model` or the model has no symbolic
            inputs (subclassed).
    """

    def __init__(self, model: keras.Model, layer_name: str, batch_size: int = 256):
        names = [layer.name for layer in model.layers]
        if layer_name not in names:
            raise UserError(
                f"`layer_name` {layer_name!r} is not a layer of {model.name}; choose one of "
                f"{names}."
            )
        try:
            inputs = model.inputs
        except (AttributeError, ValueError):
            inputs = None
        if not inputs:
            raise UserError(
                f"{model.name} has no symbolic inputs: pass a functional or Sequential model."
            )
        self._model = keras.Model(inputs, [model.get_layer(layer_name).output, model.outputs[0]])
        last_activation = getattr(model.layers[-1], "activation", None)
        self._outputs_probabilities = last_activation is keras.activations.softmax
        self.input_size = tuple(int(s) for s in model.inputs[0].shape[1:3])
        self.input_channels = int(model.inputs[0].shape[-1])
        self.batch_size = batch_size


def train_digits_classifier(
    image_size: int = 8, epochs: int = 15, seed: int = 0, cache_path: str | None = None
) -> keras.Model:
    """A small CNN trained in seconds on the embedded digits, as the feature network for them.

    Conv(32)-Conv(32)-MaxPool-Conv(64)-Conv(64)-GlobalAveragePool-Dense(128, ``"features"``)-
    Dense(10, softmax, ``"probabilities"``), Adam 1e-3, batch 64, trained on a seeded 80% of
    `tfgan_kit.data.digits_arrays` (images in [-1, 1]); seeded initialisers and a fixed data
    order make it reproducible. ``model.validation_accuracy`` holds the accuracy on the other
    20% (0.989 with the defaults at 8x8). Use with
    ``ClassifierFeatures(model, "features")``.

    Args:
        image_size: 8, 16 or 32, the size of the images it will score. Defaults to `8`.
        epochs: training epochs. Defaults to `15`.
        seed: seed of the split, the initialisers and the data order. Defaults to `0`.
        cache_path: optional ``.keras`` file: loaded if it exists (no training), written
            after training if not.

    Returns:
        The trained ``keras.Model`` (with a ``validation_accuracy`` float attribute).

    Raises:
        ValueError: if ``cache_path`` is not a readable ``.keras`` archive (truncated or
            corrupt) or holds a classifier of another image size.
    """
    from tfgan_kit.data import digits_arrays

    images, labels = digits_arrays(image_size, with_labels=True)
    order = np.random.default_rng(seed).permutation(len(images))
    split = int(0.8 * len(images))
    train, held_out = order[:split], order[split:]
    if cache_path and os.path.isfile(cache_path):
        model = load_keras_file(cache_path, "cache_path", "delete it (the classifier is then "
                                "trained and saved there again) or pass another cache path")
        shape = tuple(model.inputs[0].shape[1:])
        if shape != (image_size, image_size, 1):
            raise UserError(
                f"The cached classifier {cache_path} takes images {shape}, not "
                f"{(image_size, image_size, 1)}: delete it or pass another cache path."
            )
        model.validation_accuracy = _accuracy(model, images[held_out], labels[held_out])
        return model

    def conv(filters, index):
        return keras.layers.Conv2D(
            filters, 3, padding="same", activation="relu",
            kernel_initializer=keras.initializers.HeNormal(seed=seed + index),
        )

    model = keras.Sequential(
        [
            keras.Input((image_size, image_size, 1)),
            conv(32, 0),
            conv(32, 1),
            keras.layers.MaxPooling2D(),
            conv(64, 2),
            conv(64, 3),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(
                128, activation="relu", name="features",
                kernel_initializer=keras.initializers.HeNormal(seed=seed + 4),
            ),
            keras.layers.Dense(
                10, activation="softmax", name="probabilities",
                kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 5),
            ),
        ],
        name=f"digits_classifier_{image_size}",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    # A fixed, seeded order per epoch (fit's own shuffling would use the global RNG).
    rng = np.random.default_rng(seed + 1)
    epoch_orders = np.concatenate([rng.permutation(train) for _ in range(epochs)])
    model.fit(
        images[epoch_orders], labels[epoch_orders], batch_size=64, epochs=1,
        shuffle=False, verbose=0,
    )
    model.validation_accuracy = _accuracy(model, images[held_out], labels[held_out])
    if cache_path:
        os.makedirs(os.path.dirname(os.path.abspath(cache_path)), exist_ok=True)
        model.save(cache_path)
    return model


def _accuracy(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    predictions = np.argmax(model.predict(images, batch_size=512, verbose=0), axis=-1)
    return float(np.mean(predictions == labels))
