"""ACGAN (Odena et al. 2017): a class-conditional G against a D with a source and a class head.

G(z, c) draws a sample of class c; D (no label input) outputs a source logit, P(S = real | x),
and class logits, P(C | x). With ``L_S = E[log P(S=real|x_real)] + E[log P(S=fake|x_fake)]`` and
``L_C = E[log P(C=c|x_real)] + E[log P(C=c|x_fake)]``, D maximises ``L_S + L_C`` and G maximises
``L_C - L_S``, its source term in the non-saturating form of the authors' code
(:func:`tfgan_kit.losses.acgan_discriminator_loss`, :func:`tfgan_kit.losses.acgan_generator_loss`).
The labels of generated samples are drawn uniformly over the K classes. Besides the conditional
``serving_default(z, label)``, the export holds D's classifier as ``classify(images) ->
{"probabilities"}``.

Reference:
    Odena, Olah, Shlens, "Conditional Image Synthesis with Auxiliary Classifier GANs", ICML 2017,
    Section 3 (https://arxiv.org/abs/1610.09585).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.losses import acgan_discriminator_loss, acgan_generator_loss
from tfgan_kit.models.cgan import ClassConditionalModel, require_labels
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme
from tfgan_kit.types import Endpoint


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ACGAN(ClassConditionalModel):
    """Auxiliary-classifier GAN (Odena et al. 2017, Section 3).

    Each step: ``d_steps`` discriminator updates descending ``-(L_S + L_C)`` on a labelled
    minibatch and generated samples of uniformly drawn classes, then one generator update
    descending ``-log P(S=real | G(z, c)) - log P(C=c | G(z, c))``. Logs ``d_loss``, ``g_loss``
    and ``class_accuracy``, the accuracy of D's class head on the real minibatches.

    Args:
        generator: ``[z, label] -> samples``.
        discriminator: ``samples -> [source logits [batch, 1], class logits [batch, K]]`` (e.g.
            :func:`tfgan_kit.nets.conditional.acgan_dcgan_discriminator`).
        latent_dim: width of ``z``.
        num_classes: K.
        d_steps: discriminator updates per generator update. Defaults to `1`.
        seed: seed of every draw. Defaults to `0`.

    Raises:
        ValueError: for a bad ``num_classes`` or ``d_steps``, or a discriminator whose outputs
            are not ``[source [batch, 1], classes [batch, K]]``.
    """

    paper = ('Odena et al. 2017, "Conditional Image Synthesis with Auxiliary Classifier GANs", '
             "Section 3")
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss", "class_accuracy")

    def __init__(self, generator: keras.Model, discriminator: keras.Model, latent_dim: int,
                 num_classes: int, d_steps: int = 1, seed: int = 0, **kwargs: Any):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, num_classes=num_classes, d_steps=d_steps,
                         seed=seed, **kwargs)
        outputs = getattr(discriminator, "outputs", None)
        if outputs is not None and (
                len(outputs) != 2 or outputs[0].shape[-1] != 1
                or outputs[1].shape[-1] != num_classes):
            shapes = [tuple(o.shape) for o in outputs]
            raise UserError(
                "The ACGAN discriminator must output [source logits [batch, 1], class logits "
                f"[batch, {num_classes}]] (role 'acgan_discriminator'). Received outputs {shapes}."
            )

    def heads(self, samples, training: bool = True):
        """``(source logits, class logits)`` of D on ``samples``."""
        source, classes = self.discriminator(samples, training=training)
        return source, classes

    def discriminator_loss(self, real, labels, z, fake_labels):
        """``-(L_S + L_C)`` on real ``(x, y)`` and ``G(z, y')``; logs D's real class accuracy."""
        real_source, real_classes = self.heads(real)
        fake_source, fake_classes = self.heads(self.generator([z, fake_labels], training=True))
        loss = acgan_discriminator_loss(real_source, fake_source, real_classes, fake_classes,
                                        labels, fake_labels)
        predicted = tf.argmax(real_classes, axis=-1, output_type=tf.int32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32))
        return loss, {"class_accuracy": tf.stop_gradient(accuracy)}

    def generator_objective(self, z, fake_labels):
        """``-(L_C - L_S)`` with the non-saturating source term on ``G(z, y')``."""
        source, classes = self.heads(self.generator([z, fake_labels], training=True))
        return acgan_generator_loss(source, classes, fake_labels)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``serving_default(z, label) -> {"images"}`` and ``classify(images) ->
        {"probabilities"}`` (softmax of D's class head)."""
        endpoints = super().serving_endpoints()
        shape = tuple(self.discriminator.inputs[0].shape[1:])
        endpoints["classify"] = Endpoint(
            fn=lambda images: {"probabilities": tf.nn.softmax(
                self.heads(images, training=False)[1], axis=-1)},
            inputs={"images": tf.TensorSpec((None, *shape), tf.float32, name="images")})
        return endpoints


@register_scheme("acgan")
def build_acgan(config, spec) -> ACGAN:
    """Odena et al. 2017: ``config.model.nets``' conditional generator and two-headed
    ``acgan_discriminator`` (families ``"cmlp"``, ``"cdcgan"``) for the labelled data."""
    num_classes = require_labels(config, spec)
    m = config.model
    model = ACGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "acgan_discriminator", m, spec),
        latent_dim=m.latent_dim,
        num_classes=num_classes,
        d_steps=m.get("d_steps", 1),
        seed=config.seed,
    )
    return compile_scheme(model, config)
