"""The nets of ZAQ: its generator, a digits CNN classifier (the model to quantize) and its features.

* :func:`zaq_generator`: the generator of the ZAQ code (from DFAD, Fang et al. 2019): a linear
  projection of z to ``2*base x (s/4) x (s/4)``, BatchNorm, two nearest 2x upsamplings each
  followed by 3x3 convolutions with BatchNorm and LeakyReLU(0.2), a 3x3 convolution to the image
  channels and tanh (the authors' final BatchNorm without scale or offset standardises images
  for their standardised CIFAR inputs; it is optional here, where images are in [-1, 1]).
* :func:`digits_cnn`: a small classifier of the 8x8 digits in the layout ZAQ quantizes (ResNet
  and VGG stages): [Conv3x3-BN-ReLU] x 2, max-pool, [Conv3x3-BN-ReLU] x 2, global average pool,
  Dense logits.
* :func:`with_features`: the same classifier answering ``[feature maps ..., logits]``, as the
  scheme reads P and Q.

Reference:
    Liu, Zhang, Wang, "Zero-shot Adversarial Quantization", CVPR 2021, Section 4 (generator and
    setup); Fang et al., "Data-Free Adversarial Distillation", 2019 (the generator).
"""

from __future__ import annotations

from typing import Sequence

import keras

from tfgan_kit.errors import UserError

__all__ = ["DIGITS_CNN_FEATURES", "digits_cnn", "with_features", "zaq_generator"]

#: The feature maps of :func:`digits_cnn` whose channel relations D_f compares (every ReLU).
DIGITS_CNN_FEATURES = ("relu_1", "relu_2", "relu_3", "relu_4")


def _batch_norm(name: str, **kwargs) -> keras.layers.BatchNormalization:
    """PyTorch's BatchNorm2d defaults (momentum 0.1, eps 1e-5), over the global batch under
    ``tf.distribute`` so 1 and N replicas take the same step."""
    return keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True,
                                           name=name, **kwargs)


def zaq_generator(latent_dim: int, image_shape: Sequence[int], base_filters: int = 64,
                  normalize_output: bool = False, name: str = "generator") -> keras.Model:
    """ZAQ's generator ``z -> images`` (the authors' ``network.gan.Generator``).

    Args:
        latent_dim: width of z (the authors use 256).
        image_shape: ``(s, s, channels)`` with ``s`` divisible by 4.
        base_filters: ``ngf``. Defaults to `64`.
        normalize_output: end with the authors' BatchNorm without scale or offset, for
            classifiers of standardised inputs (their CIFAR models); without it the tanh output
            stays in [-1, 1], this library's image range. Defaults to `False`.
        name: model name. Defaults to `"generator"`.

    Returns:
        A functional ``keras.Model``.

    Raises:
        ValueError: for a size not divisible by 4 or non-positive widths.

    Reference:
        Liu et al. 2021, Section 4; Fang et al. 2019 (DFAD generator).
    """
    size, _, channels = (int(s) for s in image_shape)
    if size % 4 or size < 4 or latent_dim < 1 or base_filters < 1:
        raise UserError(
            "zaq_generator needs an image size divisible by 4 and positive widths. Received: "
            f"image_shape={tuple(image_shape)}, latent_dim={latent_dim}, "
            f"base_filters={base_filters}"
        )
    layers = keras.layers
    z = keras.Input((latent_dim,), name="z")
    start = size // 4
    h = layers.Dense(2 * base_filters * start * start, name="project")(z)
    h = layers.Reshape((start, start, 2 * base_filters))(h)
    h = _batch_norm("bn_0")(h)
    for index, filters in enumerate((2 * base_filters, base_filters), start=1):
        h = layers.UpSampling2D(name=f"up_{index}")(h)
        h = layers.Conv2D(filters, 3, padding="same", name=f"conv_{index}")(h)
        h = _batch_norm(f"bn_{index}")(h)
        h = layers.LeakyReLU(0.2, name=f"lrelu_{index}")(h)
    images = layers.Conv2D(channels, 3, padding="same", activation="tanh", dtype="float32",
                           name="to_image")(h)
    if normalize_output:
        images = _batch_norm("bn_out", center=False, scale=False, dtype="float32")(images)
    return keras.Model(z, images, name=name)


def digits_cnn(image_size: int = 8, num_classes: int = 10, width: int = 32, seed: int = 0,
               name: str = "digits_cnn") -> keras.Model:
    """A small CNN classifier with BatchNorm, ``images -> logits``.

    Args:
        image_size: input size (images ``[s, s, 1]`` in [-1, 1]), even. Defaults to `8`.
        num_classes: classes. Defaults to `10`.
        width: filters of the first stage (the second has twice as many). Defaults to `32`.
        seed: seed of the initialisers. Defaults to `0`.
        name: model name. Defaults to `"digits_cnn"`.

    Returns:
        A functional ``keras.Model`` whose ReLU layers are named ``relu_1`` .. ``relu_4``.

    Reference:
        Liu et al. 2021, Section 4 (convolutional classifiers with BatchNorm and ReLU).
    """
    layers = keras.layers
    x = keras.Input((image_size, image_size, 1), name="images")
    h = x
    for index, filters in enumerate((width, width, 2 * width, 2 * width), start=1):
        h = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv_{index}",
                          kernel_initializer=keras.initializers.HeNormal(seed + index))(h)
        h = layers.BatchNormalization(name=f"bn_{index}")(h)
        h = layers.ReLU(name=f"relu_{index}")(h)
        if index == 2:
            h = layers.MaxPooling2D(name="pool")(h)
    h = layers.GlobalAveragePooling2D(name="gap")(h)
    logits = layers.Dense(num_classes, dtype="float32", name="logits",
                          kernel_initializer=keras.initializers.GlorotUniform(seed))(h)
    return keras.Model(x, logits, name=name)


def with_features(classifier: keras.Model, feature_layers: Sequence[str],
                  name: str | None = None) -> keras.Model:
    """The classifier answering ``[feature map of each layer ..., logits]`` (shared weights).

    Args:
        classifier: a functional ``images -> logits`` model.
        feature_layers: names of the layers whose outputs D_f compares.
        name: model name. Defaults to the classifier's.

    Returns:
        A functional model with ``len(feature_layers) + 1`` outputs, the logits last.

    Raises:
        ValueError: naming a layer the classifier lacks.
    """
    names = [layer.name for layer in classifier.layers]
    missing = [n for n in feature_layers if n not in names]
    if missing or not feature_layers:
        raise UserError(f"`feature_layers` must name layers of {classifier.name}. Received "
                        f"{list(feature_layers)}; its layers are {names}.")
    outputs = [classifier.get_layer(n).output for n in feature_layers] + [classifier.outputs[0]]
    return keras.Model(classifier.inputs[0], outputs, name=name or classifier.name)
