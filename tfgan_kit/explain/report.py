"""Report of a dissection: CSV + JSON rows per unit, a PNG per unit, and a summary line.

Follows Network Dissection's report (Bau et al. 2017): each unit's top-activating images with the
unit's thresholded mask overlaid, and the count of "interpretable" units whose IoU exceeds 0.04
(NetDissect's threshold, ``SCORE_THRESHOLD`` in the official code). Each unit PNG is a titled
figure: the layer and unit, its compositional formula and IoU (Mu & Andreas, NeurIPS 2020) and
its best single concept with that IoU; the title is also stored in the PNG's ``Title`` text chunk.
"""

from __future__ import annotations

import csv
import json
import os

import numpy as np
from PIL import Image

from tfgan_kit.errors import UserError
from tfgan_kit.explain.activations import unit_masks
from tfgan_kit.explain.concepts import ConceptSet
from tfgan_kit.explain.dissect import Dissection

INTERPRETABLE_IOU = 0.04
FIELDS = ("unit", "formula", "iou", "length", "best_single", "best_single_iou", "category")
_MIN_TILE = 64


def unit_records(dissection: Dissection, concepts: ConceptSet | None = None) -> list[dict]:
    """One record per unit: unit, formula, IoU, length, best single concept and its IoU."""
    records = []
    for unit, e in sorted(dissection.explanations.items()):
        single = "NONE" if e.best_single is None else str(e.best_single)
        category = concepts.categories.get(single, "") if concepts is not None else ""
        records.append(
            {
                "unit": int(unit),
                "formula": "NONE" if e.formula is None else str(e.formula),
                "iou": round(float(e.iou), 6),
                "length": int(e.length),
                "best_single": single,
                "best_single_iou": round(float(e.best_single_iou), 6),
                "category": category,
            }
        )
    return records


def summary_line(dissection: Dissection, threshold: float = INTERPRETABLE_IOU) -> str:
    """``"<k> of <n> units of <layer> have IoU > 0.04 ..."``."""
    ious = [e.iou for e in dissection.explanations.values()]
    singles = [e.best_single_iou for e in dissection.explanations.values()]
    return (
        f"{sum(i > threshold for i in ious)} of {len(ious)} units of layer {dissection.layer!r} "
        "have "
        f"formula IoU > {threshold} ({sum(i > threshold for i in singles)} with a single concept); "
        f"mean formula IoU {np.mean(ious):.4f}, mean single-concept IoU {np.mean(singles):.4f}"
    )


def _to_uint8(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image, np.float32)
    if image.shape[-1] == 1:
        image = np.repeat(image, 3, axis=-1)
    return np.clip((image + 1.0) * 127.5, 0, 255).astype(np.uint8)


def overlay_tile(image: np.ndarray, mask: np.ndarray) -> Image.Image:
    """An image in [-1, 1] with the unit mask overlaid: outside dimmed, mask edge in red."""
    tile = Image.fromarray(_to_uint8(image))
    scale = max(1, int(np.ceil(_MIN_TILE / max(tile.size))))
    size = (tile.size[0] * scale, tile.size[1] * scale)
    tile = np.asarray(tile.resize(size, Image.NEAREST), np.float32)
    mask_image = Image.fromarray(mask.astype(np.uint8) * 255).resize(size, Image.NEAREST)
    big_mask = np.asarray(mask_image) > 0
    out = np.where(big_mask[..., None], tile, tile * 0.35)
    interior = big_mask.copy()
    for shift, axis in ((1, 0), (-1, 0), (1, 1), (-1, 1)):
        interior &= np.roll(big_mask, shift, axis)
    edge = big_mask & ~interior
    out[edge] = (255.0, 40.0, 40.0)
    return Image.fromarray(out.astype(np.uint8))


def unit_strip(
    images: np.ndarray, masks: np.ndarray, order: np.ndarray, gap: int = 2
) -> Image.Image:
    """Tiles of ``images[order]`` with ``masks[order]`` overlaid, side by side."""
    tiles = [overlay_tile(images[i], masks[i]) for i in order]
    width = sum(t.size[0] for t in tiles) + gap * (len(tiles) - 1)
    strip = Image.new("RGB", (width, max(t.size[1] for t in tiles)), (255, 255, 255))
    x = 0
    for tile in tiles:
        strip.paste(tile, (x, 0))
        x += tile.size[0] + gap
    return strip


def unit_title(layer: str, unit: int, explanation) -> str:
    """``"layer conv · unit 3 · formula (circle AND red) · IoU 0.123 · best single circle (IoU
    0.100)"``.

    ``explanation`` is the unit's :class:`tfgan_kit.explain.search.Explanation`; a unit no concept
    overlaps reads ``NONE``.
    """
    from tfgan_kit.figures import join_title  # lazy: figures only when writing them

    formula = "NONE" if explanation.formula is None else str(explanation.formula)
    single = "NONE" if explanation.best_single is None else str(explanation.best_single)
    return join_title(f"layer {layer}" if layer else None, f"unit {unit}", f"formula {formula}",
                      f"IoU {explanation.iou:.3f}",
                      f"best single {single} (IoU {explanation.best_single_iou:.3f})")


def unit_figure(strip: Image.Image, title: str, min_width: int = 512):
    """The figure of one unit: ``strip`` (:func:`unit_strip`) under ``title``, >= ``min_width`` px.

    The strip is enlarged by an integer factor with nearest-neighbour repetition so the tiles stay
    crisp, shown without axes, with a caption saying what the tiles are.

    Returns:
        A :class:`matplotlib.figure.Figure` (write it with
        :func:`tfgan_kit.figures.save_figure`).
    """
    from tfgan_kit.figures import new_figure, set_title, title_lines

    pixels = np.asarray(strip.convert("RGB"))
    scale = max(1, int(np.ceil(min_width / pixels.shape[1])))
    pixels = np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)
    height, width = pixels.shape[:2]
    band = title_lines(title, width) * 20 + 12
    caption = 24
    figure = new_figure(width, height + band + caption)
    total = height + band + caption
    axes = figure.add_axes((0.0, caption / total, 1.0, height / total))
    axes.imshow(pixels, interpolation="nearest")
    axes.set_axis_off()
    figure.text(0.5, 4.0 / total, "top images by peak activation; outside the unit's mask "
                "dimmed, its edge in red", ha="center", va="bottom", fontsize=8, color="0.3")
    set_title(figure, title, width, y=1.0 - 4.0 / total, va="top")
    return figure


def write_report(
    dissection: Dissection,
    out_dir: str,
    images: np.ndarray | None = None,
    concepts: ConceptSet | None = None,
    top_k: int = 5,
) -> str:
    """Writes ``explanations.csv``, ``explanations.json``, ``summary.txt`` and ``units/unit_*.png``.

    Args:
        dissection: the result of :func:`dissect` / :func:`explain_activations`.
        out_dir: output folder (created).
        images: the probe images ``[N, H, W, C]`` in [-1, 1]; without them no PNGs are written.
        concepts: the concepts, for each best single concept's category.
        top_k: images per unit PNG, by maximum activation. Defaults to `5`.

    Each ``units/unit_XXXX.png`` is :func:`unit_figure` titled by :func:`unit_title`.

    Returns:
        The summary line (also printed into ``summary.txt``).
    """
    os.makedirs(out_dir, exist_ok=True)
    records = unit_records(dissection, concepts)
    with open(os.path.join(out_dir, "explanations.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(records)
    with open(os.path.join(out_dir, "explanations.json"), "w") as f:
        json.dump({"layer": dissection.layer, "units": records}, f, indent=1)
    summary = summary_line(dissection)
    with open(os.path.join(out_dir, "summary.txt"), "w") as f:
        f.write(summary + "\n")
    if images is not None:
        if images.shape[0] != dissection.activations.shape[0]:
            raise UserError(
                f"`images` has {images.shape[0]} images but the dissection "
                f"{dissection.activations.shape[0]}; pass the probe images."
            )
        from tfgan_kit.figures import save_figure

        units_dir = os.path.join(out_dir, "units")
        os.makedirs(units_dir, exist_ok=True)
        image_size = images.shape[1:3]
        for unit in sorted(dissection.explanations):
            peak = dissection.activations[..., unit].reshape(images.shape[0], -1).max(axis=1)
            order = np.argsort(-peak, kind="stable")[:top_k]
            masks = unit_masks(
                dissection.activations[order], dissection.thresholds, image_size, unit
            )
            strip = unit_strip(images[order], masks, np.arange(len(order)))
            title = unit_title(dissection.layer, unit, dissection.explanations[unit])
            save_figure(unit_figure(strip, title), os.path.join(units_dir, f"unit_{unit:04d}.png"))
    return summary
