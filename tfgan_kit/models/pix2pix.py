"""Pix2Pix (Isola et al. 2017): a conditional GAN with an L1 term for paired translation x -> y.

``G* = arg min_G max_D L_cGAN(G, D) + lambda L_L1(G)`` (Eq. 4), lambda = 100: G is a U-Net (noise
only as dropout, on at training and test time), D a PatchGAN judging ``(x, y)`` pairs (the input
concatenated to the real or generated target on the channels) patch by patch. Each step takes one
gradient step on D, whose loss is halved, then one on G, which maximises ``log D(x, G(x))`` plus
the L1 term. An unconditional D (judging y alone) is the paper's ablation (Section 4.2).

Reference:
    Isola, Zhu, Zhou, Efros, "Image-to-Image Translation with Conditional Adversarial Networks",
    CVPR 2017, Eq. 1-4, Section 3.3 (https://arxiv.org/abs/1611.07004).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from tfgan_kit.data import pair
from tfgan_kit.errors import UserError
from tfgan_kit.losses import l1_distance, pix2pix_discriminator_loss, pix2pix_generator_loss
from tfgan_kit.models.base import AdversarialModel
from tfgan_kit.models.translation import columns_picture, image_endpoint
from tfgan_kit.nets.patchgan import patchgan_discriminator
from tfgan_kit.nets.unet import unet_generator
from tfgan_kit.optimizers import compile_scheme
from tfgan_kit.registry import register_scheme
from tfgan_kit.types import Endpoint, Picture


@keras.saving.register_keras_serializable(package="tfgan_kit")
class Pix2Pix(AdversarialModel):
    """Paired image-to-image translation (Isola et al. 2017, Eq. 4).

    Trains on ``paired`` batches ``(x, y)``. Logs ``d_loss`` (halved cGAN loss), ``g_loss``
    (``-log D(x, G(x)) + lambda L1``) and ``l1`` (the L1 error of G's output to y).

    Args:
        generator: ``x [batch, H, W, C] -> G(x) [batch, H, W, C']`` (e.g.
            :func:`tfgan_kit.nets.unet_generator`).
        discriminator: PatchGAN on ``concat(x, y)`` (``C + C'`` channels) when
            ``conditional_discriminator``, else on y (``C'`` channels).
        l1_weight: lambda. Defaults to `100.0`.
        conditional_discriminator: D sees the input x (the paper's cGAN); ``False`` for the
            unconditional-D ablation. Defaults to `True`.
        seed: seed of the scheme's draws. Defaults to `0`.

    Raises:
        ValueError: for a negative ``l1_weight`` or a D whose input channels do not match.

    Reference: Isola et al. 2017, Eq. 1-4 and Section 3.3.
    """

    paper = ('Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial '
             'Networks", Eq. 4')
    optimizer_nets = {"g": ("generator",), "d": ("discriminator",)}
    log_names = ("d_loss", "g_loss", "l1")
    batch_kinds = ("paired",)

    def __init__(self, generator: keras.Model, discriminator: keras.Model,
                 l1_weight: float = 100.0, conditional_discriminator: bool = True,
                 seed: int = 0, **kwargs: Any):
        super().__init__({"generator": generator, "discriminator": discriminator}, seed=seed,
                         **kwargs)
        if not l1_weight >= 0:
            raise UserError(f"`l1_weight` must be >= 0. Received: l1_weight={l1_weight!r}")
        self.l1_weight = float(l1_weight)
        self.conditional_discriminator = bool(conditional_discriminator)
        expected = generator.outputs[0].shape[-1] + (
            generator.inputs[0].shape[-1] if self.conditional_discriminator else 0)
        if discriminator.inputs[0].shape[-1] != expected:
            raise UserError(
                f"The discriminator must take {expected} channels ("
                + ("input and output images concatenated" if self.conditional_discriminator
                   else "the output images") + f"). Received: "
                f"{discriminator.inputs[0].shape[-1]} channels: build it with "
                f"patchgan_discriminator(input_channels={expected})."
            )

    def judge(self, sources, images, training: bool = True) -> tf.Tensor:
        """D's patch logits on ``images`` (conditioned on ``sources`` if D is conditional)."""
        if self.conditional_discriminator:
            images = tf.concat([sources, images], axis=-1)
        return self.discriminator(images, training=training)

    def train_step(self, data):
        sources, targets = pair(data)

        def d_loss():
            fakes = tf.stop_gradient(self.generator(sources, training=True))
            return pix2pix_discriminator_loss(self.judge(sources, targets),
                                              self.judge(sources, fakes))

        def g_loss():
            fakes = self.generator(sources, training=True)
            loss = pix2pix_generator_loss(self.judge(sources, fakes), targets, fakes,
                                          self.l1_weight)
            return loss, l1_distance(targets, fakes)

        d = self.optimize("d", d_loss)
        g, l1 = self.optimize("g", g_loss)
        return self.record(d_loss=d, g_loss=g, l1=l1)

    def translate(self, sources, training: bool = False) -> tf.Tensor:
        """``G(x)`` (dropout stays on at inference when the U-Net keeps test-time dropout)."""
        return self.generator(sources, training=training)

    def call(self, sources, training: bool = False) -> tf.Tensor:
        """``model(x)`` is ``model.translate(x)``."""
        return self.translate(sources, training=training)

    def serving_endpoints(self) -> dict[str, Endpoint]:
        """``serving_default(images) -> {"images": G(images)}``."""
        return {"serving_default": image_endpoint(self.generator)}

    def picture(self, spec, num_samples: int, seed: int) -> Picture:
        """``input | output | target`` rows of the first ``num_samples`` training pairs."""
        del seed  # the preview is fixed
        sources, targets = pair(spec.preview(num_samples))
        return columns_picture(sources, self.translate(sources), targets)

    def get_config(self) -> dict:
        return {**super().get_config(), "l1_weight": self.l1_weight,
                "conditional_discriminator": self.conditional_discriminator}


@register_scheme("pix2pix")
def build_pix2pix(config, spec) -> Pix2Pix:
    """Isola et al. 2017 for paired data: ``config.model`` sets the U-Net (``g_base_filters``,
    ``skips``, ``dropout``, ``test_time_dropout``), the PatchGAN (``receptive_field``,
    ``d_base_filters``, ``d_normalization``, ``conditional_discriminator``) and ``l1_weight``."""
    m = config.model
    source, target = spec.sample_shape, spec.target_shape or spec.sample_shape
    generator = unet_generator(source, output_channels=target[-1],
                               base_filters=m.g_base_filters, skips=m.skips, dropout=m.dropout,
                               test_time_dropout=m.test_time_dropout, name="generator")
    channels = target[-1] + (source[-1] if m.conditional_discriminator else 0)
    discriminator = patchgan_discriminator(m.receptive_field, channels, m.d_base_filters,
                                           m.d_normalization, name="discriminator")
    model = Pix2Pix(generator, discriminator, l1_weight=m.l1_weight,
                    conditional_discriminator=m.conditional_discriminator, seed=config.seed)
    return compile_scheme(model, config)
