"""Conditional GAN (Mirza & Osindero 2014): G(z, y) and D(x, y), labels of real data and draws.

Both nets see the class label y. Each training step follows Algorithm 1 of Goodfellow et al.
2014 with labels attached: ``d_steps`` discriminator updates on (real image, its label) pairs
against (G(z, y'), y') with y' drawn uniformly over the K classes, then one generator update on
fresh (z, y'). Losses: the GAN's, ``-E[log D(x|y)] - E[log(1 - D(G(z|y')|y'))]`` for D (Eq. 2 of
the paper) and the non-saturating ``-E[log D(G(z|y')|y')]`` for G (or Eq. 2's minimax term).

:class:`ClassConditionalModel` holds what every class-conditional scheme shares (ACGAN too):
the labelled batches, the label draws, ``generate(z, labels)``, the ``serving_default(z, label)``
signature with a range check of the labels, and the one-row-per-class picture.

Reference:
    Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014, Eq. 2 and Section 4.1
    (https://arxiv.org/abs/1411.1784); Goodfellow et al. 2014, Algorithm 1.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.losses import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme
from tfgan_kit.types import Endpoint, Picture

GENERATOR_LOSSES = {
    "minimax": minimax_generator_loss,
    "non_saturating": non_saturating_generator_loss,
}


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ClassConditionalModel(AdversarialModel):
    """Base of the class-conditional schemes: G(z, y) with y in ``[0, num_classes)``.

    Subclasses implement :meth:`discriminator_loss` and :meth:`generator_objective`;
    ``train_step`` is Goodfellow et al. 2014's Algorithm 1 on labelled batches (Mirza & Osindero
    2014, Section 4.1): for each of ``d_steps`` strided minibatches ``(x, y)`` of the incoming
    batch, a discriminator update with fresh ``z`` (stream ``i``) and fresh labels
    ``y' ~ U{0..K-1}`` (stream ``LABEL_STREAMS + i``), then one generator update on fresh
    ``(z, y')`` (streams ``d_steps`` and ``LABEL_STREAMS + d_steps``).

    Args:
        nets: the scheme's nets by name (``generator`` takes ``[z, label]``).
        latent_dim: width of ``z``.
        num_classes: K.
        d_steps: discriminator updates per generator update (the batch is split in as many
            strided minibatches). Defaults to `1`.
        seed: seed of every draw. Defaults to `0`.

    Raises:
        ValueError: for ``num_classes < 2``, ``d_steps < 1`` or a missing ``latent_dim``.
    """

    batch_kinds = ("labelled",)
    #: First draw stream of the generated labels (the latent codes use streams 0 .. d_steps).
    LABEL_STREAMS = 32

    def __init__(self, nets, latent_dim: int, num_classes: int, d_steps: int = 1, seed: int = 0,
                 **kwargs: Any):
        super().__init__(nets, latent_dim=latent_dim, seed=seed, **kwargs)
        if latent_dim is None:
            raise UserError("`latent_dim` must be a positive integer. Received: latent_dim=None")
        if not _int(num_classes) or num_classes < 2:
            raise UserError(
                f"`num_classes` must be an integer >= 2. Received: num_classes={num_classes!r}"
            )
        if not _int(d_steps) or d_steps < 1 or d_steps >= self.LABEL_STREAMS:
            raise UserError(
                f"`d_steps` must be an integer in [1, {self.LABEL_STREAMS}). Received: "
                f"d_steps={d_steps!r}"
            )
        self.num_classes = num_classes
        self.d_steps = d_steps

    # ------------------------------------------------------------------------- training
    def draw_labels(self, batch_size, stream: int) -> tf.Tensor:
        """Labels of generated samples, uniform over the K classes (int32 ``[batch_size]``)."""
        return self.draw(stream, batch_size, distribution="categorical",
                         num_classes=self.num_classes)

    def train_step(self, data):
        """Algorithm 1 with labels: ``d_steps`` D updates on ``(x, y)`` vs ``(G(z, y'), y')``,
        then one G update; logs the mean D loss (and extra values), and the G loss."""
        real = tf.convert_to_tensor(self.real_images(data))
        labels = tf.reshape(tf.cast(self.real_labels(data), tf.int32), [-1])
        static = real.shape[0]
        if static is not None and static % self.d_steps:
            raise UserError(
                f"The batch of {static} examples cannot be split into d_steps={self.d_steps} "
                f"minibatches: use a batch size divisible by {self.d_steps}."
            )
        minibatch = tf.shape(real)[0] // self.d_steps
        d_losses, extras = [], {}
        for step in range(self.d_steps):
            x, y = real[step :: self.d_steps], labels[step :: self.d_steps]
            z = self.noise(minibatch, stream=step)
            fake_labels = self.draw_labels(minibatch, self.LABEL_STREAMS + step)
            outputs = self.optimize(
                "d", lambda x=x, y=y, z=z, f=fake_labels: self.discriminator_loss(x, y, z, f))
            loss, logs = outputs if isinstance(outputs, (tuple, list)) else (outputs, {})
            d_losses.append(loss)
            for name, value in logs.items():
                extras.setdefault(name, []).append(value)
        z = self.noise(minibatch, stream=self.d_steps)
        fake_labels = self.draw_labels(minibatch, self.LABEL_STREAMS + self.d_steps)
        g_loss = self.optimize("g", lambda: self.generator_objective(z, fake_labels))
        extras = {name: tf.add_n(values) / len(values) for name, values in extras.items()}
        return self.record(d_loss=tf.add_n(d_losses) / self.d_steps, g_loss=g_loss, **extras)

    def discriminator_loss(self, real, labels, z, fake_labels):
        """The loss of one discriminator update (scalar, or ``(loss, {log: value})``)."""
        raise NotImplementedError

    def generator_objective(self, z, fake_labels):
        """The generator's loss on codes ``z`` and labels ``fake_labels``."""
        raise NotImplementedError

    # ------------------------------------------------------------------------- sampling
    def generate(self, z, labels=None, training: bool = False) -> tf.Tensor:
        """``G(z, labels)`` in the training value range.

        Raises:
            ValueError: when ``labels`` is missing.
        """
        if labels is None:
            raise UserError(
                f"{type(self).__name__} is conditional: call generate(z, labels) with int labels "
                f"[batch] in [0, {self.num_classes})."
            )
        z = tf.cast(z, tf.float32)
        labels = tf.reshape(tf.cast(labels, tf.int32), [-1])
        return self.generator([z, labels], training=training)

    def checked_labels(self, z, label) -> tf.Tensor:
        """``label`` as int32 ``[batch]``, after checking its range and batch size against ``z``.

        A label outside ``[0, K)`` or a batch-size mismatch fails with a message naming it
        (an embedding lookup would fail with an index error, a one-hot encoding would silently
        give a zero vector).
        """
        label = tf.reshape(tf.cast(label, tf.int32), [-1])
        checks = [
            tf.debugging.assert_non_negative(
                label, message=f"`label` must be in [0, {self.num_classes})"),
            tf.debugging.assert_less(
                label, tf.constant(self.num_classes, tf.int32),
                message=f"`label` must be in [0, {self.num_classes})"),
            tf.debugging.assert_equal(
                tf.shape(label)[0], tf.shape(z)[0],
                message="`z` and `label` must have the same batch size"),
        ]
        with tf.control_dependencies(checks):
            return tf.identity(label)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``serving_default(z float32 [None, latent_dim], label int32 [None]) -> {"images"}``."""
        inputs = {"z": tf.TensorSpec((None, self.latent_dim), tf.float32, name="z"),
                  "label": tf.TensorSpec((None,), tf.int32, name="label")}

        def serve(z, label):
            return {"images": self.generate(z, self.checked_labels(z, label), training=False)}

        return {"serving_default": Endpoint(fn=serve, inputs=inputs)}

    def picture(self, spec, num_samples: int, seed: int) -> Picture:
        """One row per class (K rows), ``max(1, num_samples // K)`` columns; column j uses the
        same fixed ``z_j`` (seed ``seed``) in every row."""
        del spec
        columns = max(1, num_samples // self.num_classes)
        z = tf.random.stateless_normal([columns, self.latent_dim], seed=[seed, 0])
        z = tf.tile(z, [self.num_classes, 1])
        labels = tf.repeat(tf.range(self.num_classes, dtype=tf.int32), columns)
        samples = np.asarray(self.generate(z, labels, training=False))
        if samples.ndim == 2 and samples.shape[1] == 2:
            return Picture(points=samples)
        return Picture(images=samples, columns=columns)

    def get_config(self) -> dict:
        """Adds ``num_classes`` and ``d_steps`` to the base config."""
        return {**super().get_config(), "num_classes": self.num_classes,
                "d_steps": self.d_steps}


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ConditionalGAN(ClassConditionalModel):
    """Conditional GAN (Mirza & Osindero 2014, Eq. 2): G(z, y) against D(x, y).

    D minimises ``-E[log D(x, y)] - E[log(1 - D(G(z, y'), y'))]`` over real pairs and generated
    pairs with ``y' ~ U{0..K-1}``; G minimises the non-saturating ``-E[log D(G(z, y'), y')]``
    (Goodfellow et al. 2014, Section 3) or Eq. 2's ``E[log(1 - D(G(z, y'), y'))]``.

    Args:
        generator: ``[z, label] -> samples`` (e.g. :func:`tfgan_kit.nets.conditional.
            conditional_mlp_generator`).
        discriminator: ``[samples, label] -> logits`` (concatenated labels or a projection).
        latent_dim: width of ``z``.
        num_classes: K.
        d_steps: discriminator updates per generator update. Defaults to `1`.
        generator_loss: ``"non_saturating"`` or ``"minimax"``. Defaults to `"non_saturating"`.
        seed: seed of every draw. Defaults to `0`.

    Raises:
        ValueError: for a bad ``num_classes``, ``d_steps`` or ``generator_loss``.
    """

    paper = 'Mirza & Osindero 2014, "Conditional Generative Adversarial Nets", Eq. 2'
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss")

    def __init__(self, generator: keras.Model, discriminator: keras.Model, latent_dim: int,
                 num_classes: int, d_steps: int = 1, generator_loss: str = "non_saturating",
                 seed: int = 0, **kwargs: Any):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, num_classes=num_classes, d_steps=d_steps,
                         seed=seed, **kwargs)
        if generator_loss not in GENERATOR_LOSSES:
            raise UserError(
                f"`generator_loss` must be one of {sorted(GENERATOR_LOSSES)}. "
                f"Received: generator_loss={generator_loss!r}"
            )
        self.generator_loss = generator_loss
        self._generator_loss = GENERATOR_LOSSES[generator_loss]

    def discriminator_loss(self, real, labels, z, fake_labels):
        """Eq. 2 for D: ``-E[log D(x, y)] - E[log(1 - D(G(z, y'), y'))]``."""
        fake = self.generator([z, fake_labels], training=True)
        return minimax_discriminator_loss(
            self.discriminator([real, labels], training=True),
            self.discriminator([fake, fake_labels], training=True))

    def generator_objective(self, z, fake_labels):
        """``generator_loss`` of ``D(G(z, y'), y')``."""
        fake = self.generator([z, fake_labels], training=True)
        return self._generator_loss(self.discriminator([fake, fake_labels], training=True))

    def get_config(self) -> dict:
        """Adds ``generator_loss``."""
        return {**super().get_config(), "generator_loss": self.generator_loss}


def require_labels(config, spec) -> int:
    """The data's number of classes; a clear error when its batches carry no labels.

    Raises:
        ValueError: naming the fix (``config.data.with_labels=True``).
    """
    if spec.kind != "labelled" or not spec.num_classes:
        raise UserError(
            f"Scheme {config.scheme!r} trains on labelled batches, but data set "
            f"{config.data.name!r} gives {spec.kind} batches: set config.data.with_labels=True "
            "(a data set with labels)."
        )
    return int(spec.num_classes)


@register_scheme("cgan")
def build_cgan(config, spec) -> ConditionalGAN:
    """Mirza & Osindero 2014: conditional nets ``config.model.nets`` (``"cmlp"``, ``"cdcgan"``)
    for the labelled data; ``d_steps`` and ``generator_loss`` from ``config.model``."""
    num_classes = require_labels(config, spec)
    m = config.model
    model = ConditionalGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        num_classes=num_classes,
        d_steps=m.get("d_steps", 1),
        generator_loss=m.get("generator_loss", "non_saturating"),
        seed=config.seed,
    )
    return compile_scheme(model, config)
