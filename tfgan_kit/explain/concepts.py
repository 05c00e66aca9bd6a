"""Concept masks over a probing dataset, stored bit-packed, and formula evaluation on them.

Network Dissection (Bau et al. 2017, Sec. 2.1) probes units with a dataset whose images carry
pixel-level concept masks (objects, parts, materials, colours) and image-level labels (scenes,
textures); an image-level label is a mask covering the whole image. Compositional explanations
(Mu & Andreas 2020, Sec. 2) evaluate logical formulas of these concepts pixel-wise.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from tfgan_kit.errors import UserError
from tfgan_kit.explain import bitmasks
from tfgan_kit.explain.formula import And, Formula, Leaf, Neighbors, Not, Or, check_concept_name


def broadcast_image_labels(labels: np.ndarray, mask_size: tuple[int, int]) -> np.ndarray:
    """Turns image-level labels ``[N]`` into full-image masks ``[N, H, W]``.

    Args:
        labels: boolean ``[N]``: whether each image has the label.
        mask_size: ``(H, W)`` of the pixel-level masks.

    Returns:
        Boolean ``[N, H, W]``, all-true for labelled images and all-false otherwise.
    """
    labels = np.asarray(labels, dtype=bool)
    if labels.ndim != 1:
        raise UserError(f"Image-level labels must be 1-D [N]. Received: shape={labels.shape}")
    return np.broadcast_to(labels[:, None, None], labels.shape + tuple(mask_size))


class ConceptSet:
    """Named concept masks ``[N, H, W]`` over a dataset, packed 64 pixels per word.

    Args:
        names: concept names (no spaces or parentheses), one per row of ``packed``.
        packed: ``uint64`` ``[K, words]`` from :func:`bitmasks.pack` with ``batch_dims=1``.
        mask_shape: ``(N, H, W)``: images and mask resolution.
        categories: optional name -> category (e.g. ``"color"``), used in reports.

    Use :meth:`from_masks` to build one from boolean arrays.
    """

    def __init__(
        self,
        names: Sequence[str],
        packed: np.ndarray,
        mask_shape: tuple[int, int, int],
        categories: Mapping[str, str] | None = None,
    ):
        names = [check_concept_name(n) for n in names]
        if len(set(names)) != len(names):
            raise UserError(f"Concept names must be unique. Received: names={names}")
        if not names:
            raise UserError("A ConceptSet needs at least one concept. Received: names=[]")
        self.mask_shape = tuple(int(s) for s in mask_shape)
        if len(self.mask_shape) != 3:
            raise UserError(f"`mask_shape` must be (N, H, W). Received: mask_shape={mask_shape}")
        self.num_bits = int(np.prod(self.mask_shape))
        expected = (len(names), bitmasks.num_words(self.num_bits))
        if packed.shape != expected or packed.dtype != np.uint64:
            raise UserError(
                f"`packed` must be uint64 {expected} for {len(names)} concepts of "
                f"{self.mask_shape}. "
                f"Received: dtype={packed.dtype}, shape={packed.shape}"
            )
        self.names = names
        self.packed = np.ascontiguousarray(packed)
        self.categories = dict(categories or {})
        self.index = {name: i for i, name in enumerate(names)}
        self.counts = bitmasks.popcount(self.packed)
        self.universe = bitmasks.valid_bits(self.num_bits)
        self.neighbors: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_masks(
        cls,
        masks: Mapping[str, np.ndarray],
        mask_size: tuple[int, int] | None = None,
        categories: Mapping[str, str] | None = None,
    ) -> "ConceptSet":
        """Builds a concept set from name -> boolean masks.

        Args:
            masks: name -> boolean ``[N, H, W]`` (pixel-level) or ``[N]`` (image-level label,
                broadcast to the whole image).
            mask_size: ``(H, W)``; needed only when every concept is image-level.
            categories: optional name -> category.

        Raises:
            ValueError: on inconsistent shapes or bad names.
        """
        if not masks:
            raise UserError("`masks` is empty: pass at least one concept name -> boolean mask.")
        arrays = {name: np.asarray(m) for name, m in masks.items()}
        pixel_shapes = {a.shape for a in arrays.values() if a.ndim == 3}
        if len(pixel_shapes) > 1:
            raise UserError(
                f"All pixel-level masks must share one [N, H, W] shape. Received: {pixel_shapes}"
            )
        if pixel_shapes:
            shape = pixel_shapes.pop()
            if mask_size is not None and tuple(mask_size) != shape[1:]:
                raise UserError(
                    f"`mask_size`={mask_size} disagrees with the masks' shape {shape}."
                )
        elif mask_size is not None:
            n = next(iter(arrays.values())).shape[0]
            shape = (n,) + tuple(mask_size)
        else:
            raise UserError("All concepts are image-level [N]: pass `mask_size=(H, W)`.")
        packed = np.empty((len(arrays), bitmasks.num_words(int(np.prod(shape)))), np.uint64)
        for i, (name, array) in enumerate(arrays.items()):
            if array.ndim == 1:
                array = broadcast_image_labels(array, shape[1:])
            if array.shape != shape:
                raise UserError(
                    f"Concept {name!r} has shape {array.shape}; expected {shape} or [{shape[0]}]."
                )
            packed[i] = bitmasks.pack(array)
        return cls(list(arrays), packed, shape, categories)

    def __len__(self) -> int:
        return len(self.names)

    def mask(self, name: str) -> np.ndarray:
        """Boolean ``[N, H, W]`` mask of one concept."""
        return bitmasks.unpack(self.packed[self._index_of(name)], self.mask_shape)

    def set_neighbors(self, neighbors: Mapping[str, Sequence[str]]) -> None:
        """Sets each concept's nearest concepts, used by the NEIGHBORS operator."""
        for name, near in neighbors.items():
            self._index_of(name)
            for other in near:
                self._index_of(other)
        self.neighbors = {name: tuple(near) for name, near in neighbors.items()}

    def evaluate(self, formula: Formula) -> np.ndarray:
        """Packed mask of a formula (Mu & Andreas 2020, Sec. 2: pixel-wise logic)."""
        if isinstance(formula, Leaf):
            return self.packed[self._index_of(formula.name)]
        if isinstance(formula, Not):
            return bitmasks.packed_not(self.evaluate(formula.operand), self.universe)
        if isinstance(formula, And):
            return self.evaluate(formula.left) & self.evaluate(formula.right)
        if isinstance(formula, Or):
            return self.evaluate(formula.left) | self.evaluate(formula.right)
        if isinstance(formula, Neighbors):
            name = formula.operand.name
            if name not in self.neighbors:
                raise UserError(
                    f"No neighbours known for concept {name!r}: call `set_neighbors` (e.g. with "
                    "`nearest_concepts(embeddings, names)`) first."
                )
            result = self.packed[self._index_of(name)].copy()
            for other in self.neighbors[name]:
                result |= self.packed[self.index[other]]
            return result
        raise UserError(f"Not a formula: {formula!r}")

    def formula_mask(self, formula: Formula) -> np.ndarray:
        """Boolean ``[N, H, W]`` mask of a formula."""
        return bitmasks.unpack(self.evaluate(formula), self.mask_shape)

    def pack_unit(self, unit_masks: np.ndarray) -> np.ndarray:
        """Checks a unit's boolean masks against ``mask_shape`` and packs them."""
        unit_masks = np.asarray(unit_masks)
        if unit_masks.shape != self.mask_shape:
            raise UserError(
                f"`unit_masks` must have the concepts' shape {self.mask_shape} (N, H, W). "
                f"Received: shape={unit_masks.shape}"
            )
        return bitmasks.pack(unit_masks)

    def _index_of(self, name: str) -> int:
        if name not in self.index:
            raise UserError(f"Unknown concept {name!r}. Known concepts: {self.names[:20]}...")
        return self.index[name]
