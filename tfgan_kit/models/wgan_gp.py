"""WGAN with gradient penalty (Gulrajani et al. 2017), Algorithm 1, as a Keras model.

Each ``train_step`` is one outer iteration of the paper's Algorithm 1: ``n_critic`` critic updates,
each on a fresh minibatch of m real examples x, m generated samples G(z) and m numbers
``eps ~ U[0, 1]``, minimising Eq. 3, ``E[D(G(z))] - E[D(x)] + lambda E[(||grad D(x_hat)||_2 - 1)^2]``
with ``x_hat = eps x + (1 - eps) G(z)`` (lines 4-7); then one generator update minimising
``-E[D(G(z))]`` (line 12). The paper's defaults: lambda = 10, n_critic = 5, Adam with
alpha = 1e-4, beta_1 = 0, beta_2 = 0.9 (the configs set the optimizers).

The penalty is per example, so the critic must not normalise over the batch (Section 4, "No
critic batch normalization"): a critic holding a BatchNormalization layer is refused; build the
DCGAN critic with ``normalization="layer"`` (or ``"none"``). ``one_sided=True`` penalises only
norms above 1, ``E[max(0, ||grad|| - 1)^2]`` (the one-sided variant of Section 4; Petzka et al.
2018). eps is drawn with :meth:`draw` on its own stream, so 1 and N replicas draw the same eps for
the same global batch.

Reference:
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, Algorithm 1, Eq. 3
    and Section 4 (https://arxiv.org/abs/1704.00028).
"""

from __future__ import annotations

from typing import Any

import keras

from tfgan_kit.losses import (
    gradient_penalty,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from tfgan_kit.errors import UserError, check_positive_number
from tfgan_kit.models.alternating import AlternatingGAN
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme


def batch_normalization_layers(net: keras.layers.Layer) -> list[str]:
    """Paths of the BatchNormalization layers anywhere in ``net`` (nested models included)."""
    found, seen = [], set()

    def walk(layer, path):
        if id(layer) in seen:
            return
        seen.add(id(layer))
        if isinstance(layer, keras.layers.BatchNormalization):
            found.append(path)
        children = list(getattr(layer, "layers", None) or [])
        flatten = getattr(layer, "_flatten_layers", None)  # sublayers of a custom layer
        if flatten is not None:
            children += [c for c in flatten(include_self=False, recursive=False)
                         if all(c is not k for k in children)]
        for child in children:
            walk(child, f"{path}/{child.name}")

    walk(net, net.name)
    return found


@keras.saving.register_keras_serializable(package="tfgan_kit")
class WGANGP(AlternatingGAN):
    """Gulrajani et al. 2017, Algorithm 1: Wasserstein losses plus lambda times the gradient
    penalty at random interpolates of real and generated samples.

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: the critic D, mapping samples to unbounded scores, without
            BatchNormalization.
        latent_dim: width of ``z``.
        d_steps: n_critic, critic updates per generator update; the incoming batch is split into
            ``d_steps`` minibatches (see :class:`AlternatingGAN`). Defaults to `5` (the paper's).
        gradient_penalty_weight: lambda. Defaults to `10.0` (the paper's).
        one_sided: penalise only gradient norms above 1. Defaults to `False` (Eq. 3).
        seed: seed of z and eps. Defaults to `0`.

    Raises:
        ValueError: for a critic with BatchNormalization, a non-positive lambda, a non-boolean
            ``one_sided`` or a bad ``d_steps``.
    """

    paper = ('Gulrajani et al. 2017, "Improved Training of Wasserstein GANs", Algorithm 1 '
             "(gradient penalty)")
    log_names = ("d_loss", "g_loss", "gradient_penalty")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        d_steps: int = 5,
        gradient_penalty_weight: float = 10.0,
        one_sided: bool = False,
        seed: int = 0,
        **kwargs: Any,
    ):
        weight = check_positive_number("gradient_penalty_weight", gradient_penalty_weight)
        if not isinstance(one_sided, bool):
            raise UserError(f"`one_sided` must be True or False. Received: one_sided={one_sided!r}")
        norms = batch_normalization_layers(discriminator) if isinstance(
            discriminator, keras.layers.Layer) else []
        if norms:
            raise UserError(
                f"WGAN-GP's critic must not use batch normalization (Gulrajani et al. 2017, "
                f"Section 4: the penalty is per example), but it holds {', '.join(norms)}: build "
                "it without, e.g. dcgan_discriminator(..., normalization='layer') or "
                "config.model.d_normalization = 'layer' (or 'none')."
            )
        super().__init__(generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
                         seed=seed, **kwargs)
        self.gradient_penalty_weight = weight
        self.one_sided = one_sided

    def interpolation_weights(self, batch_size, step: int):
        """eps ~ U[0, 1], one per example of critic step ``step`` (Algorithm 1, line 4)."""
        return self.draw(self.extra_stream(step), batch_size, distribution="uniform")

    def discriminator_loss(self, real, z, step):
        """Eq. 3 on this minibatch: ``E[D(G(z))] - E[D(x)] + lambda * penalty``.

        Returns the loss and ``{"gradient_penalty": penalty}`` (unweighted).
        """
        fake = self.generator(z, training=True)
        eps = self.interpolation_weights(keras.ops.shape(real)[0], step)

        def critic(x):
            return self.discriminator(x, training=True)

        # gradient_penalty interpolates real + w (fake - real): w = 1 - eps gives
        # x_hat = eps x + (1 - eps) G(z) (line 6).
        penalty = gradient_penalty(critic, real, fake, 1.0 - eps, one_sided=self.one_sided)
        loss = wasserstein_discriminator_loss(critic(real), critic(fake))
        return loss + self.gradient_penalty_weight * penalty, {"gradient_penalty": penalty}

    def generator_objective(self, z):
        """``-E[D(G(z))]`` (Algorithm 1, line 12)."""
        return wasserstein_generator_loss(
            self.discriminator(self.generator(z, training=True), training=True))

    def get_config(self) -> dict:
        """Nets, seed, ``latent_dim``, ``d_steps``, ``gradient_penalty_weight``, ``one_sided``."""
        return {**super().get_config(), "d_steps": self.d_steps,
                "gradient_penalty_weight": self.gradient_penalty_weight,
                "one_sided": self.one_sided}


@register_scheme("wgan_gp")
def build_wgan_gp(config, spec) -> WGANGP:
    """WGAN-GP (Gulrajani et al. 2017): nets ``config.model.nets``; ``d_steps`` (n_critic,
    default 5), ``gradient_penalty_weight`` (lambda, default 10) and ``one_sided`` (default
    False) of ``config.model``; optimizers from ``config.train``."""
    m = config.model
    model = WGANGP(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        d_steps=m.get("d_steps", 5),
        gradient_penalty_weight=m.get("gradient_penalty_weight", 10.0),
        one_sided=m.get("one_sided", False),
        seed=config.seed,
    )
    return compile_scheme(model, config)
