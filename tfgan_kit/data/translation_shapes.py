"""Procedural image-to-image data: white shape outlines -> the same shapes filled with colour.

Two RGB domains of ``image_size`` x ``image_size`` images in [-1, 1] on a black background:

* domain A: the 1.5-pixel outline of a circle, square or upward triangle, in white;
* domain B: the same shape filled with the colour of its kind (circle yellow, square magenta,
  triangle cyan), so the translation A -> B is a function a net can learn (a fill and a colour
  decided by the outline's form).

Shapes have a random kind, size (a radius from 16% to 34% of the side) and position (fully
inside). The paired set (``"paired_shapes"``, Pix2Pix's kind of data: ``(outline, filled)`` of
one shape) and the unpaired set (``"unpaired_shapes"``, CycleGAN's: outlines and filled shapes
drawn independently) are reproducible from a seed; held-out pairs come from another seed.

Reference: the paired / unpaired translation settings of Isola et al. 2017 (Section 3) and Zhu
et al. 2017 (Section 1, Figure 2).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgan_kit.data.pipeline import batch_examples
from tfgan_kit.data.spec import DataSpec
from tfgan_kit.errors import UserError
from tfgan_kit.registry import register_dataset

KINDS = ("circle", "square", "triangle")
#: Fill colour of each kind, RGB in [-1, 1]: yellow, magenta, cyan. Each channel is bright in
#: two kinds of three, so filling brighter pays off before the kind is recognised (with one
#: bright channel per kind, L1's per-channel median fill would stay dark until then).
COLOURS = np.array([[0.9, 0.9, -0.6], [0.9, -0.6, 0.9], [-0.6, 0.9, 0.9]], np.float32)
OUTLINE_WIDTH = 1.5  # pixels (scaled with the side: 1.5 at 32x32)
_GAUGE_SCALE = np.array([1.0, 1.25, 2.0])  # see _gauge
_TRIANGLE_NORMALS = np.array([[np.cos(a), np.sin(a)] for a in np.radians([-90, 30, 150])])


def _gauge(kind: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Per pixel, the shape's 'radius' through that pixel: inside a shape of radius r iff <= r."""
    circle = np.sqrt(dx**2 + dy**2)
    square = np.maximum(np.abs(dx), np.abs(dy)) * 1.25  # a square about as large as the circle
    points = np.stack([dx, dy], axis=-1)
    triangle = 2.0 * np.max(points @ _TRIANGLE_NORMALS.T, axis=-1)  # inradius r / 2
    kind = kind[:, None, None]
    return np.where(kind == 0, circle, np.where(kind == 1, square, triangle))


def draw_shapes(kinds: np.ndarray, centres: np.ndarray, radii: np.ndarray,
                image_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Outline (domain A) and filled (domain B) images of the given shapes.

    Args:
        kinds: ``[n]`` ints: 0 circle, 1 square, 2 triangle.
        centres: ``[n, 2]`` (x, y) pixel coordinates.
        radii: ``[n]`` radii in pixels.
        image_size: side of the images.

    Returns:
        ``(outlines, filled)``, each float32 ``[n, image_size, image_size, 3]`` in [-1, 1].
    """
    grid = np.arange(image_size, dtype=np.float64) + 0.5
    dx = grid[None, None, :] - centres[:, 0, None, None]
    dy = -(grid[None, :, None] - centres[:, 1, None, None])  # y up
    dx, dy = np.broadcast_arrays(dx, dy)
    gauge = _gauge(np.asarray(kinds), dx, dy)
    radii = radii[:, None, None]
    inside = gauge <= radii
    # the gauge of kind k grows _GAUGE_SCALE[k] per pixel: an outline of constant pixel width
    width = OUTLINE_WIDTH * image_size / 32 * _GAUGE_SCALE[np.asarray(kinds)][:, None, None]
    outline = inside & (gauge > radii - width)
    outlines = np.where(outline[..., None], 1.0, -1.0).astype(np.float32)
    outlines = np.broadcast_to(outlines, (*outline.shape, 3)).copy()
    filled = np.where(inside[..., None], COLOURS[np.asarray(kinds)][:, None, None, :], -1.0)
    return outlines, filled.astype(np.float32)


def random_shapes(count: int, image_size: int, rng: np.random.Generator):
    """``count`` random (kind, centre, radius) shapes lying inside the image."""
    kinds = rng.integers(0, len(KINDS), count)
    radii = rng.uniform(0.16, 0.34, count) * image_size
    margin = radii + 1.0
    centres = margin[:, None] + rng.uniform(0, 1, (count, 2)) * (image_size - 2 * margin[:, None])
    return kinds, centres, radii


def _check(count: int, image_size: int) -> None:
    if not isinstance(count, int) or count < 1:
        raise UserError(f"`count` must be a positive integer. Received: count={count!r}")
    if not isinstance(image_size, int) or image_size < 16:
        raise UserError(f"`image_size` must be an integer >= 16 (e.g. 32 or 64). Received: "
                        f"image_size={image_size!r}")


def paired_shapes(count: int, image_size: int = 32, seed: int = 0):
    """``(outlines, filled)`` of ``count`` shapes, each ``[count, s, s, 3]`` in [-1, 1].

    Raises:
        ValueError: for a non-positive ``count`` or an ``image_size`` below 16.
    """
    _check(count, image_size)
    rng = np.random.default_rng([seed, 1])
    return draw_shapes(*random_shapes(count, image_size, rng), image_size)


def unpaired_shapes(count: int, image_size: int = 32, seed: int = 0):
    """``(outlines, filled)`` of two independent draws of ``count`` shapes (no pairing).

    Raises:
        ValueError: for a non-positive ``count`` or an ``image_size`` below 16.
    """
    _check(count, image_size)
    outlines, _ = draw_shapes(*random_shapes(count, image_size, np.random.default_rng([seed, 2])),
                              image_size)
    _, filled = draw_shapes(*random_shapes(count, image_size, np.random.default_rng([seed, 3])),
                            image_size)
    return outlines, filled


def _spec(arrays, kind: str, config, batch_size: int, stream) -> DataSpec:
    examples = tf.data.Dataset.from_tensor_slices(arrays)
    size = config.data.image_size
    return DataSpec(batch_examples(examples, batch_size, seed=config.seed, **stream), kind,
                    (size, size, 3), target_shape=(size, size, 3),
                    num_examples=len(arrays[0]), examples=examples)


@register_dataset("paired_shapes")
def paired_shapes_spec(config, batch_size: int, **stream) -> DataSpec:
    """``data.num_examples`` (outline, filled) pairs at ``data.image_size``, seeded by ``seed``."""
    arrays = paired_shapes(config.data.num_examples, config.data.image_size, config.seed)
    return _spec(arrays, "paired", config, batch_size, stream)


@register_dataset("unpaired_shapes")
def unpaired_shapes_spec(config, batch_size: int, **stream) -> DataSpec:
    """``data.num_examples`` outlines and as many independent filled shapes."""
    arrays = unpaired_shapes(config.data.num_examples, config.data.image_size, config.seed)
    return _spec(arrays, "unpaired", config, batch_size, stream)
