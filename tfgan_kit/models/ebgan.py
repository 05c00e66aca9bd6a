"""EBGAN, the energy-based GAN with an auto-encoder discriminator (Zhao et al. 2017).

The discriminator is an auto-encoder; its energy on a sample is the per-example mean squared
reconstruction error ``D(x) = mean((Dec(Enc(x)) - x)^2)`` (Sec. 2.3, :func:`autoencoder_energy`).
Each ``train_step`` takes one discriminator step then one generator step (alternating, as
Goodfellow et al. 2014, Algorithm 1 with k = 1), on separate latent draws:

* ``L_D = D(x) + [m - D(G(z))]^+`` (Eq. 1): real energies are pushed down, generated energies up
  until they reach the margin m; a generated sample whose energy already exceeds m contributes
  nothing (no gradient) to ``L_D``;
* ``L_G = D(G(z)) + lambda_PT f_PT(S)`` (Eq. 2 and Sec. 2.4), ``f_PT`` the pulling-away term over
  the encoder embeddings ``S`` of the generated batch, ``lambda_PT = 0.1`` (the paper's weight)
  when ``pulling_away=True`` ("EBGAN-PT"), 0 otherwise.

The margin sets the energy scale the discriminator works at, so it depends on the data's scale
and on the energy's normalisation. The paper's margins (a grid search over small values on MNIST;
larger ones for 64x64 and larger images) are for its own, unnormalised reconstruction error; the
energy here is a mean over a sample's elements, so the configs pick m relative to the energies
measured on each data set (see configs/ebgan_*.py).

``f_PT`` is computed over each replica's local batch: with N replicas the pairs (i, j) are the
pairs within a replica's slice (the energies, means over examples, are unaffected).

Reference:
    Zhao, Mathieu, LeCun, "Energy-based Generative Adversarial Network", ICLR 2017
    (https://arxiv.org/abs/1609.03126), Eq. 1-2, Sec. 2.3 (auto-encoder energy) and 2.4
    (pulling-away term).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError, check_positive_number
from tfgan_kit.losses import (
    autoencoder_energy,
    ebgan_discriminator_loss,
    ebgan_generator_loss,
    pulling_away_term,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme

#: The paper's weight of the pulling-away term (Zhao et al. 2017, Sec. 4: lambda_PT = 0.1).
PT_WEIGHT = 0.1


def check_autoencoder(discriminator: keras.Model, scheme: str) -> None:
    """Rejects a discriminator that is not an auto-encoder ``x -> (reconstruction, embedding)``.

    Raises:
        ValueError: naming the auto-encoders of :mod:`tfgan_kit.nets.autoencoder`.
    """
    outputs = getattr(discriminator, "outputs", None)
    if outputs is not None and len(outputs) != 2:
        raise UserError(
            f"{scheme}'s discriminator must be an auto-encoder with two outputs (reconstruction, "
            f"embedding), e.g. tfgan_kit.nets.autoencoder.mlp_autoencoder; "
            f"{discriminator.name!r} has {len(outputs)} output(s)."
        )


@keras.saving.register_keras_serializable(package="tfgan_kit")
class EBGAN(AdversarialModel):
    """Energy-based GAN (Zhao et al. 2017, Eq. 1-2), optionally with the pulling-away term.

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: an auto-encoder ``x -> (reconstruction, embedding)``
            (:mod:`tfgan_kit.nets.autoencoder`).
        latent_dim: width of ``z``.
        margin: m > 0 of ``L_D``'s hinge on generated energies. Defaults to `1.0`.
        pulling_away: add ``pt_weight * f_PT`` to the generator loss (EBGAN-PT). Defaults to
            `True`.
        pt_weight: lambda_PT. Defaults to `0.1` (the paper's).
        seed: noise seed. Defaults to `0`.

    Logs ``d_loss``, ``g_loss`` (including the PT term when on), ``pulling_away`` (f_PT of the
    generator step's batch, logged also when it is not in the loss), ``real_energy`` and
    ``fake_energy`` (mean energies of the discriminator step's real and generated batches).

    Raises:
        ValueError: for a non-positive margin, a negative weight, a non-bool ``pulling_away`` or a
            discriminator that is not a two-output auto-encoder.

    Example:
    >>> model = EBGAN(mlp_generator(16, 2, output_activation="linear"),
    ...               mlp_autoencoder(2, (128, 128), 32), latent_dim=16, margin=0.5)
    >>> model.compile(g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    ...               d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    """

    paper = ('Zhao, Mathieu, LeCun 2017, "Energy-based Generative Adversarial Network", '
             "Eq. 1-2 (auto-encoder energy, margin) and Sec. 2.4 (pulling-away term)")
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss", "pulling_away", "real_energy", "fake_energy")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        margin: float = 1.0,
        pulling_away: bool = True,
        pt_weight: float = PT_WEIGHT,
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if latent_dim is None:
            raise UserError("`latent_dim` must be a positive integer. Received: latent_dim=None")
        check_autoencoder(discriminator, "EBGAN")
        check_positive_number("margin", margin)
        if not isinstance(pulling_away, bool):
            raise UserError(
                f"`pulling_away` must be True or False. Received: pulling_away={pulling_away!r}"
            )
        if (isinstance(pt_weight, bool) or not isinstance(pt_weight, (int, float))
                or not pt_weight >= 0):
            raise UserError(
                f"`pt_weight` must be a number >= 0. Received: pt_weight={pt_weight!r}"
            )
        self.margin = float(margin)
        self.pulling_away = pulling_away
        self.pt_weight = float(pt_weight)

    def energy(self, samples, training: bool = False) -> tf.Tensor:
        """``D(x)``: per-example mean squared reconstruction error ``[batch]`` (Sec. 2.3)."""
        reconstruction, _ = self.discriminator(samples, training=training)
        return autoencoder_energy(samples, reconstruction)

    def discriminator_loss(self, real: tf.Tensor, fake: tf.Tensor):
        """``L_D = D(x) + [m - D(G(z))]^+`` (Eq. 1) and the two batches' energies."""
        real_energy = self.energy(real, training=True)
        fake_energy = self.energy(fake, training=True)
        return (ebgan_discriminator_loss(real_energy, fake_energy, self.margin),
                real_energy, fake_energy)

    def generator_loss(self, fake: tf.Tensor):
        """``L_G = D(G(z)) + lambda_PT f_PT(Enc(G(z)))`` (Eq. 2, Sec. 2.4) and ``f_PT``."""
        reconstruction, embedding = self.discriminator(fake, training=True)
        loss = ebgan_generator_loss(autoencoder_energy(fake, reconstruction))
        pulling_away = pulling_away_term(embedding)
        if self.pulling_away:
            loss = loss + self.pt_weight * pulling_away
        return loss, pulling_away

    def train_step(self, data):
        """One discriminator step (Eq. 1) then one generator step (Eq. 2 + PT) on fresh codes."""
        real = self.real_images(data)
        batch = tf.shape(real)[0]
        z_d, z_g = self.noise(batch, stream=0), self.noise(batch, stream=1)
        d_loss, real_energy, fake_energy = self.optimize(
            "d", lambda: self.discriminator_loss(real, self.generator(z_d, training=True)))
        g_loss, pulling_away = self.optimize(
            "g", lambda: self.generator_loss(self.generator(z_g, training=True)))
        return self.record(d_loss=d_loss, g_loss=g_loss, pulling_away=pulling_away,
                           real_energy=tf.reduce_mean(real_energy),
                           fake_energy=tf.reduce_mean(fake_energy))

    def get_config(self) -> dict:
        """Adds ``margin``, ``pulling_away`` and ``pt_weight`` to the base config."""
        return {**super().get_config(), "margin": self.margin,
                "pulling_away": self.pulling_away, "pt_weight": self.pt_weight}


@register_scheme("ebgan")
def build_ebgan(config, spec) -> EBGAN:
    """EBGAN (Zhao et al. 2017): the ``generator`` and ``autoencoder`` nets of family
    ``config.model.nets``, ``margin``, ``pulling_away``, ``pt_weight``; optimizers from
    ``config.train``."""
    m = config.model
    model = EBGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "autoencoder", m, spec),
        latent_dim=m.latent_dim,
        margin=m.margin,
        pulling_away=m.pulling_away,
        pt_weight=m.get("pt_weight", PT_WEIGHT),
        seed=config.seed,
    )
    return compile_scheme(model, config)
