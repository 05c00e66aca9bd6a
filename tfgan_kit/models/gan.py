"""The original GAN (Goodfellow et al., 2014), Algorithm 1, as a Keras model.

Each ``train_step`` is one iteration of Algorithm 1: ``d_steps`` (the paper's k) discriminator
updates, each on a fresh minibatch of m examples and m noise samples, then one generator update
on m fresh noise samples. The incoming batch supplies the k fresh minibatches: with ``d_steps=k``
a batch of ``k * m`` examples is split into k minibatches of m (Algorithm 1 samples new examples
for every discriminator step), and the generator step uses m noise samples. The split is strided
(minibatch i holds examples i, i+k, i+2k, ...): ``tf.distribute`` hands each replica a contiguous
slice of the global batch, and a strided split of each slice yields, across replicas, exactly the
minibatches of the single-replica split, so N replicas take the same k steps as one.

Reference:
    Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Algorithm 1 and Section 3
    (https://arxiv.org/abs/1406.2661).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.losses import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme

GENERATOR_LOSSES = {
    "minimax": minimax_generator_loss,
    "non_saturating": non_saturating_generator_loss,
}


@keras.saving.register_keras_serializable(package="tfgan_kit")
class GAN(AdversarialModel):
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
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if latent_dim is None:
            raise ValueError("`latent_dim` must be a positive integer. Received: latent_dim=None")
        if not isinstance(d_steps, int) or d_steps < 1:
            raise ValueError(f"`d_steps` must be an integer >= 1. Received: d_steps={d_steps!r}")
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(
                f"`generator_loss` must be one of {sorted(GENERATOR_LOSSES)}. "
                f"Received: generator_loss={generator_loss!r}"
            )
        self.d_steps = d_steps
        self.generator_loss = generator_loss
        self._generator_loss = GENERATOR_LOSSES[generator_loss]

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

    # Hooks of the loss family (LSGAN, WGAN, WGAN-GP, DRAGAN, f-GAN override these).
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

    def after_discriminator_step(self) -> None:
        """Runs after every discriminator update (WGAN clips the critic's weights here)."""

    def extra_stream(self, step: int, index: int = 0) -> int:
        """Stream of the ``index``-th extra draw (e.g. a penalty's epsilon) of discriminator step
        ``step``, for :meth:`draw`; distinct from the latent codes' streams."""
        if not 0 <= index < 8:
            raise ValueError(f"At most 8 extra draws per discriminator step. Received: {index}")
        return self.EXTRA_STREAMS + 8 * step + index

    def _minibatch_size(self, real: tf.Tensor):
        static = real.shape[0]
        if static is not None and static % self.d_steps:
            raise ValueError(
                f"The batch of {static} examples cannot be split into d_steps={self.d_steps} "
                f"minibatches: use a batch size divisible by {self.d_steps}."
            )
        return tf.shape(real)[0] // self.d_steps

    def get_config(self) -> dict:
        """Adds ``d_steps`` and ``generator_loss`` to the base config."""
        return {
            **super().get_config(),
            "d_steps": self.d_steps,
            "generator_loss": self.generator_loss,
        }


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
