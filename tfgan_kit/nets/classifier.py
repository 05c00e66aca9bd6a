"""Classifier-discriminators and generators of the semi-supervised GANs (SSGAN, CatGAN).

* :func:`noisy_mlp_classifier`: the permutation-invariant MNIST discriminator of Salimans et al.
  2016 (Section 5 and the authors' code): Gaussian noise (std 0.3) on the input, then dense
  ReLU layers 1000-500-250-250-250, each followed by Gaussian noise (std 0.5) in training, and
  K class logits. It returns ``{"logits": [batch, K], "features": [batch, 250]}``, the features
  being the last hidden layer (before its noise), the layer feature matching uses.
  (The authors also weight-normalise every layer; Keras has no weight normalisation layer, so
  these are plain dense layers.)
* :func:`bn_mlp_generator`: their generator: dense 500-500 with softplus and batch
  normalisation, then a dense output layer (tanh: images in [-1, 1]).

Registered as net family ``"noisy_mlp"`` with roles ``"classifier"`` and ``"generator"``,
reading ``latent_dim``, ``g_hidden``, ``d_hidden``, ``input_noise`` and ``hidden_noise`` from
``config.model`` and the classes from the data spec.

Reference:
    Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016, Section 5
    (https://arxiv.org/abs/1606.03498); Springenberg, "Unsupervised and Semi-supervised
    Learning with Categorical Generative Adversarial Networks", ICLR 2016 (a classifier as D).
"""

from __future__ import annotations

from typing import Sequence

import keras
import numpy as np

from tfgan_kit.errors import UserError, check_positive_ints
from tfgan_kit.nets.dcgan import dcgan_batch_norm
from tfgan_kit.nets.mlp import check_hidden
from tfgan_kit.registry import register_net

__all__ = ["bn_mlp_generator", "noisy_mlp_classifier"]

SALIMANS_D_HIDDEN = (1000, 500, 250, 250, 250)
SALIMANS_G_HIDDEN = (500, 500)


def _check_noise(**values: float) -> None:
    for name, value in values.items():
        if not value >= 0:
            raise UserError(f"`{name}` must be >= 0 (a standard deviation). Received: "
                            f"{name}={value!r}")


def noisy_mlp_classifier(input_shape: int | Sequence[int], num_classes: int,
                         hidden: Sequence[int] = SALIMANS_D_HIDDEN, input_noise: float = 0.3,
                         hidden_noise: float = 0.5,
                         name: str = "noisy_mlp_classifier") -> keras.Model:
    """Salimans et al. 2016's MNIST discriminator: Gaussian-noise-regularised ReLU MLP, K logits.

    Args:
        input_shape: shape of one sample, e.g. ``(8, 8, 1)``.
        num_classes: K.
        hidden: hidden widths. Defaults to `(1000, 500, 250, 250, 250)`.
        input_noise: std of the Gaussian noise on the input (training only). Defaults to `0.3`.
        hidden_noise: std of the noise after every hidden layer. Defaults to `0.5`.
        name: model name.

    Returns:
        ``keras.Model`` from samples to ``{"logits": [batch, K], "features": [batch, H]}``.

    Raises:
        ValueError: for bad widths, classes or noise levels.
    """
    hidden = check_hidden(hidden)
    check_positive_ints(num_classes=num_classes)
    _check_noise(input_noise=input_noise, hidden_noise=hidden_noise)
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    x = keras.Input(shape, name="images")
    h = keras.layers.Flatten(name="flatten")(x) if len(shape) > 1 else x
    h = keras.layers.GaussianNoise(input_noise, name="input_noise")(h)
    features = h
    for i, width in enumerate(hidden):
        # float32 first layer: the samples are read at full precision (mlp.mlp_discriminator).
        features = keras.layers.Dense(width, activation="relu",
                                      dtype="float32" if i == 0 else None, name=f"dense_{i}")(h)
        h = keras.layers.GaussianNoise(hidden_noise, name=f"noise_{i}")(features)
    logits = keras.layers.Dense(num_classes, dtype="float32", name="logits")(h)
    features = keras.layers.Activation("linear", dtype="float32", name="features")(features)
    return keras.Model(x, {"logits": logits, "features": features}, name=name)


def bn_mlp_generator(latent_dim: int, output_shape: int | Sequence[int],
                     hidden: Sequence[int] = SALIMANS_G_HIDDEN,
                     name: str = "bn_mlp_generator") -> keras.Model:
    """Salimans et al. 2016's MNIST generator: dense softplus layers with batch normalisation.

    Args:
        latent_dim: width of ``z``.
        output_shape: shape of one sample.
        hidden: hidden widths. Defaults to `(500, 500)`.
        name: model name.

    Returns:
        ``keras.Model`` from ``z`` to samples in [-1, 1] (tanh).
    """
    hidden = check_hidden(hidden)
    check_positive_ints(latent_dim=latent_dim)
    shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
    z = keras.Input((latent_dim,), name="z")
    h = z
    for i, width in enumerate(hidden):
        h = keras.layers.Dense(width, use_bias=False, name=f"dense_{i}")(h)
        h = keras.layers.Activation("softplus", name=f"softplus_{i}")(dcgan_batch_norm(f"bn_{i}")(h))
    h = keras.layers.Dense(int(np.prod(shape)), dtype="float32", name="output")(h)
    h = keras.layers.Activation("tanh", dtype="float32", name="tanh")(h)
    if len(shape) > 1:
        h = keras.layers.Reshape(shape, name="reshape")(h)
    return keras.Model(z, h, name=name)


def _classes(spec) -> int:
    if not spec.num_classes:
        raise UserError("A classifier-discriminator needs the number of classes: use labelled "
                        "or semi-supervised data (e.g. config.data.labelled_per_class=10), or "
                        "set config.model.num_classes.")
    return int(spec.num_classes)


@register_net("noisy_mlp", "classifier")
def noisy_mlp_classifier_from_config(m, spec) -> keras.Model:
    """:func:`noisy_mlp_classifier` (``d_hidden``, ``input_noise``, ``hidden_noise``; K from
    ``config.model.num_classes`` or the data)."""
    classes = m.get("num_classes") or _classes(spec)
    return noisy_mlp_classifier(spec.sample_shape, int(classes), hidden=tuple(m.d_hidden),
                                input_noise=m.get("input_noise", 0.3),
                                hidden_noise=m.get("hidden_noise", 0.5))


@register_net("noisy_mlp", "generator")
def bn_mlp_generator_from_config(m, spec) -> keras.Model:
    """:func:`bn_mlp_generator` (``latent_dim``, ``g_hidden``)."""
    return bn_mlp_generator(m.latent_dim, spec.sample_shape, hidden=tuple(m.g_hidden))
