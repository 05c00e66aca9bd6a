"""Class-conditional nets: G(z, y), D(x, y) and ACGAN's two-headed discriminator.

Every conditional net takes ``[inputs, label]`` with an int32 ``label [batch]`` input named
``"label"``. Labels reach the nets in one of these ways (selectable):

* **generators** (dense and conv): ``concat(z, encode(y))``, the label encoded as a one-hot
  vector (``label_encoding="one_hot"``, Mirza & Osindero 2014, Section 4.1) or a learned
  embedding (``"embedding"``, width ``embedding_dim``); the conv generator then follows the
  DCGAN layout (Radford et al. 2016).
* **discriminators**: ``conditioning="concat"`` joins ``encode(y)`` to the input, for dense nets
  as a vector next to the flattened sample (Mirza & Osindero 2014) and for conv nets as
  ``encode(y)`` maps tiled over the image and concatenated to its channels;
  ``conditioning="projection"`` (Miyato & Koyama 2018, Eq. 3) leaves the body unconditional and
  adds ``<embed(y), phi(x)>`` to the unconditional logit ``psi(phi(x))``, ``phi`` being the
  body's last (flattened) features.
* **ACGAN discriminator** (Odena et al. 2017, Section 3): no label input; a shared body (MLP or
  DCGAN convolutions) with two heads, the source logit ``[batch, 1]`` and the class logits
  ``[batch, K]``.

Registered net families (``config.model.nets``), each with roles ``"generator"``,
``"discriminator"`` (D(x, y)) and ``"acgan_discriminator"`` (the two-headed one):

* ``"cmlp"``: fully connected nets (``g_hidden``, ``d_hidden``, ``dropout``,
  ``output_activation``), any sample shape;
* ``"cdcgan"``: DCGAN convolutions (``g_base_filters``, ``d_base_filters``,
  ``d_normalization``) for square images.

Both read ``label_encoding`` (default ``"one_hot"``), ``label_embedding_dim`` (default 50) and
``d_conditioning`` (default ``"concat"``) from ``config.model`` when present, and the number of
classes from the data spec (labelled data: ``config.data.with_labels=True``).

Reference:
    Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014
    (https://arxiv.org/abs/1411.1784); Miyato & Koyama, "cGANs with Projection Discriminator",
    ICLR 2018 (https://arxiv.org/abs/1802.05637); Odena, Olah, Shlens, "Conditional Image
    Synthesis with Auxiliary Classifier GANs", ICML 2017 (https://arxiv.org/abs/1610.09585);
    Radford et al. 2016 (DCGAN layout).
"""

from __future__ import annotations

from typing import Sequence

import keras
import numpy as np

from tfgan_kit.errors import UserError, check_positive_ints
from tfgan_kit.nets.dcgan import (
    D_NORMALIZATIONS,
    dcgan_batch_norm,
    dcgan_init,
    dcgan_layer_norm,
    dcgan_levels,
)
from tfgan_kit.nets.mlp import check_hidden
from tfgan_kit.registry import register_net

LABEL_ENCODINGS = ("one_hot", "embedding")
D_CONDITIONINGS = ("concat", "projection")
DEFAULT_EMBEDDING_DIM = 50


@keras.saving.register_keras_serializable(package="tfgan_kit")
class OneHot(keras.layers.Layer):
    """Int labels ``[batch]`` -> one-hot float vectors ``[batch, num_classes]``.

    A label outside ``[0, num_classes)`` gives the zero vector (the schemes check labels at
    serving time). Mirza & Osindero 2014, Section 4.1 (y fed as a one-hot vector).
    """

    def __init__(self, num_classes: int, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = int(num_classes)

    def call(self, labels):
        labels = keras.ops.reshape(keras.ops.cast(labels, "int32"), (-1,))
        return keras.ops.one_hot(labels, self.num_classes, dtype=self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.num_classes)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def _check_choice(name: str, value, choices) -> None:
    if value not in choices:
        raise UserError(f"`{name}` must be one of {choices}. Received: {name}={value!r}")


def _check_classes(num_classes) -> None:
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 2:
        raise UserError(
            f"`num_classes` must be an integer >= 2. Received: num_classes={num_classes!r}"
        )


def label_input() -> keras.KerasTensor:
    """The ``label`` input of every conditional net: int32 ``[batch]``."""
    return keras.Input((), dtype="int32", name="label")


def encode_labels(labels, num_classes: int, encoding: str = "one_hot",
                  embedding_dim: int = DEFAULT_EMBEDDING_DIM, name: str = "label") -> keras.KerasTensor:
    """``[batch]`` int labels -> ``[batch, E]``: one-hot (E = K) or a learned embedding (E =
    ``embedding_dim``). Mirza & Osindero 2014, Section 4.1 (one-hot y)."""
    _check_choice("label_encoding", encoding, LABEL_ENCODINGS)
    if encoding == "one_hot":
        return OneHot(num_classes, name=f"{name}_one_hot")(labels)
    check_positive_ints(embedding_dim=embedding_dim)
    return keras.layers.Embedding(num_classes, embedding_dim, name=f"{name}_embedding")(labels)


def _projection_logit(features, labels, num_classes: int, name: str = "projection"):
    """``psi(phi) + <embed(y), phi>`` (Miyato & Koyama 2018, Eq. 3) for features ``[batch, F]``."""
    width = int(features.shape[-1])
    unconditional = keras.layers.Dense(1, dtype="float32", name="logits")(features)
    embedded = keras.layers.Embedding(num_classes, width, name=f"{name}_embedding")(labels)
    inner = keras.layers.Dot(axes=1, dtype="float32", name=f"{name}_inner")([embedded, features])
    return keras.layers.Add(dtype="float32", name=f"{name}_logits")([unconditional, inner])


# ------------------------------------------------------------------------------ dense nets
def conditional_mlp_generator(
    latent_dim: int,
    output_shape: int | Sequence[int],
    num_classes: int,
    hidden: Sequence[int] = (256, 256),
    output_activation: str | None = "tanh",
    label_encoding: str = "one_hot",
    embedding_dim: int = DEFAULT_EMBEDDING_DIM,
    name: str = "cmlp_generator",
) -> keras.Model:
    """Fully connected G(z, y) of Mirza & Osindero 2014: ReLU layers on ``concat(z, encode(y))``.

    (The paper maps z and y to separate hidden layers before joining them; concatenating the
    inputs is the common simplification with the same conditioning.)

    Args:
        latent_dim: width of ``z``.
        output_shape: shape of one sample (int for vectors, e.g. ``(8, 8, 1)`` for images).
        num_classes: K, labels in ``[0, K)``.
        hidden: hidden layer widths. Defaults to `(256, 256)`.
        output_activation: ``"tanh"`` for data in [-1, 1], ``None`` for unbounded data.
        label_encoding: ``"one_hot"`` or ``"embedding"``. Defaults to `"one_hot"`.
        embedding_dim: width of the embedding. Defaults to `50`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[z [batch, latent_dim], label [batch]]`` to samples.
    """
    hidden = check_hidden(hidden)
    check_positive_ints(latent_dim=latent_dim)
    _check_classes(num_classes)
    shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
    z, labels = keras.Input((latent_dim,), name="z"), label_input()
    h = keras.layers.Concatenate(name="z_and_label")(
        [z, encode_labels(labels, num_classes, label_encoding, embedding_dim)])
    for i, width in enumerate(hidden):
        h = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(h)
    h = keras.layers.Dense(int(np.prod(shape)), dtype="float32", name="output")(h)
    h = keras.layers.Activation(output_activation or "linear", dtype="float32", name="out_act")(h)
    if len(shape) > 1:
        h = keras.layers.Reshape(shape, name="reshape")(h)
    return keras.Model([z, labels], h, name=name)


def _mlp_body(h, hidden, dropout: float, leaky_slope: float):
    for i, width in enumerate(hidden):
        # float32 first layer: the samples are read at full precision (mlp.mlp_discriminator).
        h = keras.layers.Dense(width, dtype="float32" if i == 0 else None, name=f"dense_{i}")(h)
        h = keras.layers.LeakyReLU(leaky_slope, name=f"lrelu_{i}")(h)
        if dropout:
            h = keras.layers.Dropout(dropout, name=f"dropout_{i}")(h)
    return h


def _check_dropout(dropout: float) -> None:
    if not 0.0 <= dropout < 1.0:
        raise UserError(f"`dropout` must be in [0, 1). Received: dropout={dropout}")


def conditional_mlp_discriminator(
    input_shape: int | Sequence[int],
    num_classes: int,
    hidden: Sequence[int] = (256, 256),
    dropout: float = 0.0,
    leaky_slope: float = 0.2,
    conditioning: str = "concat",
    label_encoding: str = "one_hot",
    embedding_dim: int = DEFAULT_EMBEDDING_DIM,
    name: str = "cmlp_discriminator",
) -> keras.Model:
    """Fully connected D(x, y): LeakyReLU layers, one logit; y concatenated or projected.

    Args:
        input_shape: shape of one sample.
        num_classes: K.
        hidden: hidden layer widths. Defaults to `(256, 256)`.
        dropout: dropout after each hidden layer. Defaults to `0.0`.
        leaky_slope: LeakyReLU slope. Defaults to `0.2`.
        conditioning: ``"concat"`` (``encode(y)`` next to the flattened x, Mirza & Osindero 2014)
            or ``"projection"`` (Miyato & Koyama 2018, Eq. 3, on the last hidden layer).
            Defaults to `"concat"`.
        label_encoding: ``"one_hot"`` or ``"embedding"`` (for ``"concat"``). Defaults to
            `"one_hot"`.
        embedding_dim: embedding width. Defaults to `50`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[x, label]`` to logits ``[batch, 1]``.
    """
    hidden = check_hidden(hidden)
    _check_classes(num_classes)
    _check_dropout(dropout)
    _check_choice("conditioning", conditioning, D_CONDITIONINGS)
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    x, labels = keras.Input(shape, name="x"), label_input()
    h = keras.layers.Flatten(name="flatten")(x) if len(shape) > 1 else x
    if conditioning == "concat":
        h = keras.layers.Concatenate(name="x_and_label")(
            [h, encode_labels(labels, num_classes, label_encoding, embedding_dim)])
    h = _mlp_body(h, hidden, dropout, leaky_slope)
    if conditioning == "concat":
        logits = keras.layers.Dense(1, dtype="float32", name="logits")(h)
    else:
        logits = _projection_logit(h, labels, num_classes)
    return keras.Model([x, labels], logits, name=name)


def acgan_mlp_discriminator(
    input_shape: int | Sequence[int],
    num_classes: int,
    hidden: Sequence[int] = (256, 256),
    dropout: float = 0.0,
    leaky_slope: float = 0.2,
    name: str = "acgan_mlp_discriminator",
) -> keras.Model:
    """ACGAN discriminator (Odena et al. 2017, Section 3) with a fully connected shared body.

    Returns:
        ``keras.Model`` from ``x`` to ``[source logits [batch, 1], class logits [batch, K]]``.
    """
    hidden = check_hidden(hidden)
    _check_classes(num_classes)
    _check_dropout(dropout)
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    x = keras.Input(shape, name="x")
    h = keras.layers.Flatten(name="flatten")(x) if len(shape) > 1 else x
    h = _mlp_body(h, hidden, dropout, leaky_slope)
    return keras.Model(x, _two_heads(h, num_classes), name=name)


def _two_heads(features, num_classes: int, initializer="glorot_uniform"):
    source = keras.layers.Dense(1, kernel_initializer=initializer, dtype="float32",
                                name="source_logits")(features)
    classes = keras.layers.Dense(num_classes, kernel_initializer=initializer, dtype="float32",
                                 name="class_logits")(features)
    return [source, classes]


# ------------------------------------------------------------------------------- conv nets
def conditional_dcgan_generator(
    latent_dim: int,
    num_classes: int,
    image_size: int = 32,
    channels: int = 1,
    base_filters: int = 64,
    label_encoding: str = "one_hot",
    embedding_dim: int = DEFAULT_EMBEDDING_DIM,
    name: str = "cdcgan_generator",
) -> keras.Model:
    """DCGAN generator (Radford et al. 2016) of ``concat(z, encode(y))``: G(z, y).

    Args:
        latent_dim: width of ``z``.
        num_classes: K.
        image_size: 8, 16, 28, 32 or 64. Defaults to `32`.
        channels: output channels. Defaults to `1`.
        base_filters: filters of the last hidden layer, doubled per earlier stage. Defaults to `64`.
        label_encoding: ``"one_hot"`` or ``"embedding"``. Defaults to `"one_hot"`.
        embedding_dim: embedding width. Defaults to `50`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[z, label]`` to images ``[batch, s, s, channels]`` in [-1, 1].
    """
    check_positive_ints(latent_dim=latent_dim, channels=channels, base_filters=base_filters)
    _check_classes(num_classes)
    start, stages = dcgan_levels(image_size)
    z, labels = keras.Input((latent_dim,), name="z"), label_input()
    h = keras.layers.Concatenate(name="z_and_label")(
        [z, encode_labels(labels, num_classes, label_encoding, embedding_dim)])
    filters = base_filters * 2 ** (stages - 1)
    h = keras.layers.Dense(start * start * filters, use_bias=False, kernel_initializer=dcgan_init(),
                           name="project")(h)
    h = keras.layers.Reshape((start, start, filters), name="reshape")(h)
    h = dcgan_batch_norm("project_bn")(h)
    h = keras.layers.ReLU(name="project_relu")(h)
    for stage in range(stages - 1):
        filters //= 2
        h = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False,
                                         kernel_initializer=dcgan_init(), name=f"up_{stage}")(h)
        h = dcgan_batch_norm(f"up_{stage}_bn")(h)
        h = keras.layers.ReLU(name=f"up_{stage}_relu")(h)
    h = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                     kernel_initializer=dcgan_init(), dtype="float32",
                                     name="to_image")(h)
    images = keras.layers.Activation("tanh", dtype="float32", name="tanh")(h)
    return keras.Model([z, labels], images, name=name)


def _conv_body(h, base_filters: int, stages: int, leaky_slope: float, normalization: str,
               dropout: float = 0.0):
    """DCGAN discriminator convolutions (no normalisation on the first), flattened features."""
    filters = base_filters
    for stage in range(stages):
        normalized = stage > 0 and normalization != "none"
        h = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not normalized,
                                kernel_initializer=dcgan_init(), name=f"down_{stage}")(h)
        if normalized and normalization == "batch":
            h = dcgan_batch_norm(f"down_{stage}_bn")(h)
        elif normalized:
            h = dcgan_layer_norm(f"down_{stage}_ln")(h)
        h = keras.layers.LeakyReLU(leaky_slope, name=f"down_{stage}_lrelu")(h)
        if dropout:
            h = keras.layers.Dropout(dropout, name=f"down_{stage}_dropout")(h)
        filters *= 2
    return keras.layers.Flatten(name="flatten")(h)


def _check_conv_d(channels, base_filters, normalization, dropout=0.0):
    check_positive_ints(channels=channels, base_filters=base_filters)
    _check_choice("normalization", normalization, D_NORMALIZATIONS)
    _check_dropout(dropout)


def conditional_dcgan_discriminator(
    num_classes: int,
    image_size: int = 32,
    channels: int = 1,
    base_filters: int = 64,
    leaky_slope: float = 0.2,
    normalization: str = "batch",
    conditioning: str = "concat",
    label_encoding: str = "one_hot",
    embedding_dim: int = DEFAULT_EMBEDDING_DIM,
    name: str = "cdcgan_discriminator",
) -> keras.Model:
    """DCGAN discriminator D(x, y): label maps concatenated to the image, or a projection.

    Args:
        num_classes: K.
        image_size: 8, 16, 28, 32 or 64. Defaults to `32`.
        channels: image channels. Defaults to `1`.
        base_filters: filters of the first convolution. Defaults to `64`.
        leaky_slope: LeakyReLU slope. Defaults to `0.2`.
        normalization: ``"batch"``, ``"layer"`` or ``"none"`` (see
            :func:`tfgan_kit.nets.dcgan_discriminator`). Defaults to `"batch"`.
        conditioning: ``"concat"``: ``encode(y)`` tiled to ``[s, s, E]`` maps and concatenated to
            the image's channels; ``"projection"``: Miyato & Koyama 2018, Eq. 3, on the flattened
            last features. Defaults to `"concat"`.
        label_encoding: ``"one_hot"`` or ``"embedding"`` (for ``"concat"``).
        embedding_dim: embedding width. Defaults to `50`.
        name: model name.

    Returns:
        ``keras.Model`` from ``[images, label]`` to logits ``[batch, 1]``.
    """
    _check_classes(num_classes)
    _check_conv_d(channels, base_filters, normalization)
    _check_choice("conditioning", conditioning, D_CONDITIONINGS)
    _, stages = dcgan_levels(image_size)
    x, labels = keras.Input((image_size, image_size, channels), name="images"), label_input()
    h = x
    if conditioning == "concat":
        code = encode_labels(labels, num_classes, label_encoding, embedding_dim)
        code = keras.layers.Reshape((1, 1, int(code.shape[-1])), name="label_pixel")(code)
        maps = keras.layers.UpSampling2D(image_size, name="label_maps")(code)
        h = keras.layers.Concatenate(name="images_and_label_maps")([x, maps])
    h = _conv_body(h, base_filters, stages, leaky_slope, normalization)
    if conditioning == "concat":
        logits = keras.layers.Dense(1, kernel_initializer=dcgan_init(), dtype="float32",
                                    name="logits")(h)
    else:
        logits = _projection_logit(h, labels, num_classes)
    return keras.Model([x, labels], logits, name=name)


def acgan_dcgan_discriminator(
    num_classes: int,
    image_size: int = 32,
    channels: int = 1,
    base_filters: int = 64,
    leaky_slope: float = 0.2,
    normalization: str = "batch",
    dropout: float = 0.0,
    name: str = "acgan_dcgan_discriminator",
) -> keras.Model:
    """ACGAN discriminator (Odena et al. 2017, Section 3 and Appendix) on a DCGAN conv body.

    Args:
        num_classes: K.
        image_size, channels, base_filters, leaky_slope, normalization: as
            :func:`conditional_dcgan_discriminator`.
        dropout: dropout after every convolution (the paper uses 0.5). Defaults to `0.0`.
        name: model name.

    Returns:
        ``keras.Model`` from images to ``[source logits [batch, 1], class logits [batch, K]]``.
    """
    _check_classes(num_classes)
    _check_conv_d(channels, base_filters, normalization, dropout)
    _, stages = dcgan_levels(image_size)
    x = keras.Input((image_size, image_size, channels), name="images")
    h = _conv_body(x, base_filters, stages, leaky_slope, normalization, dropout)
    return keras.Model(x, _two_heads(h, num_classes, dcgan_init()), name=name)


# ---------------------------------------------------------------------------- registration
def _num_classes(spec, family: str) -> int:
    if not spec.num_classes:
        raise UserError(
            f"Conditional nets (config.model.nets={family!r}) need labelled data: set "
            "config.data.with_labels=True."
        )
    return int(spec.num_classes)


def _label_options(m) -> dict:
    return {"label_encoding": m.get("label_encoding", "one_hot"),
            "embedding_dim": m.get("label_embedding_dim", DEFAULT_EMBEDDING_DIM)}


def _square_images(spec) -> tuple[int, int]:
    shape = spec.sample_shape
    if len(shape) != 3 or shape[0] != shape[1]:
        raise UserError(
            f"Conditional DCGAN nets take square images; the data holds samples of shape "
            f"{shape}: use config.model.nets='cmlp' for vector data."
        )
    return shape[0], shape[-1]


@register_net("cmlp", "generator")
def cmlp_generator_from_config(m, spec) -> keras.Model:
    """:func:`conditional_mlp_generator` (``latent_dim``, ``g_hidden``, ``output_activation``,
    ``label_encoding``, ``label_embedding_dim``)."""
    return conditional_mlp_generator(
        m.latent_dim, spec.sample_shape, _num_classes(spec, "cmlp"), hidden=tuple(m.g_hidden),
        output_activation=m.get("output_activation", "tanh"), **_label_options(m))


@register_net("cmlp", "discriminator")
def cmlp_discriminator_from_config(m, spec) -> keras.Model:
    """:func:`conditional_mlp_discriminator` (``d_hidden``, ``dropout``, ``d_conditioning``, ...)."""
    return conditional_mlp_discriminator(
        spec.sample_shape, _num_classes(spec, "cmlp"), hidden=tuple(m.d_hidden),
        dropout=m.get("dropout", 0.0), conditioning=m.get("d_conditioning", "concat"),
        **_label_options(m))


@register_net("cmlp", "acgan_discriminator")
def cmlp_acgan_discriminator_from_config(m, spec) -> keras.Model:
    """:func:`acgan_mlp_discriminator` (``d_hidden``, ``dropout``)."""
    return acgan_mlp_discriminator(spec.sample_shape, _num_classes(spec, "cmlp"),
                                   hidden=tuple(m.d_hidden), dropout=m.get("dropout", 0.0))


@register_net("cdcgan", "generator")
def cdcgan_generator_from_config(m, spec) -> keras.Model:
    """:func:`conditional_dcgan_generator` (``latent_dim``, ``g_base_filters``, label options)."""
    size, channels = _square_images(spec)
    return conditional_dcgan_generator(m.latent_dim, _num_classes(spec, "cdcgan"), size,
                                       channels, base_filters=m.g_base_filters,
                                       **_label_options(m))


@register_net("cdcgan", "discriminator")
def cdcgan_discriminator_from_config(m, spec) -> keras.Model:
    """:func:`conditional_dcgan_discriminator` (``d_base_filters``, ``d_normalization``,
    ``d_conditioning``, label options)."""
    size, channels = _square_images(spec)
    return conditional_dcgan_discriminator(
        _num_classes(spec, "cdcgan"), size, channels, base_filters=m.d_base_filters,
        normalization=m.get("d_normalization", "batch"),
        conditioning=m.get("d_conditioning", "concat"), **_label_options(m))


@register_net("cdcgan", "acgan_discriminator")
def cdcgan_acgan_discriminator_from_config(m, spec) -> keras.Model:
    """:func:`acgan_dcgan_discriminator` (``d_base_filters``, ``d_normalization``, ``dropout``)."""
    size, channels = _square_images(spec)
    return acgan_dcgan_discriminator(
        _num_classes(spec, "cdcgan"), size, channels, base_filters=m.d_base_filters,
        normalization=m.get("d_normalization", "batch"), dropout=m.get("dropout", 0.0))
