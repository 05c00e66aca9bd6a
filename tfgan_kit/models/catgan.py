"""CatGAN (Springenberg 2016): D a K-way classifier, certain on data, uncertain on samples.

D outputs class probabilities ``p(y | x, D)`` over K categories (no real/fake output). D is to
be certain of a category for real data, use all categories equally over the data and be
uncertain for generated samples; G is to produce samples D is certain about, spread over all
categories. With entropies over the minibatch (Eq. 7-8, :func:`tfgan_kit.losses.
catgan_discriminator_loss`, :func:`tfgan_kit.losses.catgan_generator_loss`):

* ``L_D = -H_X[p(y|D)] + E_x H[p(y|x, D)] - E_z H[p(y|G(z), D)]``,
* ``L_G = -H_G[p(y|D)] + E_z H[p(y|G(z), D)]``.

Unsupervised, D's argmax is a clustering of the data (scored with Hungarian matching,
:func:`tfgan_kit.metrics.classification.cluster_accuracy`). On ``semi_supervised`` batches the
labelled minibatch adds ``lambda E_{(x,y)}[CE(y, p(y|x, D))]`` to ``L_D`` (Section 4, the
semi-supervised CatGAN). The marginals are over the global batch
(:func:`tfgan_kit.distribute.global_batch_mean`), so N replicas take the single-device step.

Reference:
    Springenberg, "Unsupervised and Semi-supervised Learning with Categorical Generative
    Adversarial Networks", ICLR 2016, Eq. 7-9 and Section 4 (https://arxiv.org/abs/1511.06390).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.data.semi_supervised import labelled_batch
from tfgan_kit.distribute import global_batch_mean
from tfgan_kit.errors import UserError
from tfgan_kit.losses import (
    catgan_discriminator_loss,
    catgan_generator_loss,
    class_cross_entropy,
    conditional_entropy,
    marginal_entropy,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.models.ssgan import check_classifier, classify_endpoint
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme
from tfgan_kit.types import Endpoint

__all__ = ["CatGAN"]


@keras.saving.register_keras_serializable(package="tfgan_kit")
class CatGAN(AdversarialModel):
    """Categorical GAN (Springenberg 2016, Eq. 7-8; semi-supervised: Section 4).

    Each step: one D update descending ``L_D`` (plus ``supervised_weight`` times the
    cross-entropy of the labelled minibatch on ``semi_supervised`` batches) against ``G(z)`` for
    fresh ``z``, then one G update descending ``L_G`` on fresh ``z``. Logs ``d_loss``, ``g_loss``
    (the CatGAN terms), ``supervised_loss`` (0 without labels), ``real_entropy`` (``E_x
    H[p(y|x)]``, falls as D grows certain) and ``real_marginal_entropy`` (``H_X``, ``ln K`` when
    the categories are balanced).

    Args:
        generator: ``z -> samples``.
        discriminator: ``samples -> {"logits": [batch, K], ...}``.
        latent_dim: width of ``z``.
        num_classes: K, the number of categories.
        supervised_weight: lambda, the weight of the labelled cross-entropy. Defaults to `1.0`.
        seed: seed of every draw. Defaults to `0`.

    Raises:
        ValueError: for a negative weight or a discriminator without ``"logits"`` of width K.
    """

    paper = ('Springenberg 2016, "Unsupervised and Semi-supervised Learning with Categorical '
             'Generative Adversarial Networks", Eq. 7-8')
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss", "supervised_loss", "real_entropy", "real_marginal_entropy")
    batch_kinds = ("image", "semi_supervised")

    def __init__(self, generator: keras.Model, discriminator: keras.Model, latent_dim: int,
                 num_classes: int, supervised_weight: float = 1.0, seed: int = 0,
                 **kwargs: Any):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if not supervised_weight >= 0:
            raise UserError(f"`supervised_weight` must be >= 0. Received: "
                            f"supervised_weight={supervised_weight!r}")
        check_classifier(discriminator, num_classes, "CatGAN")
        self.num_classes = int(num_classes)
        self.supervised_weight = float(supervised_weight)

    def logits(self, samples, training: bool = True) -> tf.Tensor:
        """D's class logits ``[batch, K]``."""
        return self.discriminator(samples, training=training)["logits"]

    def train_step(self, data):
        """Eq. 7 for D (+ lambda CE on labelled examples), then Eq. 8 for G."""
        real = self.real_images(data)
        labelled = labelled_batch(data) if isinstance(data, dict) and "labelled_image" in data \
            else None
        batch = tf.shape(real)[0]
        z_d, z_g = self.noise(batch, stream=0), self.noise(batch, stream=1)

        def d_objective():
            real_logits = self.logits(real)
            fake_logits = self.logits(self.generator(z_d, training=True))
            loss = catgan_discriminator_loss(real_logits, fake_logits, global_batch_mean)
            supervised = tf.constant(0.0)
            if labelled is not None:
                supervised = class_cross_entropy(self.logits(labelled[0]), labelled[1])
            return (loss + self.supervised_weight * supervised, loss, supervised,
                    tf.stop_gradient(conditional_entropy(real_logits)),
                    tf.stop_gradient(marginal_entropy(real_logits, global_batch_mean)))

        _, d_loss, supervised, entropy, marginal = self.optimize("d", d_objective)
        g_loss = self.optimize("g", lambda: catgan_generator_loss(
            self.logits(self.generator(z_g, training=True)), global_batch_mean))
        return self.record(d_loss=d_loss, g_loss=g_loss, supervised_loss=supervised,
                           real_entropy=entropy, real_marginal_entropy=marginal)

    def classify(self, images) -> tf.Tensor:
        """``p(y | x, D)``: the softmax of D's K logits, ``[batch, K]``."""
        return tf.nn.softmax(self.logits(images, training=False), axis=-1)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``serving_default(z) -> {"images"}`` and ``classify(images) -> {"probabilities"}``."""
        return {**super().serving_endpoints(), "classify": classify_endpoint(self.discriminator)}

    def get_config(self) -> dict:
        """Adds ``num_classes`` and ``supervised_weight``."""
        return {**super().get_config(), "num_classes": self.num_classes,
                "supervised_weight": self.supervised_weight}


@register_scheme("catgan")
def build_catgan(config, spec) -> CatGAN:
    """Springenberg 2016: ``config.model.nets``' ``"generator"`` and ``"classifier"`` with K =
    ``config.model.num_classes`` (unlabelled data) or the data's classes (semi-supervised)."""
    m = config.model
    num_classes = m.get("num_classes") or spec.num_classes
    if not num_classes:
        raise UserError("CatGAN needs the number of categories: set config.model.num_classes "
                        "(e.g. 10) for unlabelled data.")
    model = CatGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "classifier", m, spec),
        latent_dim=m.latent_dim,
        num_classes=int(num_classes),
        supervised_weight=m.get("supervised_weight", 1.0),
        seed=config.seed,
    )
    return compile_scheme(model, config)
