"""Progressive GAN normalisation layers: minibatch standard deviation and pixelwise feature norm.

Reference: Karras et al. 2018, "Progressive Growing of GANs for Improved Quality, Stability, and
Variation", sections 3 and 4.2. https://arxiv.org/abs/1710.10196
"""

import keras
import tensorflow as tf
from keras import ops

from tfgan_kit.errors import UserError


@keras.saving.register_keras_serializable(package="tfgan_kit")
class MinibatchStdDev(keras.layers.Layer):
    """Appends the average minibatch standard deviation as one extra feature map.

    The batch of N samples is split into M = N / G groups of G = min(group_size, N) samples;
    sample n belongs to group n mod M (the official code's ``reshape(x, [G, M, ...])``). For each
    group the standard deviation ``sqrt(Var + epsilon)`` of every feature at every pixel is taken
    over the group, averaged over features and pixels into one scalar, and that scalar is tiled
    into an H x W map appended to each member's channels (NHWC: output has C + 1 channels).

    Args:
        group_size: Samples per group; the batch must be divisible by `min(group_size, batch)`.
            Defaults to `4`.
        epsilon: Added to the variance before the square root. Defaults to `1e-8`.

    >>> MinibatchStdDev(group_size=2)(keras.ops.ones((4, 4, 4, 8))).shape
    (4, 4, 4, 9)

    Raises:
        ValueError: if the (static) batch is larger than and not divisible by `group_size`.

    Reference:
        Karras et al. 2018, section 3 ("Increasing variation using minibatch standard deviation").
    """

    def __init__(self, group_size: int = 4, epsilon: float = 1e-8, **kwargs):
        super().__init__(**kwargs)
        if group_size < 1:
            raise UserError(
                f"`group_size` should be at least 1. Received: group_size={group_size}"
            )
        if epsilon < 0:
            raise UserError(f"`epsilon` should be non-negative. Received: epsilon={epsilon}")
        self.group_size = int(group_size)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise UserError(
                f"MinibatchStdDev expects NHWC input of rank 4. Received: input_shape={input_shape}"
            )
        self._check_batch(input_shape[0])

    def _check_batch(self, batch):
        if batch is not None and batch > self.group_size and batch % self.group_size != 0:
            raise UserError(
                f"MinibatchStdDev needs the batch size to be divisible by group_size="
                f"{self.group_size} (or at most it). Received: batch={batch}; use a batch size "
                f"that is a multiple of {self.group_size}."
            )

    def call(self, inputs):
        static_batch = inputs.shape[0]
        self._check_batch(static_batch)
        shape = ops.shape(inputs)
        batch, height, width = shape[0], shape[1], shape[2]
        if static_batch is None:
            group = ops.minimum(self.group_size, batch)
            tf.debugging.assert_equal(
                batch % group,
                0,
                message=f"MinibatchStdDev: batch size must be divisible by {self.group_size}",
            )
        else:
            group = min(self.group_size, static_batch)
        x = ops.cast(inputs, "float32")
        y = ops.reshape(x, (group, -1, height, width, inputs.shape[-1]))  # [G, M, H, W, C]
        y = y - ops.mean(y, axis=0, keepdims=True)
        y = ops.sqrt(ops.mean(ops.square(y), axis=0) + self.epsilon)  # [M, H, W, C]
        y = ops.mean(y, axis=(1, 2, 3))  # [M]
        y = ops.tile(y, (group,))  # [N]: sample n gets group n mod M
        y = ops.cast(ops.reshape(y, (-1, 1, 1, 1)), inputs.dtype)
        y = ops.tile(y, (1, height, width, 1))
        return ops.concatenate([inputs, y], axis=-1)

    def compute_output_shape(self, input_shape):
        channels = None if input_shape[-1] is None else input_shape[-1] + 1
        return tuple(input_shape[:-1]) + (channels,)

    def get_config(self):
        base_config = super().get_config()
        config = {"group_size": self.group_size, "epsilon": self.epsilon}
        return {**base_config, **config}


@keras.saving.register_keras_serializable(package="tfgan_kit")
class PixelNorm(keras.layers.Layer):
    """Pixelwise feature vector normalisation: ``x / sqrt(mean_c(x^2) + epsilon)``.

    The mean is over the channel (last) axis, separately at every pixel (or for every row of a
    rank-2 input, as when normalising latents).

    Args:
        epsilon: Added to the mean square. Defaults to `1e-8`.

    >>> PixelNorm()(keras.ops.full((1, 2, 2, 4), 3.0))[0, 0, 0, 0]  # -> 1.0

    Reference:
        Karras et al. 2018, section 4.2, equation for b_{x,y}.
    """

    def __init__(self, epsilon: float = 1e-8, **kwargs):
        super().__init__(**kwargs)
        if epsilon < 0:
            raise UserError(f"`epsilon` should be non-negative. Received: epsilon={epsilon}")
        self.epsilon = float(epsilon)

    def call(self, inputs):
        return inputs * ops.rsqrt(
            ops.mean(ops.square(inputs), axis=-1, keepdims=True) + self.epsilon
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "epsilon": self.epsilon}
