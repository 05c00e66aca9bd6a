"""BEGAN, the boundary-equilibrium GAN (Berthelot, Schumm, Metz 2017).

The discriminator is an auto-encoder; ``L(v) = mean |v - D(v)|`` is its per-example L1
reconstruction loss (Eq. 1 with eta = 1, :func:`began_autoencoder_loss`). Each ``train_step``
(Eq. 4):

* discriminator step on ``L_D = L(x) - k_t L(G(z_D))``;
* generator step on ``L_G = L(G(z_G))``, ``z_D`` and ``z_G`` separate draws;
* proportional control of the equilibrium ``E[L(G(z))] = gamma E[L(x)]``:
  ``k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z_G))), 0, 1)``, ``k_0 = 0``, with the
  batch means of the two losses of this step (``L(x)`` from the discriminator step,
  ``L(G(z_G))`` from the generator step);
* the convergence measure ``M_global = L(x) + |gamma L(x) - L(G(z_G))|`` (Sec. 3.4.1) is logged.

The two updates alternate (D, then G against the updated D), as every scheme of this kit; the
paper's implementation-style code updates both from the same forward pass.

``k`` is a model weight (non-trainable, saved in ``.keras`` files and in the run's
``tf.train.Checkpoint``), so a resumed run continues with the k it stopped at. Under
``tf.distribute`` every replica computes the new k from the **global-batch** means of ``L(x)``
and ``L(G(z_G))`` (an all-reduce of the per-replica means; the local batches have equal sizes),
so all replicas agree on k and 1 and N replicas follow the same k; the variable's
``only_first_replica`` aggregation writes that common value once.

Latent prior: the paper draws ``z ~ U[-1, 1]^{N_z}``. With ``latent_prior="uniform"`` the
scheme draws ``N(0, 1)`` codes like every scheme of the kit and maps them through
``u = erf(z / sqrt(2))``, which is exactly ``U(-1, 1)``; :meth:`BEGAN.generate`, the exported
``serving_default(z)`` and the sample pictures apply the same map, so the normal codes that
``tfgan_kit.sample`` feeds reach the generator as the paper's uniform ones.

Paper settings (Sec. 4.1): Adam with an initial learning rate in [5e-5, 1e-4] (halved when the
convergence measure stalls; not done here), batch 16, ``N_z = N_h = 64``, ``lambda_k = 0.001``,
``k_0 = 0``, ``gamma`` in [0.3, 0.7] (0.5 by default here). The paper does not state Adam's
beta_1; widely used re-implementations take 0.5, which the configs use.

Reference:
    Berthelot, Schumm, Metz, "BEGAN: Boundary Equilibrium Generative Adversarial Networks", 2017
    (https://arxiv.org/abs/1703.10717), Eq. 1 and 4, Sec. 3.3-3.5 and 4.1.
"""

from __future__ import annotations

import math
from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.distribute import replica_mean
from tfgan_kit.errors import UserError, check_positive_number
from tfgan_kit.losses import (
    began_autoencoder_loss,
    began_convergence,
    began_discriminator_loss,
    began_generator_loss,
    began_k_update,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.models.ebgan import check_autoencoder
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme

LATENT_PRIORS = ("uniform", "normal")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class BEGAN(AdversarialModel):
    """Boundary-equilibrium GAN (Berthelot et al. 2017, Eq. 4) with the k_t controller.

    Args:
        generator: maps codes ``[batch, latent_dim]`` to samples.
        discriminator: an auto-encoder ``x -> (reconstruction, embedding)``
            (:mod:`tfgan_kit.nets.autoencoder`).
        latent_dim: width of ``z`` (``N_z``).
        gamma: diversity ratio gamma in (0, 1]. Defaults to `0.5`.
        lambda_k: proportional gain of k (> 0). Defaults to `0.001` (the paper's).
        latent_prior: ``"uniform"`` (the paper's U[-1, 1] codes, via ``erf(z / sqrt(2))`` of
            normal draws) or ``"normal"``. Defaults to `"uniform"`.
        seed: noise seed. Defaults to `0`.

    Logs ``d_loss``, ``g_loss``, ``k`` (k_{t+1}, after the step's update), ``convergence``
    (M_global), ``real_loss`` (L(x)) and ``fake_loss`` (L(G(z_G))), the last two as global-batch
    means.

    Raises:
        ValueError: for gamma outside (0, 1], a non-positive lambda_k, an unknown prior or a
            discriminator that is not a two-output auto-encoder.
    """

    paper = ('Berthelot, Schumm, Metz 2017, "BEGAN: Boundary Equilibrium Generative Adversarial '
             'Networks", Eq. 4 (k_t control) and Sec. 3.4.1 (convergence measure)')
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss", "k", "convergence", "real_loss", "fake_loss")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        gamma: float = 0.5,
        lambda_k: float = 0.001,
        latent_prior: str = "uniform",
        seed: int = 0,
        **kwargs: Any,
    ):
        super().__init__({"generator": generator, "discriminator": discriminator},
                         latent_dim=latent_dim, seed=seed, **kwargs)
        if latent_dim is None:
            raise UserError("`latent_dim` must be a positive integer. Received: latent_dim=None")
        check_autoencoder(discriminator, "BEGAN")
        if not _number(gamma) or not 0.0 < gamma <= 1.0:
            raise UserError(f"`gamma` must be in (0, 1]. Received: gamma={gamma!r}")
        check_positive_number("lambda_k", lambda_k)
        if latent_prior not in LATENT_PRIORS:
            raise UserError(
                f"`latent_prior` must be one of {LATENT_PRIORS}. Received: "
                f"latent_prior={latent_prior!r}"
            )
        self.gamma = float(gamma)
        self.lambda_k = float(lambda_k)
        self.latent_prior = latent_prior
        # k_t (k_0 = 0): a non-trainable weight, checkpointed with the model. Every replica
        # assigns the same value (computed from all-reduced means); only_first_replica writes it.
        self.k = self.add_weight(name="k", shape=(), dtype="float32", initializer="zeros",
                                 trainable=False, aggregation="only_first_replica")

    def codes(self, z: tf.Tensor) -> tf.Tensor:
        """Maps N(0, 1) codes to the generator's prior: ``erf(z / sqrt(2))`` ~ U(-1, 1) for the
        paper's uniform prior, identity for ``"normal"``."""
        if self.latent_prior == "uniform":
            return tf.math.erf(tf.cast(z, tf.float32) / math.sqrt(2.0))
        return z

    def generate(self, z, labels=None, training: bool = False) -> tf.Tensor:
        """``G(codes(z))`` for N(0, I) codes ``z`` (the paper's U[-1, 1] prior by default)."""
        if labels is not None:
            return super().generate(z, labels, training)  # raises: BEGAN is unconditional
        return self.generator(self.codes(z), training=training)

    def reconstruction_loss(self, samples, training: bool = False) -> tf.Tensor:
        """``L(v) = mean |v - D(v)|`` per example ``[batch]`` (Eq. 1, eta = 1)."""
        reconstruction, _ = self.discriminator(samples, training=training)
        return began_autoencoder_loss(samples, reconstruction)

    def train_step(self, data):
        """Eq. 4: a discriminator step, a generator step, then the k_t update."""
        real = self.real_images(data)
        batch = tf.shape(real)[0]
        z_d = self.codes(self.noise(batch, stream=0))
        z_g = self.codes(self.noise(batch, stream=1))
        k = tf.convert_to_tensor(self.k)

        def discriminator_loss():
            real_loss = self.reconstruction_loss(real, training=True)
            fake_loss = self.reconstruction_loss(self.generator(z_d, training=True),
                                                 training=True)
            return began_discriminator_loss(real_loss, fake_loss, k), tf.reduce_mean(real_loss)

        def generator_loss():
            fake_loss = self.reconstruction_loss(self.generator(z_g, training=True),
                                                 training=True)
            return began_generator_loss(fake_loss)

        d_loss, real_mean = self.optimize("d", discriminator_loss)
        g_loss = self.optimize("g", generator_loss)
        # Global-batch means: identical on every replica, hence the same k everywhere.
        real_global, fake_global = replica_mean(real_mean), replica_mean(g_loss)
        new_k = began_k_update(k, real_global, fake_global, self.gamma, self.lambda_k)
        self.k.assign(new_k)
        return self.record(
            d_loss=d_loss, g_loss=g_loss, k=new_k,
            convergence=began_convergence(real_global, fake_global, self.gamma),
            real_loss=real_global, fake_loss=fake_global)

    def get_config(self) -> dict:
        """Adds ``gamma``, ``lambda_k`` and ``latent_prior`` to the base config."""
        return {**super().get_config(), "gamma": self.gamma, "lambda_k": self.lambda_k,
                "latent_prior": self.latent_prior}


@register_scheme("began")
def build_began(config, spec) -> BEGAN:
    """BEGAN (Berthelot et al. 2017): the ``generator`` and ``autoencoder`` nets of family
    ``config.model.nets``, ``gamma``, ``lambda_k``, ``latent_prior``; optimizers from
    ``config.train``."""
    m = config.model
    model = BEGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "autoencoder", m, spec),
        latent_dim=m.latent_dim,
        gamma=m.gamma,
        lambda_k=m.lambda_k,
        latent_prior=m.get("latent_prior", "uniform"),
        seed=config.seed,
    )
    return compile_scheme(model, config)
