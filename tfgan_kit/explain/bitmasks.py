"""Bit-packed boolean masks and dataset-level IoU.

Network Dissection (Bau et al., CVPR 2017) and Compositional Explanations of Neurons (Mu & Andreas,
NeurIPS 2020) score a unit against a concept with one intersection-over-union over *all* pixels of
*all* images. Masks over a whole dataset are large (1,000 images at 56x56 are 3.1 M pixels), so the
search keeps them packed 64 pixels to a ``uint64`` word and counts with hardware popcount
(``numpy.bitwise_count``): AND / OR / NOT of two masks are word-wise operations and a count is a
popcount and a sum.

Packing layout: a mask of any shape is flattened in C order, padded with zero bits to a multiple of
64 and stored as ``uint64`` words. Padding bits are always zero; :func:`packed_not` keeps them zero.
"""

from __future__ import annotations

import numpy as np

from tfgan_kit.errors import UserError

WORD_BITS = 64


def num_words(num_bits: int) -> int:
    """Number of ``uint64`` words that hold ``num_bits`` packed bits."""
    return (int(num_bits) + WORD_BITS - 1) // WORD_BITS


def pack(masks: np.ndarray, batch_dims: int = 0) -> np.ndarray:
    """Packs boolean masks into ``uint64`` words, 64 pixels per word.

    Args:
        masks: boolean (or 0/1) array. The first ``batch_dims`` axes are kept; the rest are
            flattened in C order and packed.
        batch_dims: how many leading axes index separate masks. Defaults to `0` (one mask).

    Returns:
        ``uint64`` array of shape ``masks.shape[:batch_dims] + (num_words,)``.
    """
    masks = np.asarray(masks)
    lead = masks.shape[:batch_dims]
    flat = masks.reshape(lead + (-1,)).astype(bool, copy=False)
    nbits = flat.shape[-1]
    padded_bytes = num_words(nbits) * 8
    packed = np.packbits(flat, axis=-1, bitorder="little")
    if packed.shape[-1] != padded_bytes:
        pad = [(0, 0)] * (packed.ndim - 1) + [(0, padded_bytes - packed.shape[-1])]
        packed = np.pad(packed, pad)
    return np.ascontiguousarray(packed).view(np.uint64)


def unpack(packed: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`pack` for one mask: ``uint64`` words -> boolean array of ``shape``."""
    nbits = int(np.prod(shape))
    bits = np.unpackbits(np.ascontiguousarray(packed).view(np.uint8), bitorder="little")
    return bits[:nbits].astype(bool).reshape(shape)


def valid_bits(num_bits: int) -> np.ndarray:
    """Packed mask with the first ``num_bits`` bits set: the complement's universe for NOT."""
    return pack(np.ones(num_bits, dtype=bool))


def packed_not(packed: np.ndarray, universe: np.ndarray) -> np.ndarray:
    """Complement of a packed mask within ``universe`` (keeps padding bits zero)."""
    return np.bitwise_and(np.invert(packed), universe)


def popcount(packed: np.ndarray) -> np.ndarray:
    """Number of set bits along the last axis (``int64``)."""
    return np.bitwise_count(packed).sum(axis=-1, dtype=np.int64)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Dataset-level intersection over union of two boolean masks, |A ∩ B| / |A ∪ B|.

    Network Dissection's score (Bau et al. 2017, Sec. 2.2; Mu & Andreas 2020, Eq. 1): the sums run
    over every pixel of every image at once, not per image.

    Args:
        a: boolean array, e.g. a unit's masks ``[N, H, W]``.
        b: boolean array of the same shape, e.g. a concept's masks.

    Returns:
        The IoU as a float; 0.0 when both masks are empty.

    Raises:
        ValueError: if the shapes differ.

    >>> iou(np.array([1, 1, 0], bool), np.array([0, 1, 1], bool))
    0.3333333333333333
    """
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        raise UserError(
            f"`a` and `b` must have the same shape. Received: a.shape={a.shape}, b.shape={b.shape}"
        )
    pa, pb = pack(a), pack(b)
    inter = int(popcount(pa & pb))
    union = int(popcount(pa | pb))
    return inter / union if union else 0.0
