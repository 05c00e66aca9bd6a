"""Image encoders of the VQA models: regions ``[batch, N, D]`` from pixels or precomputed features.

Every VQA model reads an image as N region vectors: DAN attends over them (Nam et al. 2017,
Section 3.1: the regions of a convolutional feature map), the LSTM / BoW models read their
concatenation as one image vector (Antol et al. 2015, Section 6, "I").

* :class:`ConvEncoder`: a small CNN trained end to end with the question model (Santoro et al.
  2017's Sort-of-CLEVR CNN: 4 convolutions of 24 3x3 kernels, stride 2, batch norm, ReLU); its
  spatial grid gives the regions, optionally with each region's (x, y) coordinates appended
  (as Santoro et al. tag their objects, so positions survive attention pooling).
* :class:`FeatureEncoder`: precomputed features (``[D]``, ``[N, D]`` or ``[H, W, D]`` per image,
  e.g. VGG fc7 or ResNet res5c) passed through as regions.

Reference:
    Nam et al., "Dual Attention Networks for Multimodal Reasoning and Matching", CVPR 2017,
    Section 3.1 (visual features of N regions); Santoro et al., "A simple neural network module
    for relational reasoning", NeurIPS 2017, Appendix (the Sort-of-CLEVR CNN and coordinates).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError

__all__ = ["ConvEncoder", "FeatureEncoder", "NORMALIZATIONS", "repeat_for_questions"]

#: What follows each convolution of :class:`ConvEncoder`.
NORMALIZATIONS = ("batch", "layer", "none")


class ConvEncoder(keras.layers.Layer):
    """Pixels ``[batch, H, W, 3]`` in [-1, 1] -> regions ``[batch, h * w, filters (+ 2)]``.

    Args:
        filters: kernels per convolution. Defaults to `24` (Santoro et al. 2017).
        num_layers: stride-2 3x3 convolutions (each with batch norm and ReLU). Defaults to `4`
            (75x75 -> a 5x5 grid of 25 regions).
        coordinates: append each region's (x, y) in [-1, 1]. Defaults to `True`.
        momentum: batch-norm moving-average momentum. Defaults to `0.9` (the PyTorch default
            of the Sort-of-CLEVR reference code; Keras' 0.99 lags the fast-changing statistics
            of a CNN trained from scratch, so held-out answers scored far below training ones).
        normalization: after each convolution: ``"batch"`` (Santoro et al.'s batch norm),
            ``"layer"`` (layer norm over each position's channels, Ba et al. 2016: no batch
            statistics, so training and inference compute the same function) or ``"none"``.
            Defaults to `"batch"`.
        **kwargs: passed to ``keras.layers.Layer``.

    Raises:
        ValueError: for a non-positive ``filters`` or ``num_layers``.

    Reference:
        Santoro et al. 2017, Appendix (CNN of 4 conv layers with 24 kernels, ReLU, batch norm).
    """

    def __init__(self, filters: int = 24, num_layers: int = 4, coordinates: bool = True,
                 momentum: float = 0.9, normalization: str = "batch", **kwargs):
        super().__init__(**kwargs)
        for name, value in (("filters", filters), ("num_layers", num_layers)):
            if not isinstance(value, int) or value < 1:
                raise UserError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
        if normalization not in NORMALIZATIONS:
            raise UserError(f"`normalization` must be one of {list(NORMALIZATIONS)}. Received: "
                            f"normalization={normalization!r}")
        self.filters, self.num_layers, self.coordinates = filters, num_layers, coordinates
        self.momentum = float(momentum)
        self.normalization = normalization

        def norm(i):
            if normalization == "batch":
                return keras.layers.BatchNormalization(momentum=self.momentum, name=f"norm{i}")
            if normalization == "layer":
                return keras.layers.LayerNormalization(name=f"norm{i}")
            return None

        self.blocks = [
            (keras.layers.Conv2D(filters, 3, strides=2, padding="same", name=f"conv{i}"), norm(i))
            for i in range(num_layers)
        ]

    def call(self, images, training=None):
        x = images
        for conv, norm in self.blocks:
            x = conv(x)
            if norm is not None:
                x = norm(x, training=training)
            x = tf.nn.relu(x)
        batch, height, width = tf.shape(x)[0], tf.shape(x)[1], tf.shape(x)[2]
        regions = tf.reshape(x, [batch, height * width, self.filters])
        if not self.coordinates:
            return regions
        ys = tf.linspace(-1.0, 1.0, height)
        xs = tf.linspace(-1.0, 1.0, width)
        grid_y, grid_x = tf.meshgrid(ys, xs, indexing="ij")
        coords = tf.reshape(tf.stack([grid_x, grid_y], -1), [1, height * width, 2])
        coords = tf.cast(tf.tile(coords, [batch, 1, 1]), regions.dtype)
        return tf.concat([regions, coords], -1)

    def get_config(self):
        config = super().get_config()
        return {**config, "filters": self.filters, "num_layers": self.num_layers,
                "coordinates": self.coordinates, "momentum": self.momentum,
                "normalization": self.normalization}


class FeatureEncoder(keras.layers.Layer):
    """Precomputed features as regions: ``[batch, D]`` -> ``[batch, 1, D]``, ``[batch, N, D]``
    unchanged, ``[batch, H, W, D]`` -> ``[batch, H * W, D]``.

    Reference:
        Antol et al. 2015, Section 6 (VGGNet fc7 as I); Nam et al. 2017, Section 4.1 (ResNet
        res5c regions).
    """

    def call(self, features):
        features = tf.convert_to_tensor(features)
        if features.shape.rank == 2:
            return features[:, None, :]
        if features.shape.rank == 4:
            shape = tf.shape(features)
            return tf.reshape(features, [shape[0], shape[1] * shape[2], features.shape[-1]])
        return features


def repeat_for_questions(features, questions):
    """Each image's features repeated for its questions: ``[B, ...]`` -> ``[Q, ...]``.

    A batch may hold several questions per image (``Q = r * B``, the r questions of image i at
    rows ``i * r .. i * r + r - 1``), so the CNN runs once per image; with ``Q = B`` (one
    question per image, as at serving) the features are returned unchanged.

    Args:
        features: ``[B, ...]`` image features or regions.
        questions: ``[Q, T]`` question token ids, Q a multiple of B.

    Returns:
        ``[Q, ...]`` features, row q the features of question q's image.

    Reference:
        Antol et al. 2015, Section 6 (every question is answered from its image's features);
        the grouping is a batching choice, each question's loss is unchanged.
    """
    repeats = tf.shape(questions)[0] // tf.shape(features)[0]
    return tf.repeat(features, repeats, axis=0)
