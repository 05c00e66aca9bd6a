"""The image history pool of CycleGAN: D sees a mix of current and earlier generated images.

"To reduce model oscillation ... we update the discriminators using a history of generated images
rather than the ones produced by the latest generators. We keep an image buffer that stores the
50 previously created images" (Zhu et al. 2017, Section 4, after Shrivastava et al. 2017). As in
the authors' code, each image of a batch, in order: while the pool holds fewer than ``capacity``
images it is stored and returned; afterwards, with probability ``swap_probability`` (0.5) a
uniformly chosen stored image is returned and replaced by it, otherwise it is returned itself.

The pool is a layer whose state (images and count) are non-trainable weights: a compiled
``train_step`` updates it, checkpoints and ``.keras`` files hold it, and a resumed run continues
with the pool the uninterrupted run had. Its randomness is stateless, a function of the ``seed``
passed to each call (the scheme's seeded draw of the step), so the same seed gives the same
choices. Under a distribution strategy the scheme queries it with the global batch (gathered
from the replicas) and the same seed on every replica, so every replica makes the same update.

Reference:
    Zhu, Park, Isola, Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent
    Adversarial Networks", ICCV 2017, Section 4 (https://arxiv.org/abs/1703.10593);
    Shrivastava et al., "Learning from Simulated and Unsupervised Images through Adversarial
    Training", CVPR 2017, Section 2.3.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from tfgan_kit.errors import UserError

_RESOLUTION = 2**24  # the swap probability is applied as an integer draw below p * 2**24


@keras.saving.register_keras_serializable(package="tfgan_kit")
class HistoryPool(keras.layers.Layer):
    """A buffer of up to ``capacity`` generated images, queried once per D update.

    Args:
        capacity: images kept. Defaults to `50` (the paper's). ``0`` disables the pool (every
            query returns its input).
        swap_probability: once full, the probability that a query returns a stored image (and
            stores the new one in its place). Defaults to `0.5`.
        **kwargs: passed to ``keras.layers.Layer``.

    Raises:
        ValueError: for a negative capacity or a probability outside [0, 1].

    Reference: Zhu et al. 2017, Section 4.
    """

    def __init__(self, capacity: int = 50, swap_probability: float = 0.5, **kwargs):
        kwargs["trainable"] = False
        super().__init__(**kwargs)
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
            raise UserError(f"`capacity` should be a non-negative integer. Received: "
                            f"capacity={capacity!r}")
        if not 0.0 <= swap_probability <= 1.0:
            raise UserError(f"`swap_probability` should be in [0, 1]. Received: "
                            f"swap_probability={swap_probability!r}")
        self.capacity = capacity
        self.swap_probability = float(swap_probability)

    def build(self, input_shape):
        image_shape = tuple(input_shape[1:])
        if any(size is None for size in image_shape):
            raise UserError(f"The history pool stores images of a fixed shape. Received: "
                            f"input_shape={input_shape}")
        # Every replica computes the same update (see the module docstring): keep the first's.
        self.images = self.add_weight(name="images", shape=(self.capacity, *image_shape),
                                      initializer="zeros", trainable=False,
                                      aggregation="only_first_replica")
        self.count = self.add_weight(name="count", shape=(), dtype="int32", initializer="zeros",
                                     trainable=False, aggregation="only_first_replica")

    def call(self, images, seed):
        """Returns the images D is shown instead of ``images``, updating the pool.

        Args:
            images: ``[n, H, W, C]`` generated images (the global batch under distribution).
            seed: shape ``[2]`` integer seed of this query's stateless draws.

        Returns:
            ``[n, H, W, C]``: per image, itself or a stored one.
        """
        images = tf.stop_gradient(tf.cast(images, self.images.dtype))
        if self.capacity == 0:
            return images
        n = tf.shape(images)[0]
        seed = tf.cast(seed, tf.int64)
        # Integer draws: float stateless draws differ between XLA and the default kernels.
        swaps = tf.random.stateless_uniform([n], seed=seed, minval=0, maxval=_RESOLUTION,
                                            dtype=tf.int32, alg="philox") < round(
                                                self.swap_probability * _RESOLUTION)
        slots = tf.random.stateless_uniform([n], seed=seed + [0, 1], minval=0,
                                            maxval=self.capacity, dtype=tf.int32, alg="philox")

        def one_image(k, pool, count, outputs):
            image = images[k]
            filling = count < self.capacity
            slot = tf.where(filling, count, slots[k])
            replace = tf.logical_or(filling, swaps[k])
            returned = tf.where(tf.logical_and(tf.logical_not(filling), swaps[k]), pool[slot],
                                image)
            pool = tf.where(replace, tf.tensor_scatter_nd_update(pool, [[slot]], image[None]),
                            pool)
            return (k + 1, pool, count + tf.cast(filling, tf.int32),
                    outputs.write(k, returned))

        _, pool, count, outputs = tf.while_loop(
            lambda k, *_: k < n, one_image,
            (tf.constant(0), tf.convert_to_tensor(self.images), tf.convert_to_tensor(self.count),
             tf.TensorArray(images.dtype, size=n, element_shape=images.shape[1:])))
        self.images.assign(pool)
        self.count.assign(count)
        return outputs.stack()

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "capacity": self.capacity,
                "swap_probability": self.swap_probability}
