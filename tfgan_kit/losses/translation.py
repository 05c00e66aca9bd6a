"""Losses of image-to-image translation: Pix2Pix's cGAN + L1, CycleGAN's LSGAN + cycle + identity.

Pure functions on tensors of any rank (PatchGAN logit maps, images), each a mean over every
element, as the authors' code averages ``nn.L1Loss`` / ``nn.MSELoss`` / ``nn.BCEWithLogitsLoss``:

* Pix2Pix (Isola et al. 2017, Eq. 1-4): ``G* = arg min_G max_D L_cGAN(G, D) + lambda L_L1(G)``,
  ``L_L1 = E[|y - G(x, z)|_1]``, lambda = 100; D's objective is divided by 2 "to slow down the rate
  at which D learns relative to G" (Section 3.3); G maximises ``log D(x, G(x, z))``.
* CycleGAN (Zhu et al. 2017, Eq. 1-3 and Section 4): the adversarial terms in the least-squares
  form, G minimising ``E[(D(G(x)) - 1)^2]`` and D ``E[(D(y) - 1)^2] + E[D(G(x))^2]`` (halved in
  the authors' code); ``L_cyc = E[|F(G(x)) - x|_1] + E[|G(F(y)) - y|_1]``, lambda = 10; the
  identity loss ``L_identity = E[|G(y) - y|_1] + E[|F(x) - x|_1]``, weighted 0.5 lambda
  (Section 5.2, after Taigman et al. 2017).

Reference:
    Isola, Zhu, Zhou, Efros, "Image-to-Image Translation with Conditional Adversarial Networks",
    CVPR 2017, Eq. 1-4 and Section 3.3 (https://arxiv.org/abs/1611.07004); Zhu, Park, Isola,
    Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks",
    ICCV 2017, Eq. 1-3, Section 4 and Section 5.2 (https://arxiv.org/abs/1703.10593).
"""

from __future__ import annotations

import tensorflow as tf

from tfgan_kit.losses.adversarial import minimax_discriminator_loss, non_saturating_generator_loss
from tfgan_kit.losses.least_squares import least_squares_discriminator_loss


def _float(x) -> tf.Tensor:
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def l1_distance(targets, outputs) -> tf.Tensor:
    """``E[|targets - outputs|]``: the mean absolute difference over every element.

    Pix2Pix's ``L_L1(G) = E_{x,y,z}[||y - G(x, z)||_1]`` (Isola et al. 2017, Eq. 3), as the mean
    over pixels and channels.

    Args:
        targets: ``[batch, ...]``.
        outputs: same shape.

    Returns:
        Scalar float32.

    Reference: Isola et al. 2017, Eq. 3.
    """
    return tf.reduce_mean(tf.abs(_float(targets) - _float(outputs)))


def pix2pix_discriminator_loss(discriminator_real_outputs,
                               discriminator_gen_outputs) -> tf.Tensor:
    """Half the cGAN discriminator loss: ``0.5 (E[-log D(x, y)] + E[-log(1 - D(x, G(x, z)))])``.

    Args:
        discriminator_real_outputs: D's logits on (input, target) pairs, any shape (a PatchGAN
            map: the mean runs over patches too).
        discriminator_gen_outputs: D's logits on (input, G(input)) pairs.

    Returns:
        Scalar float32.

    Reference: Isola et al. 2017, Eq. 1 and Section 3.3 ("we divide the objective by 2 while
    optimizing D").
    """
    return 0.5 * minimax_discriminator_loss(discriminator_real_outputs,
                                            discriminator_gen_outputs)


def pix2pix_generator_loss(discriminator_gen_outputs, targets, outputs,
                           l1_weight: float = 100.0) -> tf.Tensor:
    """``E[-log D(x, G(x, z))] + lambda E[|y - G(x, z)|]``: the non-saturating cGAN term plus L1.

    Args:
        discriminator_gen_outputs: D's logits on (input, G(input)) pairs, any shape.
        targets: the ground-truth images y.
        outputs: G's images.
        l1_weight: lambda. Defaults to `100.0` (the paper's).

    Returns:
        Scalar float32.

    Reference: Isola et al. 2017, Eq. 4 and Section 3.3 (G maximises log D(x, G(x, z))).
    """
    return (non_saturating_generator_loss(discriminator_gen_outputs)
            + l1_weight * l1_distance(targets, outputs))


def cyclegan_discriminator_loss(discriminator_real_outputs,
                                discriminator_gen_outputs) -> tf.Tensor:
    """``0.5 (E[(D(y) - 1)^2] + E[D(G(x))^2])``: CycleGAN's halved least-squares D loss.

    Args:
        discriminator_real_outputs: D's outputs on real images of its domain, any shape.
        discriminator_gen_outputs: D's outputs on translated images (from the history pool).

    Returns:
        Scalar float32.

    Reference: Zhu et al. 2017, Section 4 ("we replace the negative log likelihood objective by
    a least-squares loss ... we divide the objective by 2 while optimizing D").
    """
    return least_squares_discriminator_loss(discriminator_real_outputs,
                                            discriminator_gen_outputs)


def cyclegan_generator_loss(discriminator_gen_outputs) -> tf.Tensor:
    """``E[(D(G(x)) - 1)^2]``: the least-squares adversarial term a translator minimises.

    Args:
        discriminator_gen_outputs: D's outputs on translated images, any shape.

    Returns:
        Scalar float32.

    Reference: Zhu et al. 2017, Section 4 (least-squares form of Eq. 1).
    """
    return tf.reduce_mean(tf.square(_float(discriminator_gen_outputs) - 1.0))


def cycle_consistency_loss(real_a, cycled_a, real_b, cycled_b) -> tf.Tensor:
    """``L_cyc = E[|F(G(x)) - x|] + E[|G(F(y)) - y|]`` (forward and backward cycles).

    Args:
        real_a: images x of domain X.
        cycled_a: ``F(G(x))``.
        real_b: images y of domain Y.
        cycled_b: ``G(F(y))``.

    Returns:
        Scalar float32.

    Reference: Zhu et al. 2017, Eq. 2.
    """
    return l1_distance(real_a, cycled_a) + l1_distance(real_b, cycled_b)


def identity_loss(real_a, identity_a, real_b, identity_b) -> tf.Tensor:
    """``L_identity = E[|F(x) - x|] + E[|G(y) - y|]``: each translator fed its own target domain.

    Args:
        real_a: images x of domain X.
        identity_a: ``F(x)`` (F maps Y -> X, so it should leave x unchanged).
        real_b: images y of domain Y.
        identity_b: ``G(y)``.

    Returns:
        Scalar float32.

    Reference: Zhu et al. 2017, Section 5.2 (photo generation from paintings), after Taigman et
    al. 2017.
    """
    return l1_distance(real_a, identity_a) + l1_distance(real_b, identity_b)
