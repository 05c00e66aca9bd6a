"""Semi-supervised GAN (Salimans et al. 2016, Section 5; Odena 2016): D is a K-class classifier.

Odena (2016) gives D N+1 outputs, the N classes and "generated". This scheme uses the equivalent
formulation of Salimans et al.: K logits with the generated class's logit fixed at 0. A softmax
over K+1 logits is unchanged when the same function is subtracted from every logit, so fixing
one at 0 removes only a redundant degree of freedom; it makes ``D(x) = Z / (Z + 1)`` a sigmoid
of ``logsumexp`` of the class logits and the exported classifier a plain softmax over K
classes, and it is the form whose semi-supervised results (and feature-matching generator) were
published. D minimises ``L_sup + w L_unsup`` on a small labelled minibatch, unlabelled real data
and generated data; G minimises feature matching (Section 3.1, the generator Salimans et al. use
for semi-supervised learning) or the non-saturating ``-log D(G(z))``
(:mod:`tfgan_kit.losses.semi_supervised`). Feature matching compares the means of the global
batch, so N replicas take the single-device step.

Reference:
    Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016, Sections 3.1 and 5
    (https://arxiv.org/abs/1606.03498); Odena, "Semi-Supervised Learning with Generative
    Adversarial Networks", 2016 (https://arxiv.org/abs/1606.01583).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.data.semi_supervised import labelled_batch
from tfgan_kit.distribute import global_batch_mean
from tfgan_kit.errors import UserError
from tfgan_kit.losses import (
    feature_matching_loss,
    ssgan_generator_loss,
    ssgan_supervised_loss,
    ssgan_unsupervised_loss,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme
from tfgan_kit.types import Endpoint

__all__ = ["SemiSupervisedGAN", "check_classifier", "classify_endpoint"]

GENERATOR_LOSSES = ("feature_matching", "non_saturating")


def check_classifier(discriminator: keras.Model, num_classes: int, what: str) -> None:
    outputs = discriminator.output
    if not isinstance(outputs, dict) or "logits" not in outputs \
            or outputs["logits"].shape[-1] != num_classes:
        shapes = ({k: tuple(v.shape) for k, v in outputs.items()} if isinstance(outputs, dict)
                  else [tuple(o.shape) for o in tf.nest.flatten(outputs)])
        raise UserError(
            f"The {what} discriminator must output {{'logits': [batch, {num_classes}], ...}} "
            f"(e.g. tfgan_kit.nets.classifier.noisy_mlp_classifier). Received: {shapes}"
        )


def classify_endpoint(discriminator: keras.Model) -> Endpoint:
    """``classify(images) -> {"probabilities": softmax(D's class logits)}``."""
    shape = tuple(discriminator.inputs[0].shape[1:])
    return Endpoint(
        fn=lambda images: {"probabilities": tf.nn.softmax(
            discriminator(images, training=False)["logits"], axis=-1)},
        inputs={"images": tf.TensorSpec((None, *shape), tf.float32, name="images")})


@keras.saving.register_keras_serializable(package="tfgan_kit")
class SemiSupervisedGAN(AdversarialModel):
    """Semi-supervised GAN with a K-logit classifier-discriminator (Salimans et al. 2016, Sec. 5).

    Each step, on a ``semi_supervised`` batch (unlabelled images, a labelled minibatch): one D
    update descending ``L_sup + unsupervised_weight * L_unsup`` with ``G(z)`` for fresh ``z``,
    then one G update on fresh ``z``. Logs ``d_loss`` (the sum), ``supervised_loss``,
    ``unsupervised_loss``, ``g_loss`` and ``labelled_accuracy`` (D's accuracy on the labelled
    minibatch, before the update).

    Args:
        generator: ``z -> samples``.
        discriminator: ``samples -> {"logits": [batch, K], "features": [batch, F]}``.
        latent_dim: width of ``z``.
        num_classes: K.
        generator_loss: ``"feature_matching"`` (on D's ``"features"``) or ``"non_saturating"``.
            Defaults to `"feature_matching"`.
        unsupervised_weight: weight of ``L_unsup``. Defaults to `1.0` (the paper's sum).
        seed: seed of every draw. Defaults to `0`.

    Raises:
        ValueError: for a bad ``generator_loss`` or weight, or a discriminator without
            ``"logits"`` of width K (or ``"features"`` for feature matching).
    """

    paper = ('Salimans et al. 2016, "Improved Techniques for Training GANs", Sections 3.1 and 5 '
             '(Odena 2016)')
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss", "supervised_loss", "unsupervised_loss", "labelled_accuracy")
    batch_kinds = ("semi_supervised",)

    def __init__(self, generator: keras.Model, discriminator: keras.Model, latent_dim: int,
                 num_classes: int, generator_loss: str = "feature_matching",
                 unsupervised_weight: float = 1.0, seed: int = 0, **kwargs: Any):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if generator_loss not in GENERATOR_LOSSES:
            raise UserError(f"`generator_loss` must be one of {GENERATOR_LOSSES}. Received: "
                            f"generator_loss={generator_loss!r}")
        if not unsupervised_weight >= 0:
            raise UserError(f"`unsupervised_weight` must be >= 0. Received: "
                            f"unsupervised_weight={unsupervised_weight!r}")
        check_classifier(discriminator, num_classes, "semi-supervised GAN")
        if generator_loss == "feature_matching" and "features" not in discriminator.output:
            raise UserError("Feature matching needs a discriminator that also outputs "
                            "'features' (its intermediate layer): use "
                            "tfgan_kit.nets.classifier.noisy_mlp_classifier, or "
                            "generator_loss='non_saturating'.")
        self.num_classes = int(num_classes)
        self.generator_loss = generator_loss
        self.unsupervised_weight = float(unsupervised_weight)

    def discriminator_objective(self, real, labelled, labels, z):
        """``L_sup + w L_unsup`` and its parts, D's accuracy on the labelled minibatch."""
        labelled_logits = self.discriminator(labelled, training=True)["logits"]
        real_logits = self.discriminator(real, training=True)["logits"]
        fake_logits = self.discriminator(self.generator(z, training=True), training=True)["logits"]
        supervised = ssgan_supervised_loss(labelled_logits, labels)
        unsupervised = ssgan_unsupervised_loss(real_logits, fake_logits)
        predicted = tf.argmax(labelled_logits, axis=-1, output_type=tf.int32)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32))
        return (supervised + self.unsupervised_weight * unsupervised, supervised, unsupervised,
                tf.stop_gradient(accuracy))

    def generator_objective(self, real, z):
        """Feature matching ``||E f(x) - E f(G(z))||^2`` or ``-E log D(G(z))``."""
        fake = self.discriminator(self.generator(z, training=True), training=True)
        if self.generator_loss == "non_saturating":
            return ssgan_generator_loss(fake["logits"])
        real_features = tf.stop_gradient(self.discriminator(real, training=True)["features"])
        return feature_matching_loss(real_features, fake["features"], global_batch_mean)

    def train_step(self, data):
        """One D update down ``L_sup + w L_unsup``, then one G update."""
        real = self.real_images(data)
        labelled, labels = labelled_batch(data)
        batch = tf.shape(real)[0]
        z_d, z_g = self.noise(batch, stream=0), self.noise(batch, stream=1)
        d_loss, supervised, unsupervised, accuracy = self.optimize(
            "d", lambda: self.discriminator_objective(real, labelled, labels, z_d))
        g_loss = self.optimize("g", lambda: self.generator_objective(real, z_g))
        return self.record(d_loss=d_loss, g_loss=g_loss, supervised_loss=supervised,
                           unsupervised_loss=unsupervised, labelled_accuracy=accuracy)

    def classify(self, images) -> tf.Tensor:
        """``p(y | x, real)``: the softmax of D's K class logits, ``[batch, K]``."""
        return tf.nn.softmax(self.discriminator(images, training=False)["logits"], axis=-1)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``serving_default(z) -> {"images"}`` and ``classify(images) -> {"probabilities"}``."""
        return {**super().serving_endpoints(), "classify": classify_endpoint(self.discriminator)}

    def get_config(self) -> dict:
        """Adds ``num_classes``, ``generator_loss`` and ``unsupervised_weight``."""
        return {**super().get_config(), "num_classes": self.num_classes,
                "generator_loss": self.generator_loss,
                "unsupervised_weight": self.unsupervised_weight}


@register_scheme("ssgan")
def build_ssgan(config, spec) -> SemiSupervisedGAN:
    """Salimans et al. 2016: ``config.model.nets``' ``"generator"`` and ``"classifier"`` (family
    ``"noisy_mlp"``) for semi-supervised data (``config.data.labelled_per_class``)."""
    if spec.kind != "semi_supervised":
        raise UserError(
            f"Scheme 'ssgan' trains on semi_supervised batches, but data set "
            f"{config.data.name!r} gives {spec.kind} batches: set "
            "config.data.labelled_per_class (e.g. 10 for 100 labelled digits)."
        )
    m = config.model
    model = SemiSupervisedGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "classifier", m, spec),
        latent_dim=m.latent_dim,
        num_classes=int(spec.num_classes),
        generator_loss=m.get("generator_loss", "feature_matching"),
        unsupervised_weight=m.get("unsupervised_weight", 1.0),
        seed=config.seed,
    )
    return compile_scheme(model, config)
