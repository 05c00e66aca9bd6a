"""The original GAN (Goodfellow et al., 2014), Algorithm 1, as a Keras model.

Each ``train_step`` is one iteration of Algorithm 1 (:class:`tfgan_kit.models.alternating.
AlternatingGAN`: ``d_steps`` discriminator updates on fresh minibatches, then one generator
update); this module supplies the losses: Eq. 1's discriminator loss and the non-saturating
(Section 3) or minimax generator loss.

Reference:
    Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Algorithm 1 and Section 3
    (https://arxiv.org/abs/1406.2661).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.losses import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
)
from tfgan_kit.models.alternating import AlternatingGAN
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme

GENERATOR_LOSSES = {
    "minimax": minimax_generator_loss,
    "non_saturating": non_saturating_generator_loss,
}


@keras.saving.register_keras_serializable(package="tfgan_kit")
class GAN(AlternatingGAN):
    """Goodfellow et al. 2014, Algorithm 1: k discriminator steps, then one generator step.

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: maps samples to logits (any rank).
        latent_dim: width of ``z``.
        d_steps: k, discriminator updates per generator update; the incoming batch is split into
            k minibatches, so it must be divisible by k. Defaults to `1` (the paper's choice).
        generator_loss: ``"non_saturating"`` (maximise log D(G(z)), Section 3) or ``"minimax"``
            (minimise log(1 - D(G(z))), Eq. 1). Defaults to `"non_saturating"`.
        seed: noise seed. Defaults to `0`.

    Raises:
        ValueError: for ``d_steps < 1`` or an unknown ``generator_loss``.

    Example:
    >>> model = GAN(mlp_generator(16, 2), mlp_discriminator(2), latent_dim=16)
    >>> model.compile(g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    ...               d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    >>> model.fit(gaussian_ring(batch_size=256), epochs=10)
    """

    paper = 'Goodfellow et al. 2014, "Generative Adversarial Nets", Algorithm 1'
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        d_steps: int = 1,
        generator_loss: str = "non_saturating",
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__(generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
                         seed=seed, **kwargs)
        if generator_loss not in GENERATOR_LOSSES:
            raise UserError(
                f"`generator_loss` must be one of {sorted(GENERATOR_LOSSES)}. "
                f"Received: generator_loss={generator_loss!r}"
            )
        self.generator_loss = generator_loss
        self._generator_loss = GENERATOR_LOSSES[generator_loss]

    # The losses (the hooks of AlternatingGAN).
    def discriminator_loss(self, real: tf.Tensor, z: tf.Tensor, step: int):
        """The loss of discriminator step ``step`` on real minibatch ``real`` and codes ``z``.

        Returns the scalar loss, or ``(loss, {log name: value})`` for extra logs (declared in
        ``log_names``). Here: Eq. 1's discriminator loss, ``-E[log D(x)] - E[log(1 - D(G(z)))]``.
        """
        del step
        return minimax_discriminator_loss(
            self.discriminator(real, training=True),
            self.discriminator(self.generator(z, training=True), training=True),
        )

    def generator_objective(self, z: tf.Tensor) -> tf.Tensor:
        """The generator's loss on codes ``z`` (here ``generator_loss``: non-saturating or Eq. 1)."""
        return self._generator_loss(
            self.discriminator(self.generator(z, training=True), training=True))

    def get_config(self) -> dict:
        """Adds ``generator_loss`` to the :class:`AlternatingGAN` config."""
        return {**super().get_config(), "generator_loss": self.generator_loss}


@register_scheme("gan")
def build_gan(config, spec) -> GAN:
    """Goodfellow et al. 2014 GAN: nets ``config.model.nets`` for the data, k and the G loss."""
    m = config.model
    model = GAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        d_steps=m.d_steps,
        generator_loss=m.generator_loss,
        seed=config.seed,
    )
    return compile_scheme(model, config)
