"""The alternating loop of the GAN family: k discriminator (critic) steps, then one generator step.

Goodfellow et al.'s Algorithm 1 as a reusable piece: each ``train_step`` runs ``d_steps`` (the
paper's k) discriminator updates, each on a fresh minibatch of m examples and m noise samples,
then one generator update on m fresh noise samples. The incoming batch supplies the k fresh
minibatches: with ``d_steps=k`` a batch of ``k * m`` examples is split into k minibatches of m.
The split is strided (minibatch i holds examples i, i+k, i+2k, ...): ``tf.distribute`` hands each
replica a contiguous slice of the global batch, and a strided split of each slice yields, across
replicas, exactly the minibatches of the single-replica split, so N replicas take the same k
steps as one.

A scheme of the family supplies only its losses, through two hooks —
:meth:`AlternatingGAN.discriminator_loss` and :meth:`AlternatingGAN.generator_objective` — and
optionally :meth:`AlternatingGAN.after_discriminator_step` (WGAN's weight clipping). GAN, LSGAN,
WGAN, WGAN-GP, DRAGAN and f-GAN are built this way; each constructor takes only the arguments
its losses use.

Reference:
    Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Algorithm 1
    (https://arxiv.org/abs/1406.2661); the same loop is Algorithm 1 of Arjovsky et al. 2017
    (WGAN) and of Gulrajani et al. 2017 (WGAN-GP), with n_critic = k.
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.models.base import AdversarialModel

__all__ = ["AlternatingGAN"]


class AlternatingGAN(AdversarialModel):
    """k discriminator steps, then one generator step (Algorithm 1's loop), with the losses left
    to the subclass (:meth:`discriminator_loss`, :meth:`generator_objective`).

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: maps samples to logits or critic values (any rank).
        latent_dim: width of ``z``.
        d_steps: k, discriminator updates per generator update; the incoming batch is split into
            k minibatches, so it must be divisible by k. Defaults to `1`.
        seed: noise seed. Defaults to `0`.
        **kwargs: passed to ``keras.Model`` (e.g. ``name``); any other keyword is an error.

    Raises:
        ValueError: for ``d_steps < 1`` or a missing ``latent_dim``.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        d_steps: int = 1,
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if latent_dim is None:
            raise UserError("`latent_dim` must be a positive integer. Received: latent_dim=None")
        if not isinstance(d_steps, int) or isinstance(d_steps, bool) or d_steps < 1:
            raise UserError(f"`d_steps` must be an integer >= 1. Received: d_steps={d_steps!r}")
        self.d_steps = d_steps

    #: First stream of the extra draws of discriminator step i (:meth:`extra_stream`); streams
    #: ``0 .. d_steps`` are the latent codes of the k discriminator steps and the generator step.
    EXTRA_STREAMS = 64

    def train_step(self, data):
        """One iteration of Algorithm 1 on a batch of ``d_steps * m`` real examples.

        Each discriminator step minimises :meth:`discriminator_loss` on its minibatch and is
        followed by :meth:`after_discriminator_step`; the generator step minimises
        :meth:`generator_objective`. Logs the mean of the ``d_steps`` discriminator losses (and
        of any extra values they return), and the generator loss.
        """
        real = self.real_images(data)
        minibatch = self._minibatch_size(real)
        d_losses, extras = [], {}
        for step in range(self.d_steps):
            x = real[step :: self.d_steps]
            z = self.noise(minibatch, stream=step)
            outputs = self.optimize(
                "d", lambda x=x, z=z, step=step: self.discriminator_loss(x, z, step))
            loss, logs = outputs if isinstance(outputs, (tuple, list)) else (outputs, {})
            d_losses.append(loss)
            for name, value in logs.items():
                extras.setdefault(name, []).append(value)
            self.after_discriminator_step()
        z = self.noise(minibatch, stream=self.d_steps)
        g_loss = self.optimize("g", lambda: self.generator_objective(z))
        extras = {name: tf.add_n(values) / len(values) for name, values in extras.items()}
        return self.record(d_loss=tf.add_n(d_losses) / self.d_steps, g_loss=g_loss, **extras)

    # The hooks a scheme of the family implements.
    def discriminator_loss(self, real: tf.Tensor, z: tf.Tensor, step: int):
        """The loss of discriminator step ``step`` on real minibatch ``real`` and codes ``z``.

        Returns the scalar loss, or ``(loss, {log name: value})`` for extra logs (declared in
        ``log_names``).
        """
        raise NotImplementedError(f"{type(self).__name__} must implement discriminator_loss.")

    def generator_objective(self, z: tf.Tensor) -> tf.Tensor:
        """The generator's loss on codes ``z``."""
        raise NotImplementedError(f"{type(self).__name__} must implement generator_objective.")

    def after_discriminator_step(self) -> None:
        """Runs after every discriminator update (WGAN clips the critic's weights here)."""

    def extra_stream(self, step: int, index: int = 0) -> int:
        """Stream of the ``index``-th extra draw (e.g. a penalty's epsilon) of discriminator step
        ``step``, for :meth:`draw`; distinct from the latent codes' streams."""
        if not 0 <= index < 8:
            raise UserError(f"At most 8 extra draws per discriminator step. Received: {index}")
        return self.EXTRA_STREAMS + 8 * step + index

    def _minibatch_size(self, real: tf.Tensor):
        static = real.shape[0]
        if static is not None and static % self.d_steps:
            raise UserError(
                f"The batch of {static} examples cannot be split into d_steps={self.d_steps} "
                f"minibatches: use a batch size divisible by {self.d_steps}."
            )
        return tf.shape(real)[0] // self.d_steps

    def get_config(self) -> dict:
        """Adds ``d_steps`` to the base config."""
        return {**super().get_config(), "d_steps": self.d_steps}
