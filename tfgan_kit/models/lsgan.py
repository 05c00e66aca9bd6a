"""Least Squares GAN (Mao et al. 2017) as a Keras model.

The discriminator is a regressor with a linear output (the nets already output raw scores):
it minimises ``1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2]`` and the generator minimises
``1/2 E[(D(G(z)) - c)^2]`` (Eq. 2). The paper gives two choices of the codes (a, b, c): the 0-1
codes ``(0, 1, 1)`` (G wants D to take its samples for real, Eq. 10) and ``(-1, 1, 0)``
(b - c = 1 and b - a = 2, under which the objective minimises the Pearson chi^2 divergence of
``p_d + p_g`` and ``2 p_g``, Eq. 8-9). The updates are Algorithm 1 of Goodfellow et al. 2014
(:class:`tfgan_kit.models.alternating.AlternatingGAN`), including its ``d_steps``.

Reference:
    Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017, Eq. 2, 9 and 10
    (https://arxiv.org/abs/1611.04076).
"""

from __future__ import annotations

import numbers
from typing import Any

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.losses import least_squares_discriminator_loss, least_squares_generator_loss
from tfgan_kit.models.alternating import AlternatingGAN
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import build_net, register_scheme

#: Named target codes (a, b, c) of Mao et al. 2017: fake label, real label, generator's target.
LABELS = {"0-1-1": (0.0, 1.0, 1.0), "-1-1-0": (-1.0, 1.0, 0.0)}


def label_codes(labels) -> tuple[float, float, float]:
    """The codes ``(a, b, c)`` for ``labels``: a name of ``LABELS`` or three numbers.

    Raises:
        ValueError: for anything else.
    """
    if isinstance(labels, str) and labels in LABELS:
        return LABELS[labels]
    if (isinstance(labels, (tuple, list)) and len(labels) == 3
            and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in labels)):
        return tuple(float(v) for v in labels)
    raise UserError(
        f"`labels` must be one of {sorted(LABELS)} or three numbers (a, b, c) = (fake label, "
        f"real label, generator's target). Received: labels={labels!r}"
    )


@keras.saving.register_keras_serializable(package="tfgan_kit")
class LSGAN(AlternatingGAN):
    """Mao et al. 2017, Eq. 2: least-squares losses with codes (a, b, c) on Algorithm 1's updates.

    Args:
        generator: maps ``z [batch, latent_dim]`` to samples.
        discriminator: maps samples to linear scores (no output activation).
        latent_dim: width of ``z``.
        d_steps: discriminator updates per generator update (see :class:`AlternatingGAN`). Defaults to `1`.
        labels: the codes (a, b, c): ``"0-1-1"`` (a=0, b=1, c=1), ``"-1-1-0"`` (a=-1, b=1,
            c=0, the Pearson chi^2 choice of Eq. 9), or three numbers. Defaults to `"0-1-1"`.
        seed: noise seed. Defaults to `0`.

    Raises:
        ValueError: for bad ``labels`` or ``d_steps``.
    """

    paper = ('Mao et al. 2017, "Least Squares Generative Adversarial Networks", Eq. 2 '
             "(codes a-b-c)")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        d_steps: int = 1,
        labels="0-1-1",
        seed: int = 0,
        **kwargs: Any,
    ):
        codes = label_codes(labels)
        super().__init__(generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
                         seed=seed, **kwargs)
        self.labels = labels if isinstance(labels, str) else list(codes)
        self.fake_label, self.real_label, self.generator_target = codes

    def discriminator_loss(self, real, z, step):
        """``1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2]`` (Eq. 2) on this minibatch."""
        del step
        return least_squares_discriminator_loss(
            self.discriminator(real, training=True),
            self.discriminator(self.generator(z, training=True), training=True),
            real_label=self.real_label, fake_label=self.fake_label,
        )

    def generator_objective(self, z):
        """``1/2 E[(D(G(z)) - c)^2]`` (Eq. 2)."""
        return least_squares_generator_loss(
            self.discriminator(self.generator(z, training=True), training=True),
            target=self.generator_target,
        )

    def get_config(self) -> dict:
        """Nets, seed, ``latent_dim``, ``d_steps`` and ``labels``."""
        return {**super().get_config(), "d_steps": self.d_steps,
                "labels": self.labels}


@register_scheme("lsgan")
def build_lsgan(config, spec) -> LSGAN:
    """LSGAN (Mao et al. 2017): nets ``config.model.nets``, ``d_steps`` (default 1) and
    ``labels`` (default ``"0-1-1"``) of ``config.model``; optimizers from ``config.train``."""
    m = config.model
    model = LSGAN(
        build_net(m.nets, "generator", m, spec),
        build_net(m.nets, "discriminator", m, spec),
        latent_dim=m.latent_dim,
        d_steps=m.get("d_steps", 1),
        labels=_plain(m.get("labels", "0-1-1")),
        seed=config.seed,
    )
    return compile_scheme(model, config)


def _plain(labels):
    """A config's tuple comes back as a tuple or list; keep strings as they are."""
    return labels if isinstance(labels, str) else tuple(labels)
