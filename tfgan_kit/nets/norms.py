"""The feature normalisations of the image-to-image nets: batch, instance, or none.

Pix2Pix normalises with BatchNorm (Isola et al. 2017, Section 3.3 and Appendix 6.1.1; with batch
size 1 this is instance normalisation at training time); CycleGAN with instance normalisation
(Zhu et al. 2017, Section 4, after Ulyanov et al. 2016), which normalises each example's channel
over its height and width: ``GroupNormalization(groups=-1)`` (one group per channel) without a
learned scale and offset, as the authors' code (PyTorch ``InstanceNorm2d``, ``affine=False``).

Reference:
    Isola et al., "Image-to-Image Translation with Conditional Adversarial Networks", CVPR 2017
    (https://arxiv.org/abs/1611.07004); Zhu et al., "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", ICCV 2017 (https://arxiv.org/abs/1703.10593); Ulyanov
    et al., "Instance Normalization: The Missing Ingredient for Fast Stylization", 2016
    (https://arxiv.org/abs/1607.08022).
"""

from __future__ import annotations

import keras

from tfgan_kit.errors import UserError
from tfgan_kit.layers.batch_norm import FusedBatchNormalization

NORMALIZATIONS = ("batch", "instance", "none")


def check_normalization(normalization: str) -> None:
    """Raises ValueError unless ``normalization`` is one of :data:`NORMALIZATIONS`."""
    if normalization not in NORMALIZATIONS:
        raise UserError(
            f"`normalization` must be one of {NORMALIZATIONS}. Received: "
            f"normalization={normalization!r}"
        )


def normalization_layer(normalization: str, name: str) -> keras.layers.Layer | None:
    """A new normalisation layer of kind ``normalization``, or ``None`` for ``"none"``.

    Args:
        normalization: ``"batch"`` (synchronised BatchNorm, momentum 0.9, epsilon 1e-5: the
            global batch's statistics under a distribution strategy), ``"instance"`` (per
            example and channel over H and W, no affine parameters) or ``"none"``.
        name: layer name.

    Returns:
        A Keras layer, or ``None``.

    Raises:
        ValueError: for an unknown ``normalization``.

    Reference: Isola et al. 2017, Appendix 6.1.1 (BatchNorm); Zhu et al. 2017, Section 4
    (instance normalisation).
    """
    check_normalization(normalization)
    if normalization == "batch":
        return FusedBatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True,
                                       name=name)
    if normalization == "instance":
        return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5, center=False,
                                               scale=False, name=name)
    return None


def weights_initializer() -> keras.initializers.Initializer:
    """N(0, 0.02), the initialisation of both papers (Isola et al. 2017, Section 3.3; Zhu et
    al. 2017, Section 4 via the authors' code)."""
    return keras.initializers.RandomNormal(stddev=0.02)
