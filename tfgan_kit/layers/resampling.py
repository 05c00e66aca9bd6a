"""Resolution changes used by progressive growing: nearest upsampling and box-filter downsampling.

Reference: Karras et al. 2018, section 3 and figure 2 ("2x" = nearest neighbour doubling,
"0.5x" = average pooling). https://arxiv.org/abs/1710.10196
"""

import keras
from keras import ops

from tfgan_kit.errors import UserError


def _check_factor(factor: int) -> int:
    if int(factor) != factor or factor < 1:
        raise UserError(f"`factor` should be a positive integer. Received: factor={factor}")
    return int(factor)


@keras.saving.register_keras_serializable(package="tfgan_kit")
class Upsample2D(keras.layers.Layer):
    """Nearest-neighbour upsampling of NHWC images by an integer factor.

    Args:
        factor: Scale factor along height and width. Defaults to `2`.

    >>> Upsample2D()(keras.ops.ones((1, 4, 4, 3))).shape
    (1, 8, 8, 3)

    Reference:
        Karras et al. 2018, figure 2 ("2x": nearest neighbour filtering).
    """

    def __init__(self, factor: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.factor = _check_factor(factor)

    def call(self, inputs):
        if self.factor == 1:
            return inputs
        outputs = ops.repeat(inputs, self.factor, axis=1)
        return ops.repeat(outputs, self.factor, axis=2)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        scale = lambda size: None if size is None else size * self.factor  # noqa: E731
        return (batch, scale(height), scale(width), channels)

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "factor": self.factor}


@keras.saving.register_keras_serializable(package="tfgan_kit")
class Downsample2D(keras.layers.Layer):
    """Box-filter (average pooling) downsampling of NHWC images by an integer factor.

    Args:
        factor: Pooling size and stride along height and width. Defaults to `2`.

    >>> Downsample2D()(keras.ops.ones((1, 8, 8, 3))).shape
    (1, 4, 4, 3)

    Raises:
        ValueError: if the spatial size is not divisible by `factor`.

    Reference:
        Karras et al. 2018, figure 2 ("0.5x": average pooling).
    """

    def __init__(self, factor: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.factor = _check_factor(factor)

    def build(self, input_shape):
        for size in input_shape[1:3]:
            if size is not None and size % self.factor != 0:
                raise UserError(
                    f"Downsample2D needs height and width divisible by factor={self.factor}. "
                    f"Received: input_shape={input_shape}"
                )

    def call(self, inputs):
        if self.factor == 1:
            return inputs
        return ops.average_pool(
            inputs, pool_size=self.factor, strides=self.factor, padding="valid"
        )

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        scale = lambda size: None if size is None else size // self.factor  # noqa: E731
        return (batch, scale(height), scale(width), channels)

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "factor": self.factor}
