"""Procedural shapes with pixel-level concept masks: a small, embedded probing dataset.

A stand-in for Broden (Bau et al. 2017) that needs no download: each image shows one to
``max_shapes`` coloured shapes on a noisy dark background, and every pixel is labelled with
concepts of three kinds:

* shape kind: ``circle``, ``square``, ``triangle``;
* colour: ``red``, ``green``, ``blue``, ``yellow``;
* position: ``top``, ``bottom``, ``left``, ``right`` (image halves) and ``background``.

Images are float32 in [-1, 1], NHWC; labels are the multi-hot (kind, colour) pairs present, a task
whose units tend to need conjunctions ("circle AND red") to be explained.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from tfgan_kit.errors import UserError

SHAPE_KINDS = ("circle", "square", "triangle")
COLOURS = {
    "red": (0.9, 0.15, 0.15),
    "green": (0.15, 0.8, 0.2),
    "blue": (0.2, 0.3, 0.95),
    "yellow": (0.95, 0.9, 0.15),
}
POSITIONS = ("top", "bottom", "left", "right")


@dataclasses.dataclass
class ShapesData:
    """Images, concept masks and class labels of the shapes dataset.

    Attributes:
        images: float32 ``[N, S, S, 3]`` in [-1, 1].
        concept_masks: concept name -> boolean ``[N, S, S]``.
        labels: float32 ``[N, len(SHAPE_KINDS) * len(COLOURS)]`` multi-hot (kind, colour) pairs.
        categories: concept name -> ``"shape"``, ``"colour"`` or ``"position"``.
    """

    images: np.ndarray
    concept_masks: dict[str, np.ndarray]
    labels: np.ndarray
    categories: dict[str, str]


def _shape_mask(kind: str, cy: float, cx: float, radius: float, size: int) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size] + 0.5
    if kind == "circle":
        return (y - cy) ** 2 + (x - cx) ** 2 <= radius**2
    if kind == "square":
        return (np.abs(y - cy) <= radius * 0.85) & (np.abs(x - cx) <= radius * 0.85)
    top = cy - radius
    return (y >= top) & (y <= cy + radius) & (np.abs(x - cx) <= (y - top) * 0.6)


def shapes_dataset(
    num_images: int, image_size: int = 32, max_shapes: int = 2, seed: int = 0
) -> ShapesData:
    """Generates the procedural shapes dataset.

    Args:
        num_images: number of images N.
        image_size: side S in pixels, at least 16. Defaults to `32`.
        max_shapes: at most this many shapes per image (at least one). Defaults to `2`.
        seed: random seed; the same seed gives the same data. Defaults to `0`.

    Returns:
        A :class:`ShapesData`.

    Raises:
        ValueError: if an argument is out of range.
    """
    if num_images < 1:
        raise UserError(f"`num_images` must be at least 1. Received: num_images={num_images}")
    if image_size < 16:
        raise UserError(f"`image_size` must be at least 16. Received: image_size={image_size}")
    if max_shapes < 1:
        raise UserError(f"`max_shapes` must be at least 1. Received: max_shapes={max_shapes}")
    rng = np.random.default_rng(seed)
    size = image_size
    colour_names = list(COLOURS)
    images = 0.12 + 0.05 * rng.standard_normal((num_images, size, size, 3))
    owner = np.full((num_images, size, size), -1, dtype=np.int64)  # index into pair list
    labels = np.zeros((num_images, len(SHAPE_KINDS) * len(colour_names)), np.float32)
    for n in range(num_images):
        for _ in range(rng.integers(1, max_shapes + 1)):
            kind = int(rng.integers(len(SHAPE_KINDS)))
            colour = int(rng.integers(len(colour_names)))
            radius = rng.uniform(0.14, 0.24) * size
            cy, cx = rng.uniform(radius, size - radius, size=2)
            mask = _shape_mask(SHAPE_KINDS[kind], cy, cx, radius, size)
            shade = np.asarray(COLOURS[colour_names[colour]]) * rng.uniform(0.85, 1.0)
            images[n][mask] = shade + 0.04 * rng.standard_normal((mask.sum(), 3))
            owner[n][mask] = kind * len(colour_names) + colour
        present = np.unique(owner[n][owner[n] >= 0])
        labels[n, present] = 1.0
    images = np.clip(images, 0.0, 1.0) * 2.0 - 1.0

    masks, categories = {}, {}
    kind_of, colour_of = owner // len(colour_names), owner % len(colour_names)
    for k, kind in enumerate(SHAPE_KINDS):
        masks[kind], categories[kind] = (owner >= 0) & (kind_of == k), "shape"
    for c, colour in enumerate(colour_names):
        masks[colour], categories[colour] = (owner >= 0) & (colour_of == c), "colour"
    half = size // 2
    regions = np.zeros((4, size, size), bool)
    regions[0, :half], regions[1, half:], regions[2, :, :half], regions[3, :, half:] = (True,) * 4
    for region, name in zip(regions, POSITIONS):
        masks[name] = np.broadcast_to(region, owner.shape).copy()
        categories[name] = "position"
    masks["background"], categories["background"] = owner < 0, "position"
    return ShapesData(images.astype(np.float32), masks, labels, categories)


def label_names() -> list[str]:
    """Names of the label columns, ``"<colour>_<kind>"``, in :class:`ShapesData` order."""
    return [f"{colour}_{kind}" for kind in SHAPE_KINDS for colour in COLOURS]
