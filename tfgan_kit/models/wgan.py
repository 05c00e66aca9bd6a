"""Wasserstein GAN with weight clipping (Arjovsky et al. 2017), Algorithm 1, as a Keras model.

Each ``train_step`` is one outer iteration of the paper's Algorithm 1: ``n_critic`` critic
updates, each on a fresh minibatch of m real examples and m noise samples, minimising
``E[f(G(z))] - E[f(x)]`` (the negative of the Kantorovich-Rubinstein estimate of Eq. 3) and
followed by clipping every critic weight to ``[-c, c]``; then one generator update minimising
``-E[f(G(z))]``. The paper's defaults: c = 0.01, n_critic = 5, RMSProp with learning rate 5e-5,
m = 64 (the configs set the optimizer and a batch of n_critic * m examples, split as in
:class:`tfgan_kit.models.alternating.AlternatingGAN`).

Reference:
    Arjovsky, Chintala, Bottou, "Wasserstein GAN", ICML 2017, Algorithm 1 and Eq. 3
    (https://arxiv.org/abs/1701.07875).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.losses import wasserstein_discriminator_loss, wasserstein_generator_loss
from tfgan_kit.errors import check_positive_number
from tfgan_kit.models.alternating import AlternatingGAN
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme


@keras.saving.register_keras_serializable(package="tfgan_kit")
class WGAN(AlternatingGAN):
    """Arjovsky et al. 2017, Algorithm 1: n_critic clipped critic updates, then one G update.

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: the critic f, mapping samples to unbounded scores (no output activation).
        latent_dim: width of ``z``.
        d_steps: n_critic, critic updates per generator update; the incoming batch is split into
            ``d_steps`` minibatches (see :class:`AlternatingGAN`). Defaults to `5` (the paper's).
        clip_value: c; after every critic update each trainable critic weight is clipped to
            ``[-c, c]``. Defaults to `0.01` (the paper's).
        seed: noise seed. Defaults to `0`.

    Raises:
        ValueError: for a non-positive ``clip_value`` or a bad ``d_steps``.
    """

    paper = 'Arjovsky et al. 2017, "Wasserstein GAN", Algorithm 1 (weight clipping)'

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        d_steps: int = 5,
        clip_value: float = 0.01,
        seed: int = 0,
        **kwargs: Any,
    ):
        clip_value = check_positive_number("clip_value", clip_value)
        super().__init__(generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
                         seed=seed, **kwargs)
        self.clip_value = clip_value

    def discriminator_loss(self, real, z, step):
        """Critic loss ``E[f(G(z))] - E[f(x)]`` on this minibatch (Algorithm 1, line 5)."""
        del step
        return wasserstein_discriminator_loss(
            self.discriminator(real, training=True),
            self.discriminator(self.generator(z, training=True), training=True),
        )

    def generator_objective(self, z):
        """``-E[f(G(z))]`` (Algorithm 1, line 10)."""
        return wasserstein_generator_loss(
            self.discriminator(self.generator(z, training=True), training=True))

    def after_discriminator_step(self) -> None:
        """``w <- clip(w, -c, c)`` for every trainable critic weight (Algorithm 1, line 7).

        Every replica holds the same updated weights and clips its own copy, so replicas stay
        identical.
        """
        for variable in self.discriminator.trainable_variables:
            variable.assign(tf.clip_by_value(variable, -self.clip_value, self.clip_value))

    def get_config(self) -> dict:
        """Nets, seed, ``latent_dim``, ``d_steps`` and ``clip_value``."""
        return {**super().get_config(), "d_steps": self.d_steps,
                "clip_value": self.clip_value}


@register_scheme("wgan")
def build_wgan(config, spec) -> WGAN:
    """WGAN (Arjovsky et al. 2017): nets ``config.model.nets``, ``d_steps`` (n_critic, default 5)
    and ``clip_value`` (default 0.01) of ``config.model``; optimizers from ``config.train``."""
    m = config.model
    model = WGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        d_steps=m.get("d_steps", 5),
        clip_value=m.get("clip_value", 0.01),
        seed=config.seed,
    )
    return compile_scheme(model, config)
