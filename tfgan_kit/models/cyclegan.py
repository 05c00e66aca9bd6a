"""CycleGAN (Zhu et al. 2017): unpaired translation X <-> Y with two GANs and cycle consistency.

``L(G, F, D_X, D_Y) = L_GAN(G, D_Y) + L_GAN(F, D_X) + lambda L_cyc(G, F)`` (Eq. 3), in the
least-squares form (Section 4), lambda = 10, plus the identity loss weighted ``0.5 lambda``
(Section 5.2). G: X -> Y and F: Y -> X are ResNet translators, D_X and D_Y 70x70 PatchGANs with
instance normalisation. Each step, as the authors' code: one Adam step on both translators
(their summed objective), then one on both discriminators, whose halved least-squares losses are
computed on translated images drawn through a history pool of the last 50 (Section 4).

Under a distribution strategy the translated images are gathered from the replicas and every
replica queries its pool with the global batch and the same seed, so 1 and N replicas see the
same pool (see :class:`tfgan_kit.layers.HistoryPool`).

Reference:
    Zhu, Park, Isola, Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent
    Adversarial Networks", ICCV 2017, Eq. 1-3, Section 4, Section 5.2 and Appendix 7
    (https://arxiv.org/abs/1703.10593).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.data import pair
from tfgan_kit.errors import UserError
from tfgan_kit.layers.history_pool import HistoryPool
from tfgan_kit.losses import (
    cycle_consistency_loss,
    cyclegan_discriminator_loss,
    cyclegan_generator_loss,
    identity_loss,
)
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.models.translation import (
    columns_picture,
    image_endpoint,
)
from tfgan_kit.nets.patchgan import patchgan_discriminator
from tfgan_kit.nets.resnet_translator import resnet_translator
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import register_scheme
from tfgan_kit.types import Endpoint, Picture


@keras.saving.register_keras_serializable(package="tfgan_kit")
class CycleGAN(AdversarialModel):
    """Cycle-consistent adversarial translation between domains A (X) and B (Y).

    Trains on ``unpaired`` batches ``(a, b)``. Logs ``d_loss`` (both discriminators' halved
    least-squares losses), ``g_loss`` (the translators' whole objective), ``cycle_loss``
    (``L_cyc``, unweighted) and ``identity_loss`` (unweighted).

    Args:
        g_ab: G, A -> B. g_ba: F, B -> A.
        d_a: D_X, on A images. d_b: D_Y, on B images.
        cycle_weight: lambda. Defaults to `10.0`.
        identity_weight: weight of ``L_identity`` relative to lambda (0 disables it). Defaults
            to `0.5` (``0.5 lambda``).
        pool_size: images kept by each history pool (0: no pool). Defaults to `50`.
        seed: seed of the pools' draws. Defaults to `0`.

    Raises:
        ValueError: for a negative weight or pool size, translators without a static output
            shape, or an identity loss between domains of different channel counts.

    Reference: Zhu et al. 2017, Eq. 3, Section 4 and Section 5.2.
    """

    paper = ('Zhu et al. 2017, "Unpaired Image-to-Image Translation using Cycle-Consistent '
             'Adversarial Networks", Eq. 3')
    optimizer_nets = {"g": ("g_ab", "g_ba"), "d": ("d_a", "d_b")}
    log_names = ("d_loss", "g_loss", "cycle_loss", "identity_loss")
    batch_kinds = ("unpaired",)
    POOL_STREAMS = (0, 1)  # draw streams of the two pools' queries

    def __init__(self, g_ab: keras.Model, g_ba: keras.Model, d_a: keras.Model,
                 d_b: keras.Model, cycle_weight: float = 10.0, identity_weight: float = 0.5,
                 pool_size: int = 50, seed: int = 0, **kwargs: Any):
        super().__init__({"g_ab": g_ab, "g_ba": g_ba, "d_a": d_a, "d_b": d_b}, seed=seed,
                         **kwargs)
        for key, value in (("cycle_weight", cycle_weight), ("identity_weight", identity_weight)):
            if not value >= 0:
                raise UserError(f"`{key}` must be >= 0. Received: {key}={value!r}")
        self.cycle_weight, self.identity_weight = float(cycle_weight), float(identity_weight)
        self.pool_size = pool_size
        shapes = [tuple(net.outputs[0].shape[1:]) for net in (g_ba, g_ab)]
        if any(None in shape for shape in shapes):
            raise UserError(f"CycleGAN's history pools need translators with a static output "
                            f"shape. Received: {shapes}")
        if self.identity_weight > 0 and shapes[0][-1] != shapes[1][-1]:
            raise UserError(f"The identity loss feeds each translator its own target domain, "
                            f"which needs equal channel counts; the domains have {shapes[0][-1]}"
                            f" and {shapes[1][-1]}: set identity_weight=0.")
        self.pool_a, self.pool_b = (HistoryPool(pool_size, name=f"pool_{d}") for d in "ab")
        self.pool_a.build((None, *shapes[0]))
        self.pool_b.build((None, *shapes[1]))

    def _pooled(self, pool: HistoryPool, images, stream: int) -> tf.Tensor:
        """``pool`` queried with the global batch of ``images``; this replica's slice back."""
        seed = self.stream_seed(stream)
        context = tf.distribute.get_replica_context()
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        if context is None or replicas == 1:
            return pool(images, seed)
        local = tf.shape(images)[0]
        pooled = pool(context.all_gather(images, axis=0), seed)
        start = tf.cast(context.replica_id_in_sync_group, tf.int32) * local
        return pooled[start : start + local]

    def generator_objective(self, a, b):
        """The translators' loss ``L_GAN(G) + L_GAN(F) + lambda L_cyc + 0.5 lambda L_identity``,
        with ``(L_cyc, L_identity, G(a), F(b))``."""
        fake_b, fake_a = self.g_ab(a, training=True), self.g_ba(b, training=True)
        adversarial = (cyclegan_generator_loss(self.d_b(fake_b, training=True))
                       + cyclegan_generator_loss(self.d_a(fake_a, training=True)))
        cycle = cycle_consistency_loss(a, self.g_ba(fake_b, training=True),
                                       b, self.g_ab(fake_a, training=True))
        loss = adversarial + self.cycle_weight * cycle
        identity = tf.constant(0.0)
        if self.identity_weight > 0:
            identity = identity_loss(a, self.g_ba(a, training=True),
                                     b, self.g_ab(b, training=True))
            loss += self.identity_weight * self.cycle_weight * identity
        return loss, cycle, identity, fake_b, fake_a

    def train_step(self, data):
        a, b = pair(data)
        g_loss, cycle, identity, fake_b, fake_a = self.optimize(
            "g", lambda: self.generator_objective(a, b))
        fake_b = self._pooled(self.pool_b, fake_b, self.POOL_STREAMS[1])
        fake_a = self._pooled(self.pool_a, fake_a, self.POOL_STREAMS[0])
        d_loss = self.optimize("d", lambda: (
            cyclegan_discriminator_loss(self.d_b(b, training=True),
                                        self.d_b(fake_b, training=True))
            + cyclegan_discriminator_loss(self.d_a(a, training=True),
                                          self.d_a(fake_a, training=True))))
        return self.record(d_loss=d_loss, g_loss=g_loss, cycle_loss=cycle,
                           identity_loss=identity)

    def call(self, a, training: bool = False) -> tf.Tensor:
        """``model(a)`` is ``G(a)``."""
        return self.g_ab(a, training=training)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``a_to_b(images) -> {"images": G(images)}`` and ``b_to_a(images) -> {"images":
        F(images)}``."""
        return {"a_to_b": image_endpoint(self.g_ab), "b_to_a": image_endpoint(self.g_ba)}

    def picture(self, spec, num_samples: int, seed: int) -> Picture:
        """Rows ``a | G(a) | F(G(a)) | b | F(b) | G(F(b))`` (input | output | reconstruction,
        both ways) of the first ``num_samples`` training pairs."""
        del seed  # the preview is fixed
        a, b = pair(spec.preview(num_samples))
        fake_b, fake_a = self.g_ab(a, training=False), self.g_ba(b, training=False)
        return columns_picture(a, fake_b, self.g_ba(fake_b, training=False),
                               b, fake_a, self.g_ab(fake_a, training=False))

    def get_config(self) -> dict:
        return {**super().get_config(), "cycle_weight": self.cycle_weight,
                "identity_weight": self.identity_weight, "pool_size": self.pool_size}


@register_scheme("cyclegan")
def build_cyclegan(config, spec) -> CycleGAN:
    """Zhu et al. 2017 for unpaired data: ``config.model`` sets the translators
    (``residual_blocks``, ``g_base_filters``, ``normalization``), the PatchGANs
    (``receptive_field``, ``d_base_filters``), ``cycle_weight``, ``identity_weight`` and
    ``pool_size``."""
    m = config.model
    shapes = {"a": spec.sample_shape, "b": spec.target_shape or spec.sample_shape}
    nets = {}
    for source, target in (("a", "b"), ("b", "a")):
        nets[f"g_{source}{target}"] = resnet_translator(
            shapes[source], output_channels=shapes[target][-1],
            residual_blocks=m.residual_blocks, base_filters=m.g_base_filters,
            normalization=m.normalization, name=f"g_{source}{target}")
        nets[f"d_{target}"] = patchgan_discriminator(
            m.receptive_field, shapes[target][-1], m.d_base_filters, m.normalization,
            name=f"d_{target}")
    model = CycleGAN(**nets, cycle_weight=m.cycle_weight, identity_weight=m.identity_weight,
                     pool_size=m.pool_size, seed=config.seed)
    return compile_scheme(model, config)
