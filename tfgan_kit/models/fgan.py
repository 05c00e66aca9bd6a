"""f-GAN (Nowozin et al. 2016): variational divergence minimisation with any f-divergence.

The saddle objective (Sec. 3, Eq. 6 with the variational function ``T = g_f(V_omega)`` of
Sec. 2.4) is

    ``F(theta, omega) = E_P[g_f(V_omega(x))] - E_{Q_theta}[f*(g_f(V_omega(G_theta(z))))]``,

a lower bound of ``D_f(P || Q_theta)``: the variational function (the discriminator, raw output
``V``) maximises it, the generator minimises it. ``divergence`` picks the row of Table 2
(:data:`tfgan_kit.losses.fdivergence.DIVERGENCES`: "kl", "reverse_kl", "pearson", "neyman",
"squared_hellinger", "jensen_shannon", "gan").

Generator objective (``generator_objective``):

* ``"practical"`` (default; Sec. 3.2): the generator maximises ``E_Q[g_f(V(G(z)))]`` instead of
  minimising F, the extension of Goodfellow et al.'s non-saturating heuristic that the paper's
  experiments use. For "gan" it is exactly the non-saturating GAN loss;
* ``"saddle"``: the generator descends F itself (its only term in theta is
  ``-E_Q[f*(g_f(V(G(z))))]``).

Training method (``method``):

* ``"alternating"`` (default): one discriminator (variational function) step ascending F, then
  one generator step on fresh codes, the loop of
  :class:`~tfgan_kit.models.alternating.AlternatingGAN` (``d_steps`` allowed);
* ``"single_step"``: Algorithm 1, the single-step gradient method: one minibatch of real and
  generated samples, one forward and backward pass computing ``grad_omega F`` and
  ``grad_theta F`` at the same ``(theta^t, omega^t)``, then simultaneously
  ``omega <- omega + eta grad_omega F`` and ``theta <- theta - eta grad_theta F``. With the
  practical objective, Sec. 3.2 replaces Algorithm 1's generator update (its line 4) by
  ``theta <- theta + eta grad_theta E_Q[g_f(V_omega^t(x))]``, still at ``(theta^t, omega^t)`` and
  on the same minibatch: that is what ``method="single_step"`` with
  ``generator_objective="practical"`` does (two gradients of one forward pass, since the two
  objectives differ); ``generator_objective="saddle"`` is Algorithm 1 verbatim.

Logs ``d_loss = -F`` (the loss the variational function descends), ``g_loss`` (the generator's
loss: ``-E_Q[g_f(V)]`` practical, ``-E_Q[f*(g_f(V))]`` saddle) and ``divergence = F``, the
minibatch estimate of the variational lower bound on ``D_f(P || Q)`` before the update.

Reference:
    Nowozin, Cseke, Tomioka, "f-GAN: Training Generative Neural Samplers using Variational
    Divergence Minimization", NeurIPS 2016, Eq. 6, Table 2, Algorithm 1 and Sec. 3.2
    (https://arxiv.org/abs/1606.00709).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError
from tfgan_kit.losses.fdivergence import (
    DIVERGENCES,
    fgan_discriminator_loss,
    fgan_generator_loss,
)
from tfgan_kit.models.alternating import AlternatingGAN
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme

METHODS = ("alternating", "single_step")
GENERATOR_OBJECTIVES = ("practical", "saddle")


def _choice(name: str, value, valid, note: str = "") -> None:
    if not isinstance(value, str) or value not in valid:
        raise UserError(f"`{name}` must be one of {list(valid)}{note}. Received: {name}={value!r}")


@keras.saving.register_keras_serializable(package="tfgan_kit")
class FGAN(AlternatingGAN):
    """Nowozin et al. 2016 (f-GAN): min_theta max_omega F(theta, omega) for an f-divergence.

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: the variational function's raw output ``V_omega``: samples to
            unconstrained scores (``g_f`` is applied by the losses).
        latent_dim: width of ``z``.
        divergence: a name of Table 2 (:data:`DIVERGENCES`). Defaults to `"jensen_shannon"`
            (the GAN objective up to constants; the configs' measured choice).
        method: ``"alternating"`` or ``"single_step"`` (Algorithm 1). Defaults to
            `"alternating"`.
        generator_objective: ``"practical"`` (Sec. 3.2) or ``"saddle"`` (F). Defaults to
            `"practical"`.
        d_steps: discriminator steps per generator step with ``method="alternating"``; must be
            1 with ``"single_step"``. Defaults to `1`.
        seed: noise seed. Defaults to `0`.

    Raises:
        ValueError: for an unknown divergence (listing the valid ones), method or generator
            objective, ``d_steps != 1`` with ``single_step``, or a bad :class:`AlternatingGAN` argument.

    Example:
    >>> model = FGAN(mlp_generator(16, 2), mlp_discriminator(2), latent_dim=16,
    ...              divergence="squared_hellinger", method="single_step")
    >>> model.compile(g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    ...               d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    """

    paper = ('Nowozin et al. 2016, "f-GAN": min_G max_V F = E_P[g_f(V(x))] - '
             "E_Q[f*(g_f(V(G(z))))] (Eq. 6), Algorithm 1 / Sec. 3.2")
    log_names = ("d_loss", "g_loss", "divergence")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        divergence: str = "jensen_shannon",
        method: str = "alternating",
        generator_objective: str = "practical",
        d_steps: int = 1,
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__(generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
                         seed=seed, **kwargs)
        _choice("divergence", divergence, DIVERGENCES, " (Nowozin et al. 2016, Table 2)")
        _choice("method", method, METHODS)
        _choice("generator_objective", generator_objective, GENERATOR_OBJECTIVES)
        if method == "single_step" and d_steps != 1:
            raise UserError(
                "method='single_step' (Algorithm 1) updates both nets once per minibatch: use "
                f"d_steps=1, or method='alternating' for d_steps={d_steps}."
            )
        self.divergence = divergence
        self.method = method
        # Not `self.generator_objective`: that name is the AlternatingGAN hook overridden below.
        self.g_objective = generator_objective
        self._divergence = DIVERGENCES[divergence]

    # ------------------------------------------------------------------ objectives
    def _scores(self, real: tf.Tensor, z: tf.Tensor):
        fake = self.generator(z, training=True)
        return (self.discriminator(real, training=True),
                self.discriminator(fake, training=True))

    def _f_generator_loss(self, fake_scores: tf.Tensor) -> tf.Tensor:
        return fgan_generator_loss(fake_scores, self._divergence,
                                   practical=self.g_objective == "practical")

    def discriminator_loss(self, real: tf.Tensor, z: tf.Tensor, step: int):
        """``-F`` on the minibatch (the variational function ascends F); logs ``divergence=F``."""
        del step
        loss = fgan_discriminator_loss(*self._scores(real, z), self._divergence)
        return loss, {"divergence": -loss}

    def generator_objective(self, z: tf.Tensor) -> tf.Tensor:
        """The generator's loss on codes ``z``: ``-E_Q[g_f(V(G(z)))]`` (practical, Sec. 3.2) or
        ``-E_Q[f*(g_f(V(G(z))))]`` (saddle: the theta-dependent part of F)."""
        return self._f_generator_loss(
            self.discriminator(self.generator(z, training=True), training=True))

    # ------------------------------------------------------------------ training
    def train_step(self, data):
        """``alternating``: :class:`AlternatingGAN`'s step with the f-GAN losses; ``single_step``:
        Algorithm 1 (one minibatch, gradients at the same parameters, simultaneous updates)."""
        if self.method == "alternating":
            return super().train_step(data)
        if self.d_optimizer is None or self.g_optimizer is None:
            raise UserError(
                f"{type(self).__name__} is not compiled: call model.compile(g_optimizer=..., "
                "d_optimizer=...) before fit()."
            )
        real = self.real_images(data)
        z = self.noise(tf.shape(real)[0], stream=0)
        d_vars, g_vars = self.variables_of("d"), self.variables_of("g")
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        # Under mixed precision each optimizer scales the loss by its own factor: then the two
        # gradients come from two backward passes of the same forward pass.
        scaled = any(isinstance(o, keras.optimizers.LossScaleOptimizer)
                     for o in (self.d_optimizer, self.g_optimizer))
        one_pass = self.g_objective == "saddle" and not scaled
        with tf.GradientTape(persistent=not one_pass) as tape:
            real_scores, fake_scores = self._scores(real, z)
            d_loss = fgan_discriminator_loss(real_scores, fake_scores, self._divergence)  # -F
            g_loss = self._f_generator_loss(fake_scores)
            if one_pass:
                objective = -d_loss / replicas  # F (gradients are summed across replicas)
            else:
                d_target = self._scale(self.d_optimizer, d_loss / replicas)
                g_target = self._scale(self.g_optimizer, g_loss / replicas)
        if one_pass:
            # Algorithm 1: one backward pass of F; omega ascends it, theta descends it.
            gradients = tape.gradient(objective, d_vars + g_vars)
            d_grads = [-g for g in gradients[: len(d_vars)]]
            g_grads = gradients[len(d_vars):]
        else:
            d_grads = tape.gradient(d_target, d_vars)
            g_grads = tape.gradient(g_target, g_vars)
            del tape
        self.d_optimizer.apply_gradients(zip(d_grads, d_vars))
        self.g_optimizer.apply_gradients(zip(g_grads, g_vars))
        return self.record(d_loss=d_loss, g_loss=g_loss, divergence=-d_loss)

    @staticmethod
    def _scale(optimizer, loss):
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            return optimizer.scale_loss(loss)
        return loss

    def get_config(self) -> dict:
        """The :class:`AlternatingGAN` config plus divergence, method and generator objective."""
        return {**super().get_config(), "divergence": self.divergence, "method": self.method,
                "generator_objective": self.g_objective}


@register_scheme("fgan")
def build_fgan(config, spec) -> FGAN:
    """f-GAN with nets ``config.model.nets``; ``divergence``, ``method``,
    ``generator_objective`` and ``d_steps`` from ``config.model``."""
    m = config.model
    model = FGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        divergence=m.divergence,
        method=m.method,
        generator_objective=m.get("generator_objective", "practical"),
        d_steps=m.get("d_steps", 1),
        seed=config.seed,
    )
    return compile_scheme(model, config)
