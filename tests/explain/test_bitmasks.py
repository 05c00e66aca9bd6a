"""Bit-packed masks and dataset-level IoU against plain numpy references."""

import numpy as np
import pytest

from tfgan_kit.explain import bitmasks
from tfgan_kit.explain import iou


def _numpy_iou(a, b):
    union = np.logical_or(a, b).sum()
    return np.logical_and(a, b).sum() / union if union else 0.0


@pytest.mark.parametrize("shape", [(3, 5, 7), (2, 8, 8), (1, 1, 1), (4, 9, 13)])
def test_pack_unpack_round_trip_and_popcount(shape):
    rng = np.random.default_rng(0)
    mask = rng.random(shape) < 0.3
    packed = bitmasks.pack(mask)
    assert packed.dtype == np.uint64 and packed.shape == (bitmasks.num_words(mask.size),)
    np.testing.assert_array_equal(bitmasks.unpack(packed, shape), mask)
    assert int(bitmasks.popcount(packed)) == int(mask.sum())


def test_packed_not_keeps_padding_zero():
    mask = np.zeros((1, 3, 5), bool)  # 15 bits: 49 padding bits in the word
    mask[0, 1, 2] = True
    complement = bitmasks.packed_not(bitmasks.pack(mask), bitmasks.valid_bits(mask.size))
    assert int(bitmasks.popcount(complement)) == 14
    np.testing.assert_array_equal(bitmasks.unpack(complement, mask.shape), ~mask)


def test_iou_matches_numpy_reference_over_whole_dataset():
    rng = np.random.default_rng(1)
    for _ in range(20):
        shape = tuple(rng.integers(1, 12, size=3))
        a = rng.random(shape) < rng.random()
        b = rng.random(shape) < rng.random()
        assert iou(a, b) == pytest.approx(_numpy_iou(a, b), abs=1e-12)


def test_iou_is_dataset_level_not_mean_of_per_image():
    a = np.zeros((2, 2, 2), bool)
    b = np.zeros((2, 2, 2), bool)
    a[0] = True  # image 0: 4 unit pixels, 1 shared with b
    b[0, 0, 0] = True
    a[1, 0, 0] = b[1, 0, 0] = True  # image 1: perfect match of 1 pixel
    assert iou(a, b) == pytest.approx(2 / 5)  # per-image mean would be (1/4 + 1) / 2


def test_iou_empty_masks_is_zero():
    z = np.zeros((2, 3, 3), bool)
    assert iou(z, z) == 0.0


def test_iou_rejects_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        iou(np.zeros((2, 3, 3), bool), np.zeros((2, 3, 4), bool))
