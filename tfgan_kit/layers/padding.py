"""Reflection padding: borders filled with the mirror image of the map, not with zeros.

CycleGAN's ResNet translator pads before every 7x7 and 3x3 stride-1 convolution by reflection,
which avoids the dark frame zero padding leaves on generated images.

Reference:
    Zhu, Park, Isola, Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent
    Adversarial Networks", ICCV 2017, Section 4 and Appendix 7.2 ("Reflection padding was used
    to reduce artifacts") (https://arxiv.org/abs/1703.10593).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError


@keras.saving.register_keras_serializable(package="tfgan_kit")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads the height and width of an NHWC map by reflection (``tf.pad(mode="REFLECT")``).

    Args:
        padding: rows/columns added on each side. Must be smaller than the map's height and
            width (reflection cannot repeat the border). Defaults to `1`.
        **kwargs: passed to ``keras.layers.Layer``.

    Raises:
        ValueError: for a negative or non-integer ``padding``, or (in ``build``) a map not larger
            than ``padding``.

    >>> ReflectionPadding2D(3)(tf.zeros([1, 8, 8, 2])).shape
    TensorShape([1, 14, 14, 2])

    Reference: Zhu et al. 2017, Appendix 7.2.
    """

    def __init__(self, padding: int = 1, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(padding, int) or isinstance(padding, bool) or padding < 0:
            raise UserError(
                f"`padding` should be a non-negative integer. Received: padding={padding!r}"
            )
        self.padding = padding

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise UserError(
                f"ReflectionPadding2D takes NHWC maps. Received: input_shape={input_shape}"
            )
        for size in input_shape[1:3]:
            if size is not None and size <= self.padding:
                raise UserError(
                    f"Reflection padding of {self.padding} needs maps larger than {self.padding}"
                    f" pixels. Received: input_shape={input_shape}"
                )

    def call(self, inputs):
        p = self.padding
        return tf.pad(inputs, [[0, 0], [p, p], [p, p], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, input_shape):
        grow = lambda size: None if size is None else size + 2 * self.padding  # noqa: E731
        return (input_shape[0], grow(input_shape[1]), grow(input_shape[2]), input_shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}
