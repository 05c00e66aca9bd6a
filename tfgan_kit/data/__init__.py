"""Data pipelines: embedded digits, 2-D Gaussian mixtures, tensorflow-datasets images, paired and
unpaired image-to-image sets (procedural shapes, folders, tfds cycle_gan).

Every loader returns a batched, seeded-shuffle, prefetched ``tf.data.Dataset`` of float32 samples
(images in [-1, 1], NHWC). Each module also registers a builder returning a
:class:`DataSpec` (the dataset and what its batches hold) for ``train.py`` configs.
"""

from tfgan_kit.data.digits import digits, digits_arrays, digits_train_test
from tfgan_kit.data.pipeline import batch_examples
from tfgan_kit.data.spec import (
    BATCH_KINDS,
    DataSpec,
    batch_size,
    labels,
    pair,
    placeholder_batches,
    samples,
)
from tfgan_kit.data.semi_supervised import (
    SemiSupervisedSplit,
    digits_split,
    labelled_batch,
    semi_supervised_batches,
    split_labelled,
)
from tfgan_kit.data.synthetic import (
    gaussian_grid,
    gaussian_ring,
    grid_centers,
    mixture_samples,
    ring_centers,
)
from tfgan_kit.data.tfds_images import tfds_examples, tfds_images
from tfgan_kit.data.translation_shapes import paired_shapes, unpaired_shapes
from tfgan_kit.data.image_pairs import random_jitter

__all__ = [
    "BATCH_KINDS",
    "DataSpec",
    "batch_examples",
    "batch_size",
    "digits",
    "digits_arrays",
    "digits_train_test",
    "gaussian_grid",
    "gaussian_ring",
    "grid_centers",
    "labels",
    "mixture_samples",
    "pair",
    "placeholder_batches",
    "ring_centers",
    "samples",
    "tfds_examples",
    "tfds_images",
    "paired_shapes",
    "unpaired_shapes",
    "random_jitter",
    "SemiSupervisedSplit",
    "digits_split",
    "labelled_batch",
    "semi_supervised_batches",
    "split_labelled",
]
