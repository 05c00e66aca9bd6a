"""DRAGAN (Kodali et al. 2017): the GAN game plus a gradient penalty around the real data.

The discriminator minimises the GAN loss of Goodfellow et al. 2014 (Eq. 1) plus

    ``lambda * E_{x ~ P_real, delta}[(||grad_x D(x + delta)||_2 - k)^2]``

with ``x + delta`` a perturbation of a REAL example (never a generated one, unlike WGAN-GP's
interpolates between real and generated samples); the generator takes the non-saturating step,
as in the authors' code. Two perturbations are offered:

* ``"uniform"`` (default), the authors' released code: ``x_p = x + c * std(x) * U[0, 1)`` with
  ``std`` the standard deviation of every element of the minibatch and ``c = 0.5``, and the
  penalty taken at ``x + alpha * (x_p - x)``, ``alpha ~ U[0, 1]`` per example;
* ``"normal"``, the paper's text: ``delta ~ N_d(0, c I)``, ``c`` the variance (the paper
  suggests lambda ~ 10, k = 1, c ~ 10 for its image experiments; on other data ranges c is to
  be tuned, as the authors' README says).

lambda = 10 and k = 1 in both the paper and the code. The optimizer is not pinned in the paper's
text; the authors' code trains both nets with Adam(1e-4, beta_1 0.5, beta_2 0.9) (the WGAN-GP
settings), which the configs follow, raising the learning rate only where a measured run needed
it (see each config's docstring).

Every random number of the penalty is drawn with :meth:`AdversarialModel.draw` on the extra
streams of its discriminator step, and ``std(x)`` is taken over the global minibatch (summed
across replicas), so 1 and N replicas take the same step.

Reference:
    Kodali, Abernethy, Hays, Kira, "On Convergence and Stability of GANs", 2017, the DRAGAN
    penalty of their proposed method (https://arxiv.org/abs/1705.07215); the authors' code
    github.com/kodalinaveen3/DRAGAN (perturbation ``0.5 * x.std() * U[0, 1)``, lambda 10,
    Adam(1e-4, 0.5, 0.9)).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.losses import minimax_discriminator_loss
from tfgan_kit.losses.penalties import (
    dragan_penalty,
    dragan_perturbation_normal,
    dragan_perturbation_uniform,
)
from tfgan_kit.models.gan import GAN
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme

#: Perturbation -> its default scale c: the authors' code (0.5 batch standard deviations) and
#: the paper's text (variance c ~ 10 of N(0, cI)).
PERTURBATIONS = {"uniform": 0.5, "normal": 10.0}


def _global_std(x: tf.Tensor) -> tf.Tensor:
    """Standard deviation of every element of the global minibatch (all replicas' slices)."""
    context = tf.distribute.get_replica_context()
    x = tf.cast(x, tf.float32)
    count, total = context.all_reduce(
        tf.distribute.ReduceOp.SUM, [tf.cast(tf.size(x), tf.float32), tf.reduce_sum(x)])
    mean = total / count
    squares = context.all_reduce(tf.distribute.ReduceOp.SUM,
                                 tf.reduce_sum(tf.square(x - mean)))
    return tf.sqrt(squares / count)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class DRAGAN(GAN):
    """Kodali et al. 2017 (DRAGAN): GAN losses + lambda * E[(||grad D(x + delta)|| - k)^2].

    Each discriminator step of Algorithm 1 (``d_steps`` of them, as :class:`GAN`) minimises
    ``-E[log D(x)] - E[log(1 - D(G(z)))] + penalty_weight * dragan_penalty`` on its minibatch;
    the generator step minimises ``generator_loss`` (non-saturating, as the authors' code).

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: maps samples to logits.
        latent_dim: width of ``z``.
        penalty_weight: lambda. Defaults to `10.0` (paper and code).
        target_norm: k, the gradient norm the penalty pulls towards. Defaults to `1.0`.
        perturbation: ``"uniform"`` (the authors' code: ``alpha * c * std(x) * U[0, 1)``) or
            ``"normal"`` (the paper's ``N(0, c I)``). Defaults to `"uniform"`.
        perturbation_scale: c; ``None`` for the default of ``perturbation`` (0.5 for uniform,
            10 for normal; see :data:`PERTURBATIONS`). Defaults to `None`.
        d_steps: discriminator updates per generator update (:class:`GAN`). Defaults to `1`.
        generator_loss: ``"non_saturating"`` or ``"minimax"``. Defaults to
            `"non_saturating"`.
        seed: noise seed. Defaults to `0`.

    Raises:
        ValueError: for a negative weight or norm, a non-positive scale, an unknown
            perturbation, or a bad :class:`GAN` argument.

    Example:
    >>> model = DRAGAN(mlp_generator(16, 2), mlp_discriminator(2), latent_dim=16)
    >>> model.compile(g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
    ...               d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9))
    """

    paper = ('Kodali et al. 2017, "On Convergence and Stability of GANs" (DRAGAN): '
             "GAN losses + lambda E[(||grad D(x + delta)|| - k)^2] around real data")
    log_names = ("d_loss", "g_loss", "gradient_penalty")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        penalty_weight: float = 10.0,
        target_norm: float = 1.0,
        perturbation: str = "uniform",
        perturbation_scale: float | None = None,
        d_steps: int = 1,
        generator_loss: str = "non_saturating",
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__(generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
                         generator_loss=generator_loss, seed=seed, **kwargs)
        if perturbation not in PERTURBATIONS:
            raise UserError(
                f"`perturbation` must be one of {sorted(PERTURBATIONS)} ('uniform': the authors' "
                f"code, 'normal': the paper's N(0, cI)). Received: perturbation={perturbation!r}"
            )
        if perturbation_scale is None:
            perturbation_scale = PERTURBATIONS[perturbation]
        for name, value, low in (("penalty_weight", penalty_weight, 0.0),
                                 ("target_norm", target_norm, 0.0)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < low:
                raise UserError(f"`{name}` must be a number >= {low}. Received: {name}={value!r}")
        if (not isinstance(perturbation_scale, (int, float)) or isinstance(perturbation_scale, bool)
                or perturbation_scale <= 0):
            raise UserError(
                "`perturbation_scale` (the paper's c) must be a positive number. Received: "
                f"perturbation_scale={perturbation_scale!r}"
            )
        self.penalty_weight = float(penalty_weight)
        self.target_norm = float(target_norm)
        self.perturbation = perturbation
        self.perturbation_scale = float(perturbation_scale)

    def perturbation_of(self, real: tf.Tensor, step: int) -> tf.Tensor:
        """``delta`` of discriminator step ``step``: the offset from ``real`` where the gradient
        norm is penalised, from draws on the step's extra streams (Kodali et al. 2017, DRAGAN penalty)."""
        batch, shape = tf.shape(real)[0], tuple(real.shape[1:])
        if self.perturbation == "normal":
            normal = self.draw(self.extra_stream(step, 0), batch, shape)
            return dragan_perturbation_normal(normal, self.perturbation_scale)
        uniform = self.draw(self.extra_stream(step, 0), batch, shape, distribution="uniform")
        alpha = self.draw(self.extra_stream(step, 1), batch, distribution="uniform")
        scale = self.perturbation_scale
        if tf.distribute.get_strategy().num_replicas_in_sync > 1:
            # The code's std(x) is that of the whole minibatch: rescale the replica's own.
            local = tf.math.reduce_std(tf.cast(real, tf.float32))
            scale = scale * tf.math.divide_no_nan(_global_std(real), local)
        return dragan_perturbation_uniform(real, uniform, alpha, c=scale)

    def discriminator_loss(self, real: tf.Tensor, z: tf.Tensor, step: int):
        """Eq. 1's discriminator loss plus ``penalty_weight * dragan_penalty`` at ``real + delta``.

        Returns ``(loss, {"gradient_penalty": unweighted penalty})``.
        """
        gan_loss = minimax_discriminator_loss(
            self.discriminator(real, training=True),
            self.discriminator(self.generator(z, training=True), training=True),
        )
        penalty = dragan_penalty(lambda x: self.discriminator(x, training=True), real,
                                 self.perturbation_of(real, step), target=self.target_norm)
        return gan_loss + self.penalty_weight * penalty, {"gradient_penalty": penalty}

    def get_config(self) -> dict:
        """Adds lambda, k, the perturbation and its scale c to the :class:`GAN` config."""
        return {
            **super().get_config(),
            "penalty_weight": self.penalty_weight,
            "target_norm": self.target_norm,
            "perturbation": self.perturbation,
            "perturbation_scale": self.perturbation_scale,
        }


@register_scheme("dragan")
def build_dragan(config, spec) -> DRAGAN:
    """DRAGAN with nets ``config.model.nets``; lambda, k, perturbation, c from ``config.model``."""
    m = config.model
    model = DRAGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        penalty_weight=m.penalty_weight,
        target_norm=m.target_norm,
        perturbation=m.perturbation,
        perturbation_scale=m.get("perturbation_scale", None),
        d_steps=m.get("d_steps", 1),
        generator_loss=m.get("generator_loss", "non_saturating"),
        seed=config.seed,
    )
    return compile_scheme(model, config)
