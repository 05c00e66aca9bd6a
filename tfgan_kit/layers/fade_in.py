"""Fade-in of a newly added resolution block (Karras et al. 2018, section 3, figure 2)."""

import keras
from keras import ops

from tfgan_kit.errors import UserError


@keras.saving.register_keras_serializable(package="tfgan_kit")
class FadeIn(keras.layers.Layer):
    """Weighted sum ``(1 - alpha) * old + alpha * new`` with `alpha` in a non-trainable variable.

    Called on ``[old, new]`` (same shapes). `alpha` rises linearly from 0 to 1 while a new block
    fades in; it is a variable so that a compiled train step reads its current value and a
    checkpoint saves it. It is aggregated with ``only_first_replica`` so a train step may assign
    it inside a distribution strategy's replica context.

    Args:
        alpha: Initial blend weight of the new path, in [0, 1]. Defaults to `0.0`.

    >>> FadeIn(alpha=0.25)([keras.ops.zeros((1, 2)), keras.ops.ones((1, 2))])  # -> 0.25

    Reference:
        Karras et al. 2018, figure 2 (b): the new layers are treated as a residual block whose
        weight alpha increases linearly from 0 to 1.
    """

    def __init__(self, alpha: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= alpha <= 1.0:
            raise UserError(f"`alpha` should be in [0, 1]. Received: alpha={alpha}")
        self.initial_alpha = float(alpha)
        self.alpha = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(self.initial_alpha),
            trainable=False,
            aggregation="only_first_replica",
            name="alpha",
        )

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise UserError(
                f"FadeIn must be called on a list [old, new]. Received: input_shape={input_shape}"
            )
        old_shape, new_shape = input_shape
        if tuple(old_shape[1:]) != tuple(new_shape[1:]):
            raise UserError(
                f"FadeIn needs `old` and `new` of the same shape. Received: {old_shape} and "
                f"{new_shape}; upsample or downsample the old path first."
            )

    def call(self, inputs):
        old, new = inputs
        alpha = ops.cast(self.alpha, old.dtype)
        return old + (new - old) * alpha

    def compute_output_shape(self, input_shape):
        return input_shape[1]

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "alpha": self.initial_alpha}
