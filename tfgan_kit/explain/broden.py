"""Loader for Broden-style probing folders (Network Dissection's dataset format).

Bau et al. (CVPR 2017), Sec. 2.1, merge several labelled datasets into Broden. A folder holds:

* ``index.csv``: one row per image with columns ``image`` (path under ``images/``),
  optionally ``split``, ``ih``, ``iw``, ``sh``, ``sw`` (image and segmentation height/width),
  and one column per concept category (``color``, ``object``, ``part``, ``material``, ``scene``,
  ``texture``, ...). A category cell is a ``;``-separated list whose items are either an integer
  label number (an image-level label covering the whole image) or the path of a PNG under
  ``images/`` whose pixel labels are ``R + 256 * G``; label 0 means unlabelled.
* ``label.csv``: columns ``number`` and ``name`` (more columns are ignored).
* ``images/``: the image files and label PNGs.
"""

from __future__ import annotations

import csv
import dataclasses
import os
from typing import Sequence

import numpy as np
from PIL import Image

from tfgan_kit.errors import UserError
from tfgan_kit.explain import bitmasks
from tfgan_kit.explain.concepts import ConceptSet

META_COLUMNS = ("image", "split", "ih", "iw", "sh", "sw")
REQUIRED_ENTRIES = ("index.csv", "label.csv", "images/")


@dataclasses.dataclass
class ProbeData:
    """Images and their concept masks.

    Attributes:
        images: float32 ``[N, H, W, 3]`` in [-1, 1].
        concepts: the concept masks at the segmentation resolution.
        filenames: image paths relative to ``images/``.
    """

    images: np.ndarray
    concepts: ConceptSet
    filenames: list[str]


def _read_csv(path: str) -> list[dict[str, str]]:
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"Missing {path}: a Broden-style folder needs index.csv, label.csv and images/."
        )
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _concept_names(label_rows: list[dict[str, str]]) -> dict[int, str]:
    names, used = {}, set()
    for row in label_rows:
        if "number" not in row or "name" not in row:
            raise UserError("label.csv needs the columns 'number' and 'name'.")
        number = int(row["number"])
        name = "_".join(row["name"].split()).replace("(", "[").replace(")", "]") or f"label{number}"
        if name in used:
            name = f"{name}_{number}"
        used.add(name)
        names[number] = name
    return names


def _open_rgb(path: str) -> Image.Image:
    """The file listed in index.csv as an RGB image; a ValueError naming it if it is unreadable."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Image listed in index.csv not found: {path}")
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, SyntaxError) as error:  # PIL raises SyntaxError for some broken PNGs
        raise UserError(f"Cannot read {path} ({error}): replace the file or drop its row from "
                        "index.csv.") from None


def decode_label_png(path: str) -> np.ndarray:
    """Pixel label numbers ``R + 256 * G`` of a Broden segmentation PNG, as int32 ``[H, W]``."""
    rgb = np.asarray(_open_rgb(path), dtype=np.int32)
    return rgb[..., 0] + 256 * rgb[..., 1]


def _load_image(path: str, image_size: tuple[int, int] | None) -> np.ndarray:
    image = _open_rgb(path)
    if image_size is not None:
        image = image.resize((image_size[1], image_size[0]), Image.BILINEAR)
    return np.asarray(image, dtype=np.float32) / 127.5 - 1.0


def load_broden(
    directory: str,
    image_size: tuple[int, int] | None = None,
    categories: Sequence[str] | None = None,
    max_images: int | None = None,
) -> ProbeData:
    """Loads a Broden-style folder into images and a :class:`ConceptSet`.

    Every label number that occurs at least once becomes a concept named from ``label.csv`` (spaces
    become ``_``). Image-level labels are broadcast to full-image masks. All masks must share one
    resolution (``sh`` x ``sw``).

    Args:
        directory: the folder with ``index.csv``, ``label.csv`` and ``images/``.
        image_size: ``(H, W)`` to resize images to (e.g. the model's input size). Defaults to `None`
            (keep the files' size, which must then be equal).
        categories: category columns to use. Defaults to `None` (all non-meta columns).
        max_images: read only the first rows. Defaults to `None` (all).

    Returns:
        A :class:`ProbeData`.

    Raises:
        FileNotFoundError: for a missing csv or image file.
        ValueError: for inconsistent sizes, unknown labels or categories.
    """
    rows = _read_csv(os.path.join(directory, "index.csv"))[:max_images]
    if not rows:
        raise UserError(f"{directory}/index.csv lists no images.")
    names = _concept_names(_read_csv(os.path.join(directory, "label.csv")))
    columns = [c for c in rows[0] if c not in META_COLUMNS]
    if categories is not None:
        missing = sorted(set(categories) - set(columns))
        if missing:
            raise UserError(f"Unknown categories {missing}; index.csv has {columns}.")
        columns = list(categories)
    images_dir = os.path.join(directory, "images")

    images, masks, category_of = [], {}, {}
    mask_size = None
    for n, row in enumerate(rows):
        images.append(_load_image(os.path.join(images_dir, row["image"]), image_size))
        if mask_size is None:
            mask_size = (
                (int(row["sh"]), int(row["sw"])) if row.get("sh") else images[-1].shape[:2]
            )
        for column in columns:
            for item in filter(None, (s.strip() for s in (row.get(column) or "").split(";"))):
                if item.lstrip("-").isdigit():
                    labels = {int(item): None}
                else:
                    pixels = decode_label_png(os.path.join(images_dir, item))
                    if pixels.shape != tuple(mask_size):
                        raise UserError(
                            f"{item} is {pixels.shape[0]}x{pixels.shape[1]} but masks are "
                            f"{mask_size[0]}x{mask_size[1]}; all label PNGs need one size "
                            "(sh x sw)."
                        )
                    labels = {int(v): pixels == v for v in np.unique(pixels) if v != 0}
                for number, pixel_mask in labels.items():
                    if number == 0:
                        continue
                    if number not in names:
                        raise UserError(
                            f"Label number {number} in {row['image']} is not in label.csv."
                        )
                    name = names[number]
                    if name not in masks:
                        masks[name] = np.zeros((len(rows),) + tuple(mask_size), bool)
                        category_of[name] = column
                    masks[name][n] |= True if pixel_mask is None else pixel_mask
    if not masks:
        raise UserError(f"No concept labels found in {directory}/index.csv columns {columns}.")
    shapes = {im.shape for im in images}
    if len(shapes) > 1:
        raise UserError(f"Images have different sizes {sorted(shapes)}: pass `image_size=(H, W)`.")
    shape = (len(rows),) + tuple(mask_size)
    packed = np.stack([bitmasks.pack(m) for m in masks.values()])
    concepts = ConceptSet(list(masks), packed, shape, category_of)
    return ProbeData(np.stack(images).astype(np.float32), concepts, [r["image"] for r in rows])
