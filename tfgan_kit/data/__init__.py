"""Data pipelines: embedded digits, 2-D Gaussian mixtures, tensorflow-datasets images.

Every loader returns a batched, seeded-shuffle, prefetched ``tf.data.Dataset`` of float32 samples
(images in [-1, 1], NHWC).
"""

from tfgan_kit.data.digits import digits, digits_arrays
from tfgan_kit.data.pipeline import batch_examples
from tfgan_kit.data.synthetic import (
    gaussian_grid,
    gaussian_ring,
    grid_centers,
    mixture_samples,
    ring_centers,
)
from tfgan_kit.data.tfds_images import tfds_images

__all__ = [
    "batch_examples",
    "digits",
    "digits_arrays",
    "gaussian_grid",
    "gaussian_ring",
    "grid_centers",
    "mixture_samples",
    "ring_centers",
    "tfds_images",
]
